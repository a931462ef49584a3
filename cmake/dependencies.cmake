# The libraries twilio-guard builds with, and how each is linked.
#
# NOTE: every commit pays the hook's start-up, and a shared library costs it
# loading and relocating. Measured on `twilio-guard --version`, 3.8 ms with
# everything below (`git --version`: 3.6 ms; 2 cores, Debian 12), each
# library made shared again adds: libcrypto.so 1.7 ms, libhs.so 1.3 ms (with
# the libstdc++.so it needs), libstdc++.so 0.9 ms; the shared toml++ and fmt
# need libstdc++.so too. So Hyperscan and libcrypto are linked from their
# static archives, toml++ and fmt are compiled in from their headers,
# libstdc++ and libgcc are linked into the executable, and libgit2 is built
# from source (cmake/libgit2.cmake). zlib stays shared (under 0.1 ms), so that
# Debian's security updates of the inflate code that reads pushed objects
# reach the hook.
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
# in one call (zlib's stream was half of a clean push's hook). Shared, like
# zlib, for Debian's security updates.
pkg_check_modules(LIBDEFLATE REQUIRED IMPORTED_TARGET libdeflate)

# toml++: config/toml.cpp compiles it; fmt: the header-only target.
find_package(tomlplusplus REQUIRED)
find_package(fmt REQUIRED)
find_package(CLI11 REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)

# The executable's C++ runtime. Not under the sanitizers: ASan intercepts
# exceptions in the shared libstdc++.
add_library(tg_runtime INTERFACE)
if(NOT TWILIO_GUARD_SANITIZE AND NOT TWILIO_GUARD_FUZZ)
  target_link_options(tg_runtime INTERFACE -static-libstdc++ -static-libgcc)
endif()
