#pragma once

#include "config/settings.hpp"
#include "core/error.hpp"

#include <string>
#include <vector>

namespace tg {

struct ScanGitRequest {
  std::string repository;          // empty: discovered from the current directory
  std::vector<std::string> revisions;  // "A..B", or a rev meaning its whole history; default HEAD
  bool all = false;                // every ref
  bool stdout_is_terminal = false;
  bool stderr_is_terminal = false;  // progress bar
};

// `twilio-guard scan --git [--repo DIR] [--all] [REV...]`: reports each
// credential once, at the commit that introduced it, with commit id, author
// and date. Exit 0 nothing blocking, 1 blocking findings.
Result<int> run_scan_git(const Settings& settings, const ScanGitRequest& request);

}  // namespace tg
