// A read-only memory mapping of a whole file; unmapped once. For formats read
// at scattered offsets (a pack's entry headers) where reading the whole file
// would cost more than the few pages touched.
#pragma once

#include "core/error.hpp"

#include <cstddef>
#include <span>
#include <string>
#include <utility>

namespace tg {

class MappedFile {
 public:
  // Fails with the path and the system's reason. An empty file maps to an
  // empty span. A file of at most `prefault_limit` bytes is mapped with all
  // its pages in place: one system call instead of a page fault for every
  // 64 KB touched, for files that will be read whole.
  static Result<MappedFile> open(const std::string& path, std::size_t prefault_limit = 0);

  MappedFile() = default;  // maps nothing

  MappedFile(MappedFile&& other) noexcept
      : m_data(std::exchange(other.m_data, nullptr)), m_size(std::exchange(other.m_size, 0)) {}
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile() { reset(); }

  std::span<const unsigned char> bytes() const { return {static_cast<const unsigned char*>(m_data), m_size}; }

 private:
  MappedFile(void* data, std::size_t size) : m_data(data), m_size(size) {}
  void reset();

  void* m_data = nullptr;
  std::size_t m_size = 0;
};

}  // namespace tg
