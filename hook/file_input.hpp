// The `scan` input: files and directories on disk. Directories are walked
// without following symbolic links (a link is scanned where its target
// lives, and loops cannot arise); `.git` directories are skipped.
#pragma once

#include "core/error.hpp"
#include "hook/report.hpp"

#include <string>
#include <vector>

namespace tg {

struct FileEntry {
  std::string path;          // path to open
  std::string display_path;  // as the user would type it from the current directory
};

struct FileEnumeration {
  std::vector<FileEntry> files;  // sorted within each argument
  std::vector<Notice> notices;   // unreadable directories, special files
  std::uint64_t errors = 0;      // paths that could not be read at all
};

// Fails (usage error) only when an argument does not exist.
Result<FileEnumeration> enumerate_files(const std::vector<std::string>& paths);

// Reads the file at `path` into `out`, at most `max_size + 1` bytes: a
// result longer than `max_size` means the file is over the limit.
Result<void> read_file(const std::string& path, std::uint64_t max_size, std::string& out);

}  // namespace tg
