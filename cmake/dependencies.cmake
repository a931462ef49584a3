# The libraries twilio-guard builds with, and how each is linked.
#
# NOTE: every commit pays the hook's start-up, and a shared library costs it
# loading and relocating. Measured on `twilio-guard --version`, 3.8 ms with
# only libc, libm, zlib and libdeflate shared (`git --version`: 3.6 ms; 2
# cores, Debian 12), each library made shared again adds: libcrypto.so
# 1.7 ms, libhs.so 1.3 ms (with the libstdc++.so it needs), libstdc++.so
# 0.9 ms; the shared toml++ and fmt need libstdc++.so too. So Hyperscan and
# libcrypto are linked from their static archives, toml++ and fmt are
# compiled in from their headers, and libgit2 is built from source
# (cmake/libgit2.cmake).
#
# The executable is then linked as one static position-independent
# executable (`-static-pie`, TWILIO_GUARD_STATIC_EXECUTABLE): no dynamic
# loader runs at all, which took the last four shared libraries' 50 page
# faults off every start (pre-commit 12.7-13.0 -> 10.7-11.0 ms under perf
# stat, BENCHMARKS.md), and the one file runs in any Linux of the architecture
# (a git server's container included), while keeping address randomisation.
# The price: fixes to glibc, zlib and libdeflate reach the hook when it is
# rebuilt, as already for Hyperscan, libcrypto and libgit2; and glibc loads
# user-database modules other than /etc/passwd (LDAP, sssd) for the audit
# log's user name only from the glibc it was built with (the linker's
# warnings about getpwuid and getpwuid_r say so; the one about getaddrinfo
# is libgit2's network transport, never called here). Off: libc, libm,
# zlib and libdeflate stay shared.
option(TWILIO_GUARD_STATIC_EXECUTABLE
  "Link twilio-guard as a static position-independent executable (needs TWILIO_GUARD_LIBGIT2_SOURCE)" ON)
# Sanitizer and fuzz builds link their runtimes dynamically; the system's
# libgit2 is a shared library.
if(TWILIO_GUARD_STATIC_EXECUTABLE AND TWILIO_GUARD_LIBGIT2_SOURCE
   AND NOT TWILIO_GUARD_SANITIZE AND NOT TWILIO_GUARD_FUZZ)
  set(TG_STATIC_EXECUTABLE ON)
else()
  set(TG_STATIC_EXECUTABLE OFF)
endif()
# Searched again at every configuration, as the choice may change.
set(ZLIB_USE_STATIC_LIBS ${TG_STATIC_EXECUTABLE})
unset(ZLIB_LIBRARY CACHE)
unset(ZLIB_LIBRARY_RELEASE CACHE)
unset(ZLIB_LIBRARY_DEBUG CACHE)

find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)

pkg_check_modules(HYPERSCAN REQUIRED libhs)
find_library(TG_HYPERSCAN_ARCHIVE libhs.a HINTS ${HYPERSCAN_LIBRARY_DIRS} REQUIRED)
add_library(tg_hyperscan STATIC IMPORTED)
set_target_properties(tg_hyperscan PROPERTIES
  IMPORTED_LOCATION ${TG_HYPERSCAN_ARCHIVE}
  INTERFACE_INCLUDE_DIRECTORIES "${HYPERSCAN_INCLUDE_DIRS}")

include(cmake/libgit2.cmake)

# Not with the system libgit2, whose libssh2 loads the shared libcrypto: one
# process, one copy of OpenSSL. Searched again at every configuration, as the
# choice may change.
if(TWILIO_GUARD_LIBGIT2_SOURCE)
  set(OPENSSL_USE_STATIC_LIBS TRUE)
endif()
unset(OPENSSL_CRYPTO_LIBRARY CACHE)
find_package(OpenSSL REQUIRED COMPONENTS Crypto)

# libdeflate: inflates the objects of a pushed pack (hook/git/pack_reader.cpp)
# in one call (zlib's stream was half of a clean push's hook).
pkg_check_modules(LIBDEFLATE REQUIRED IMPORTED_TARGET libdeflate)
add_library(tg_libdeflate INTERFACE)
if(TG_STATIC_EXECUTABLE)
  unset(TG_LIBDEFLATE_ARCHIVE CACHE)
  find_library(TG_LIBDEFLATE_ARCHIVE libdeflate.a HINTS ${LIBDEFLATE_LIBRARY_DIRS} REQUIRED)
  target_include_directories(tg_libdeflate INTERFACE ${LIBDEFLATE_INCLUDE_DIRS})
  target_link_libraries(tg_libdeflate INTERFACE ${TG_LIBDEFLATE_ARCHIVE})
else()
  target_link_libraries(tg_libdeflate INTERFACE PkgConfig::LIBDEFLATE)
endif()

# toml++: config/toml.cpp compiles it; fmt: the header-only target.
find_package(tomlplusplus REQUIRED)
find_package(fmt REQUIRED)
find_package(CLI11 REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)

# How the executable is linked. -static-pie links the C++ runtime in as well
# (and must not be combined with -static-libstdc++, which makes g++ link libc
# shared: the result crashes in _start). Not under the sanitizers: ASan
# intercepts exceptions in the shared libstdc++.
add_library(tg_runtime INTERFACE)
if(TG_STATIC_EXECUTABLE)
  target_link_options(tg_runtime INTERFACE -static-pie)
elseif(NOT TWILIO_GUARD_SANITIZE AND NOT TWILIO_GUARD_FUZZ)
  target_link_options(tg_runtime INTERFACE -static-libstdc++ -static-libgcc)
endif()
