#include "util/file_bytes.hpp"

#include "util/read_exactly.hpp"
#include "util/unique_fd.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tg {

namespace {

// Whether the kernel gives transparent huge pages to a range that asks for
// them (its setting is "always" or "madvise"); read once.
bool huge_pages_on() {
  static const bool on = [] {
    const UniqueFd setting(::open("/sys/kernel/mm/transparent_hugepage/enabled", O_RDONLY | O_CLOEXEC));
    if (!setting) return false;
    char text[128] = {};
    const ssize_t got = ::read(setting.get(), text, sizeof text - 1);
    return got > 0 && std::strstr(text, "[never]") == nullptr;
  }();
  return on;
}

}  // namespace

Result<FileBytes> FileBytes::open(const std::string& path, std::size_t read_limit) {
  const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  auto failure = [&path] {
    return fail(ErrorKind::runtime, fmt::format("cannot read {}: {}", path, std::strerror(errno)));
  };
  if (!fd) return failure();
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) return failure();
  if (!S_ISREG(info.st_mode)) return fail(ErrorKind::runtime, fmt::format("cannot read {}: not a file", path));
  const auto size = static_cast<std::size_t>(info.st_size);
  if (size == 0) return FileBytes();

  FileBytes file;
  if (size <= read_limit && huge_pages_on()) {
    file.m_buffer = std::make_unique_for_overwrite<unsigned char[]>(size);
    const std::int64_t got = pread_full(fd.get(), file.m_buffer.get(), size, 0);
    if (got < 0) return failure();
    if (static_cast<std::size_t>(got) < size) {
      return fail(ErrorKind::runtime, fmt::format("cannot read {}: it shrank while read", path));
    }
  } else {
    const int prefault = size <= read_limit ? MAP_POPULATE : 0;
    void* data = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | prefault, fd.get(), 0);
    if (data == MAP_FAILED) return failure();
    file.m_mapping = data;
  }
  file.m_size = size;
  return file;
}

FileBytes& FileBytes::operator=(FileBytes&& other) noexcept {
  if (this != &other) {
    reset();
    m_buffer = std::move(other.m_buffer);
    m_mapping = std::exchange(other.m_mapping, nullptr);
    m_size = std::exchange(other.m_size, 0);
  }
  return *this;
}

void FileBytes::release_pages() const {
  // NOTE: the mapping is private, read-only and never written, so dropping
  // its pages loses nothing: they are the file's.
  if (m_mapping != nullptr) ::madvise(m_mapping, m_size, MADV_DONTNEED);
}

std::optional<std::uint64_t> FileBytes::resident_file_bytes() {
  // statm's third field: resident pages backed by a file or shared memory
  // (this process has none of the latter), in pages.
  const UniqueFd statm(::open("/proc/self/statm", O_RDONLY | O_CLOEXEC));
  if (!statm) return std::nullopt;
  char text[256] = {};
  const ssize_t got = ::read(statm.get(), text, sizeof text - 1);
  if (got <= 0) return std::nullopt;
  unsigned long long size = 0, resident = 0, shared = 0;
  if (std::sscanf(text, "%llu %llu %llu", &size, &resident, &shared) != 3) return std::nullopt;
  return std::uint64_t{shared} * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
}

void FileBytes::reset() {
  if (m_mapping != nullptr) ::munmap(m_mapping, m_size);
  m_buffer.reset();
  m_mapping = nullptr;
  m_size = 0;
}

}  // namespace tg
