// Big-endian integers in git's on-disk formats (index, pack index).
#pragma once

#include <cstdint>

namespace tg {

inline std::uint16_t read_be16(const unsigned char* at) {
  return static_cast<std::uint16_t>((at[0] << 8) | at[1]);
}

inline std::uint32_t read_be32(const unsigned char* at) {
  return (std::uint32_t{at[0]} << 24) | (std::uint32_t{at[1]} << 16) | (std::uint32_t{at[2]} << 8) |
         std::uint32_t{at[3]};
}

inline std::uint64_t read_be64(const unsigned char* at) {
  return (std::uint64_t{read_be32(at)} << 32) | read_be32(at + 4);
}

inline std::uint16_t read_be16(const char* at) { return read_be16(reinterpret_cast<const unsigned char*>(at)); }
inline std::uint32_t read_be32(const char* at) { return read_be32(reinterpret_cast<const unsigned char*>(at)); }

}  // namespace tg
