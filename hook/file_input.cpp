#include "hook/file_input.hpp"

#include "util/unique_fd.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace tg {
namespace {

std::string display_join(const std::string& base, const std::string& relative) {
  if (base == "." || base == "./") return relative;
  if (base.ends_with('/')) return base + relative;
  return base + "/" + relative;
}

}  // namespace

Result<FileEnumeration> enumerate_files(const std::vector<std::string>& paths) {
  FileEnumeration result;
  for (const std::string& argument : paths) {
    std::error_code error;
    const fs::file_status status = fs::symlink_status(argument, error);
    if (error || status.type() == fs::file_type::not_found) {
      return fail(ErrorKind::usage, fmt::format("{}: no such file or directory", argument));
    }
    if (status.type() != fs::file_type::directory) {
      std::string display = argument;
      if (display.starts_with("./")) display.erase(0, 2);
      if (fs::is_regular_file(argument, error)) result.files.push_back({argument, display});
      else result.notices.push_back({NoticeKind::skipped_other, display, "not a regular file"});
      continue;
    }
    std::vector<FileEntry> found;
    fs::recursive_directory_iterator it(argument, fs::directory_options::none, error);
    if (error) {
      result.notices.push_back({NoticeKind::skipped_unreadable, argument, error.message()});
      ++result.errors;
      continue;
    }
    for (; it != fs::recursive_directory_iterator(); it.increment(error)) {
      if (error) {
        result.notices.push_back({NoticeKind::skipped_unreadable, argument, error.message()});
        ++result.errors;
        break;
      }
      const fs::directory_entry& entry = *it;
      const std::string relative = fs::relative(entry.path(), argument, error).generic_string();
      if (entry.is_symlink(error)) continue;
      if (entry.is_directory(error)) {
        if (entry.path().filename() == ".git") it.disable_recursion_pending();
        else if (::access(entry.path().c_str(), R_OK | X_OK) != 0) {
          it.disable_recursion_pending();
          result.notices.push_back({NoticeKind::skipped_unreadable, display_join(argument, relative),
                                    std::strerror(errno)});
          ++result.errors;
        }
        continue;
      }
      if (entry.is_regular_file(error)) {
        found.push_back({entry.path().string(), display_join(argument, relative)});
      } else {
        result.notices.push_back(
            {NoticeKind::skipped_other, display_join(argument, relative), "not a regular file"});
      }
    }
    std::sort(found.begin(), found.end(),
              [](const FileEntry& a, const FileEntry& b) { return a.display_path < b.display_path; });
    result.files.insert(result.files.end(), found.begin(), found.end());
  }
  return result;
}

Result<void> read_file(const std::string& path, std::uint64_t max_size, std::string& out) {
  // O_NONBLOCK: a path that became a FIFO after enumeration must not block
  // the open until a writer comes (a hung hook); it is refused below.
  const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (!fd) return fail(ErrorKind::runtime, std::strerror(errno));
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) return fail(ErrorKind::runtime, std::strerror(errno));
  if (!S_ISREG(info.st_mode)) return fail(ErrorKind::runtime, "not a regular file");
  // NOTE: over the limit, read one byte past it and stop: the caller reports
  // the file as too large without reading 200 MB first.
  const std::uint64_t expected = std::min<std::uint64_t>(static_cast<std::uint64_t>(info.st_size), max_size + 1);
  out.resize(static_cast<std::size_t>(expected));
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t got = ::read(fd.get(), out.data() + done, out.size() - done);
    if (got < 0) {
      if (errno == EINTR) continue;
      return fail(ErrorKind::runtime, std::strerror(errno));
    }
    if (got == 0) break;
    done += static_cast<std::size_t>(got);
  }
  out.resize(done);
  return {};
}

}  // namespace tg
