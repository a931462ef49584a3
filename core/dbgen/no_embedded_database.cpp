// The generator itself runs before any database is embedded.
#include "core/embedded_database.hpp"

namespace tg {
std::span<const unsigned char> embedded_database() { return {}; }
}  // namespace tg
