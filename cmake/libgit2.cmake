# libgit2, as the target `tg_libgit2`: Debian's source built here as a static
# library when TWILIO_GUARD_LIBGIT2_SOURCE names it (install/libgit2.sh
# fetches it), otherwise the system's shared library through pkg-config.
#
# NOTE: Debian's libgit2 1.5 is built with mbedTLS, and git_libgit2_init()
# parses the whole system CA bundle on every start: 13 ms of a 57 ms
# pre-commit, in a hook that only reads local objects. It also loads 17
# shared libraries (TLS, SSH, Kerberos, pcre2). The same source built without
# HTTPS, SSH and GSSAPI and linked statically took that pre-commit to 44 ms.
set(TWILIO_GUARD_LIBGIT2_SOURCE "" CACHE PATH
  "libgit2 source tree to build and link statically (empty: the system libgit2)")

add_library(tg_libgit2 INTERFACE)
if(NOT TWILIO_GUARD_LIBGIT2_SOURCE)
  pkg_check_modules(LIBGIT2 REQUIRED IMPORTED_TARGET libgit2)
  target_link_libraries(tg_libgit2 INTERFACE PkgConfig::LIBGIT2)
  return()
endif()

if(NOT EXISTS ${TWILIO_GUARD_LIBGIT2_SOURCE}/include/git2.h)
  message(FATAL_ERROR "TWILIO_GUARD_LIBGIT2_SOURCE=${TWILIO_GUARD_LIBGIT2_SOURCE} is not a libgit2 source tree")
endif()
include(ExternalProject)
# One build directory per source tree: a build tree cannot be reconfigured
# for another source.
string(SHA1 tg_libgit2_key ${TWILIO_GUARD_LIBGIT2_SOURCE})
string(SUBSTRING ${tg_libgit2_key} 0 12 tg_libgit2_key)
set(tg_libgit2_prefix ${PROJECT_BINARY_DIR}/libgit2/${tg_libgit2_key})
set(tg_libgit2_archive ${tg_libgit2_prefix}/lib/libgit2.a)
# The sanitizer and fuzz flags live on tg_settings, not in CMAKE_C_FLAGS, so
# this build never sees them: libgit2 is always an optimized release build.
ExternalProject_Add(libgit2_static
  SOURCE_DIR ${TWILIO_GUARD_LIBGIT2_SOURCE}
  PREFIX ${tg_libgit2_prefix}
  INSTALL_DIR ${tg_libgit2_prefix}
  CMAKE_ARGS
    -DCMAKE_BUILD_TYPE=Release
    -DCMAKE_INSTALL_PREFIX=<INSTALL_DIR>
    -DCMAKE_INSTALL_LIBDIR=lib
    -DCMAKE_POSITION_INDEPENDENT_CODE=ON
    -DBUILD_SHARED_LIBS=OFF
    -DBUILD_TESTS=OFF
    -DBUILD_CLI=OFF
    -DBUILD_EXAMPLES=OFF
    -DBUILD_FUZZERS=OFF
    # Reading local objects needs none of the network transports.
    -DUSE_HTTPS=OFF
    -DUSE_SSH=OFF
    -DUSE_GSSAPI=OFF
    -DUSE_NTLMCLIENT=OFF
    # Debian's source has no bundled dependencies (deps/ is stripped).
    -DUSE_HTTP_PARSER=system
    -DUSE_BUNDLED_ZLIB=OFF
    -DREGEX_BACKEND=regcomp
    # NOTE: SHA-1 from libcrypto rather than with collision detection: the
    # hook never turns pushed content into object ids (strict hash
    # verification is off, hook/git/libgit2.cpp); its SHA-1 use is hashing
    # the local index's changed directories in pre-commit
    # (hook/git/changes.cpp), where collision detection cost 3 ms.
    -DUSE_SHA1=OpenSSL
    -DUSE_SHA256=OpenSSL
    -DUSE_ICONV=OFF
  BUILD_BYPRODUCTS ${tg_libgit2_archive}
  # Its output (and its compiler warnings, not ours to fix) goes to log files
  # under the prefix, shown only when a step fails.
  LOG_CONFIGURE ON
  LOG_BUILD ON
  LOG_INSTALL ON
  LOG_OUTPUT_ON_FAILURE ON)

# The include directory must exist when the imported target is defined.
file(MAKE_DIRECTORY ${tg_libgit2_prefix}/include)
# http_parser serves only the network transports, never called here.
find_library(TG_HTTP_PARSER_LIBRARY NAMES libhttp_parser.a http_parser REQUIRED)
find_package(ZLIB REQUIRED)
add_library(tg_libgit2_archive STATIC IMPORTED)
set_target_properties(tg_libgit2_archive PROPERTIES
  IMPORTED_LOCATION ${tg_libgit2_archive}
  INTERFACE_INCLUDE_DIRECTORIES ${tg_libgit2_prefix}/include
  INTERFACE_LINK_LIBRARIES "${TG_HTTP_PARSER_LIBRARY};ZLIB::ZLIB;OpenSSL::Crypto;rt;Threads::Threads")
add_dependencies(tg_libgit2_archive libgit2_static)
target_link_libraries(tg_libgit2 INTERFACE tg_libgit2_archive)
