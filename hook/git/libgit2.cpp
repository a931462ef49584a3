#include "hook/git/libgit2.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <ctime>

namespace tg::git {

Session::Session() {
  git_libgit2_init();
  git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
  // libgit2 reads packs through mapped windows (1 GB each by default, up to
  // 8 GB mapped), and every page touched counts in the hook's memory until
  // its window is unmapped: a walk through a multi-GB history would peak at
  // the size of its packs. Windows beyond this limit are unmapped, least
  // recently used first.
  git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, std::size_t{32} << 20);
  git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, std::size_t{96} << 20);
  // libgit2 keeps every commit and tree it reads, up to 256 MB: a walk
  // through 40,000 commits filled that and peaked at 450 MB. Kept smaller,
  // its eviction (a scan of its table from the start for each batch) took a
  // seventh of the walk's time; kept at all, it saved none there: a push's
  // trees are read from the preload or the hook's own pack readers. The
  // price: a walk reads each commit twice (the revision walk, then its
  // message), 5% of a 2,000-commit walk without a quarantine
  // (BENCHMARKS.md).
  git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);
}

Session::~Session() { git_libgit2_shutdown(); }

Error error_from_git(std::string_view what) {
  const git_error* last = git_error_last();
  const char* message = last != nullptr && last->message != nullptr ? last->message : "unknown error";
  return Error{ErrorKind::runtime, fmt::format("{}: {}", what, message)};
}

Result<RepositoryPtr> open_repository(const RepositoryLocation& location) {
  git_repository* raw = nullptr;
  int status;
  if (location.path.empty()) {
    status = git_repository_open_ext(&raw, nullptr, GIT_REPOSITORY_OPEN_FROM_ENV, nullptr);
  } else {
    status = git_repository_open_ext(&raw, location.path.c_str(), 0, nullptr);
  }
  if (status != 0) {
    return std::unexpected(error_from_git(
        location.path.empty() ? std::string("cannot open the git repository")
                              : fmt::format("cannot open the git repository at {}", location.path)));
  }
  RepositoryPtr repository(raw);
  // A hook wrapper may pass the quarantine only as GIT_QUARANTINE_PATH; the
  // pushed objects must be visible or the push would look empty.
  const char* quarantine = std::getenv("GIT_QUARANTINE_PATH");
  if (location.path.empty() && quarantine != nullptr && *quarantine != '\0' &&
      std::getenv("GIT_OBJECT_DIRECTORY") == nullptr) {
    git_odb* odb = nullptr;
    if (git_repository_odb(&odb, repository.get()) != 0) {
      return std::unexpected(error_from_git("cannot open the object database"));
    }
    const OdbPtr owned(odb);
    if (git_odb_add_disk_alternate(odb, quarantine) != 0) {
      return std::unexpected(error_from_git(fmt::format("cannot read the push quarantine {}", quarantine)));
    }
  }
  return repository;
}

std::string own_objects_directory(git_repository* repository) {
  const char* common = git_repository_commondir(repository);  // ends in '/'
  return fmt::format("{}objects", common != nullptr ? common : "");
}

std::vector<std::string> pack_directories(git_repository* repository) {
  std::vector<std::string> directories;
  auto add = [&](std::string directory) {
    if (std::find(directories.begin(), directories.end(), directory) == directories.end()) {
      directories.push_back(std::move(directory));
    }
  };
  for (const char* variable : {"GIT_OBJECT_DIRECTORY", "GIT_QUARANTINE_PATH"}) {
    const char* objects = std::getenv(variable);
    if (objects != nullptr && *objects != '\0') add(fmt::format("{}/pack", objects));
  }
  add(own_objects_directory(repository) + "/pack");
  return directories;
}

std::string to_hex(const git_oid& id) {
  char buffer[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buffer, sizeof buffer, &id);
  return buffer;
}

bool is_zero(const git_oid& id) { return git_oid_is_zero(&id) != 0; }

std::optional<git_oid> parse_oid(std::string_view hex) {
  if (hex.size() != GIT_OID_HEXSZ) return std::nullopt;
  for (char c : hex) {
    const bool digit = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!digit) return std::nullopt;
  }
  git_oid id;
  if (git_oid_fromstrn(&id, hex.data(), hex.size()) != 0) return std::nullopt;
  return id;
}

const git_oid& empty_tree_id() {
  static const git_oid k_empty_tree = [] {
    git_oid id;
    git_oid_fromstr(&id, "4b825dc642cb6eb9a060e54bf8d69288fbee4904");
    return id;
  }();
  return k_empty_tree;
}

CommitInfo commit_info(const git_commit* commit) {
  CommitInfo info;
  info.id = to_hex(*git_commit_id(commit));
  const git_signature* author = git_commit_author(commit);
  if (author == nullptr) return info;
  info.author = fmt::format("{} <{}>", author->name ? author->name : "", author->email ? author->email : "");
  info.date = format_time(author->when);
  return info;
}

std::string format_time(const git_time& when) {
  const git_time_t local = when.time + static_cast<git_time_t>(when.offset) * 60;
  const std::time_t seconds = static_cast<std::time_t>(local);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  const int offset = when.offset;
  const int magnitude = offset < 0 ? -offset : offset;
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}{:02}:{:02}", parts.tm_year + 1900,
                          parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec,
                          offset < 0 ? '-' : '+', magnitude / 60, magnitude % 60);
}

Result<OdbObjectPtr> read_object(git_odb* odb, const git_oid& id) {
  git_odb_object* raw = nullptr;
  if (git_odb_read(&raw, odb, &id) != 0) {
    return std::unexpected(error_from_git(fmt::format("cannot read object {}", to_hex(id))));
  }
  return OdbObjectPtr(raw);
}

Result<std::uint64_t> object_size(git_odb* odb, const git_oid& id) {
  std::size_t size = 0;
  git_object_t type = GIT_OBJECT_INVALID;
  if (git_odb_read_header(&size, &type, odb, &id) != 0) {
    return std::unexpected(error_from_git(fmt::format("cannot read object {}", to_hex(id))));
  }
  return size;
}

std::size_t OidHash::operator()(const git_oid& id) const noexcept {
  std::size_t value;
  std::memcpy(&value, id.id, sizeof value);
  return value;
}

}  // namespace tg::git
