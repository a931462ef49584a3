#pragma once

#include "config/settings.hpp"
#include "hook/commands/command.hpp"
#include "core/error.hpp"

#include <string>
#include <vector>

namespace tg {

struct ScanFilesRequest {
  std::vector<std::string> paths;  // default "."
  bool stdout_is_terminal = false;
};

// `twilio-guard scan [PATH...]`: exit 0 nothing blocking, 1 blocking
// findings, 3 when some path could not be read and nothing blocked.
Result<int> run_scan_files(const Settings& settings, const ScanFilesRequest& request);

Command add_scan_command(CLI::App& parent);

}  // namespace tg
