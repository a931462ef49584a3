// The audit log of bypasses: every finding let through by an inline marker,
// an allowlist entry or the bypass push option is appended as one JSON line
// {"time", "pusher", "repository", "ref", "commit", "path", "line", "rule",
// "fingerprint", "kind", "reason"}. The log never holds a credential: only
// its rule and fingerprint.
#pragma once

#include "core/error.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace tg {

struct AuditRecord {
  std::string time;  // UTC, ISO 8601
  std::string pusher;
  std::string repository;
  std::string ref;
  std::string commit;  // full id; empty outside history
  std::string path;
  std::uint32_t line = 0;
  std::string rule;
  std::string fingerprint;
  std::string kind;    // "marker", "allowlist", "push-option"
  std::string reason;
};

// One JSON object and a newline.
std::string audit_line(const AuditRecord& record);

// Appends every record to the file at `path`, created if missing (mode
// 0640). Concurrent pushes never interleave: the batch is written under an
// exclusive lock on the file, opened in append mode.
Result<void> append_audit_records(const std::string& path, const std::vector<AuditRecord>& records);

// Who pushes, as the server's environment says: GL_USERNAME (GitLab),
// GITEA_PUSHER_NAME (Gitea), GITHUB_USER_LOGIN (GitHub Enterprise Server),
// REMOTE_USER (HTTP), else the operating system user.
std::string pusher_identity();

// The current time, UTC, e.g. 2026-11-22T08:15:00Z.
std::string utc_now();

}  // namespace tg
