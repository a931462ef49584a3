// What the git commands (pre-commit, pre-push, pre-receive, scan --git)
// share: loading the engine, scanning a ChangeSet, and streaming the result
// to a printer.
#pragma once

#include "config/settings.hpp"
#include "hook/git/change_scan.hpp"
#include "hook/printers/printer.hpp"

namespace tg {

// Loads the pattern database and one Scanner per core, then scans `changes`.
Result<git::ChangeScanResult> scan_git_changes(const git::ChangeSet& changes, const Settings& settings,
                                               const git::ChangeScanOptions& options);

// Notices, findings, then the summary, to `sink`.
void emit(ReportSink& sink, const git::ChangeScanResult& result);

}  // namespace tg
