// toml++'s implementation, compiled once: the library's targets build with
// TOML_HEADER_ONLY=0 (why not Debian's shared library: cmake/dependencies.cmake).
#define TOML_IMPLEMENTATION
#include <toml++/toml.h>
