#include "hook/audit_log.hpp"

#include "hook/report.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <pwd.h>
#include <sys/file.h>
#include <unistd.h>

namespace tg {
namespace {

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : m_fd(fd) {}
  ~FileDescriptor() {
    if (m_fd >= 0) ::close(m_fd);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return m_fd; }

 private:
  int m_fd;
};

Error io_error(std::string_view what, const std::string& path) {
  return Error{ErrorKind::runtime, fmt::format("audit log {}: {}: {}", path, what, std::strerror(errno))};
}

// The size of the file's prefix that ends with a newline (0 for an empty
// file), after truncating the file to it; -1 on a read error.
off_t whole_lines_end(int fd) {
  const off_t size = ::lseek(fd, 0, SEEK_END);
  if (size <= 0) return size;
  char buffer[4096];
  off_t end = size;
  while (end > 0) {
    const off_t chunk = std::min<off_t>(end, sizeof buffer);
    const ssize_t got = ::pread(fd, buffer, static_cast<std::size_t>(chunk), end - chunk);
    if (got != chunk) return -1;
    for (off_t i = chunk; i > 0; --i) {
      if (buffer[i - 1] == '\n') {
        const off_t whole = end - chunk + i;
        if (whole != size && ::ftruncate(fd, whole) != 0) return -1;
        return whole;
      }
    }
    end -= chunk;
  }
  if (::ftruncate(fd, 0) != 0) return -1;
  return 0;
}

}  // namespace

std::string audit_line(const AuditRecord& record) {
  const nlohmann::json line = {
      {"time", record.time},
      {"pusher", utf8_or_escaped(record.pusher)},
      {"repository", utf8_or_escaped(record.repository)},
      {"ref", utf8_or_escaped(record.ref)},
      {"commit", record.commit.empty() ? nlohmann::json(nullptr) : nlohmann::json(record.commit)},
      {"path", utf8_or_escaped(record.path)},
      {"line", record.line},
      {"rule", record.rule},
      {"fingerprint", record.fingerprint},
      {"kind", record.kind},
      {"reason", utf8_or_escaped(record.reason)},
  };
  return line.dump() + '\n';
}

Result<void> append_audit_records(const std::string& path, const std::vector<AuditRecord>& records) {
  if (records.empty()) return {};
  std::string batch;
  for (const AuditRecord& record : records) batch += audit_line(record);
  // Read access lets a cut line left by a dead writer be found and removed;
  // a log the hook may only write to is appended to without that repair.
  int fd = ::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  const bool readable = fd >= 0;
  if (fd < 0 && errno == EACCES) fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  const FileDescriptor file(fd);
  if (file.get() < 0) return std::unexpected(io_error("cannot open", path));
  while (::flock(file.get(), LOCK_EX) != 0) {
    if (errno != EINTR) return std::unexpected(io_error("cannot lock", path));
  }
  // The lock is released when the descriptor closes.
  // A writer killed mid-batch, or one that hit a full disk, may have left a
  // line without its newline: cut it off (its push did not pass), so that
  // every line stays one whole JSON object.
  const off_t start = readable ? whole_lines_end(file.get()) : ::lseek(file.get(), 0, SEEK_END);
  if (start < 0) return std::unexpected(io_error("cannot read", path));
  std::size_t written = 0;
  while (written < batch.size()) {
    const ssize_t count = ::write(file.get(), batch.data() + written, batch.size() - written);
    if (count < 0) {
      if (errno == EINTR) continue;
      const Error error = io_error("cannot write", path);
      // Leave no part of this batch behind (disk full, file size limit).
      if (::ftruncate(file.get(), start) != 0) {
        // Nothing more can be done; the next writer cuts the partial line.
      }
      return std::unexpected(error);
    }
    written += static_cast<std::size_t>(count);
  }
  if (::fdatasync(file.get()) != 0 && errno != EINVAL) return std::unexpected(io_error("cannot sync", path));
  return {};
}

std::string pusher_identity() {
  for (const char* name : {"GL_USERNAME", "GITEA_PUSHER_NAME", "GITHUB_USER_LOGIN", "REMOTE_USER"}) {
    if (const char* value = std::getenv(name); value != nullptr && *value != '\0') return value;
  }
  if (const passwd* entry = ::getpwuid(::geteuid()); entry != nullptr && entry->pw_name != nullptr) {
    return entry->pw_name;
  }
  if (const char* user = std::getenv("USER"); user != nullptr) return user;
  return fmt::format("uid {}", ::geteuid());
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return buffer;
}

}  // namespace tg
