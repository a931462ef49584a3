# Shared compile settings every target links: warnings, sanitizers, include root.
add_library(tg_settings INTERFACE)
target_include_directories(tg_settings INTERFACE ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/generated)
target_compile_options(tg_settings INTERFACE -Wall -Wextra -Wshadow -Wpedantic)
if(TWILIO_GUARD_WERROR)
  target_compile_options(tg_settings INTERFACE -Werror)
endif()
if(TWILIO_GUARD_SANITIZE)
  target_compile_options(tg_settings INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(tg_settings INTERFACE -fsanitize=address,undefined)
endif()
if(TWILIO_GUARD_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "TWILIO_GUARD_FUZZ needs clang (libFuzzer): -DCMAKE_CXX_COMPILER=clang++-14")
  endif()
  # Every library is instrumented for coverage; only the fuzz executables link
  # libFuzzer's main (tests/fuzz/CMakeLists.txt).
  target_compile_options(tg_settings INTERFACE -fsanitize=fuzzer-no-link,address,undefined
    -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(tg_settings INTERFACE -fsanitize=address,undefined)
endif()
target_compile_definitions(tg_settings INTERFACE
  TWILIO_GUARD_VERSION="${PROJECT_VERSION}"
  TWILIO_GUARD_RULES_VERSION="${TWILIO_GUARD_RULES_VERSION}")
