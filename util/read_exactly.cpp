#include "util/read_exactly.hpp"

#include <cerrno>

#include <sys/types.h>
#include <unistd.h>

namespace tg {

std::int64_t pread_full(int fd, void* out, std::size_t size, std::uint64_t offset) {
  auto* bytes = static_cast<char*>(out);
  std::size_t done = 0;
  while (done < size) {
    const ssize_t got = ::pread(fd, bytes + done, size - done, static_cast<off_t>(offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return -1;
    if (got == 0) break;
    done += static_cast<std::size_t>(got);
  }
  return static_cast<std::int64_t>(done);
}

bool read_exactly(int fd, std::uint64_t offset, std::size_t size, std::string& out) {
  bool complete = false;
  out.resize_and_overwrite(size, [&](char* data, std::size_t) {
    const std::int64_t got = pread_full(fd, data, size, offset);
    const auto kept = got < 0 ? std::size_t{0} : static_cast<std::size_t>(got);
    complete = kept == size;
    return kept;
  });
  return complete;
}

}  // namespace tg
