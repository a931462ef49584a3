#include "util/mapped_file.hpp"

#include "util/unique_fd.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>

namespace tg {

Result<MappedFile> MappedFile::open(const std::string& path, std::size_t prefault_limit) {
  const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  auto failure = [&path] {
    return fail(ErrorKind::runtime, fmt::format("cannot read {}: {}", path, std::strerror(errno)));
  };
  if (!fd) return failure();
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) return failure();
  if (!S_ISREG(info.st_mode)) return fail(ErrorKind::runtime, fmt::format("cannot read {}: not a file", path));
  const auto size = static_cast<std::size_t>(info.st_size);
  if (size == 0) return MappedFile(nullptr, 0);
  const int prefault = size <= prefault_limit ? MAP_POPULATE : 0;
  void* data = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | prefault, fd.get(), 0);
  if (data == MAP_FAILED) return failure();
  return MappedFile(data, size);
}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this != &other) {
    reset();
    m_data = std::exchange(other.m_data, nullptr);
    m_size = std::exchange(other.m_size, 0);
  }
  return *this;
}

void MappedFile::reset() {
  if (m_data != nullptr) ::munmap(m_data, m_size);
  m_data = nullptr;
  m_size = 0;
}

}  // namespace tg
