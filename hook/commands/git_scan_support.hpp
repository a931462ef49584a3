// What the git commands (pre-commit, pre-push, pre-receive, scan --git)
// share: loading the engine, scanning a ChangeSet, and streaming the result
// to a printer.
#pragma once

#include "config/settings.hpp"
#include "hook/commands/command.hpp"
#include "hook/git/change_scan.hpp"
#include "hook/git/libgit2.hpp"
#include "hook/printers/printer.hpp"

#include <memory>
#include <vector>

namespace tg {

// The engine of a git scan: the pattern database and one Scanner per core
// (each worker also opens its own repository handle).
struct GitScanEngine {
  std::unique_ptr<PatternDatabase> database;  // outlives `scanners`, which point into it
  std::vector<Scanner> scanners;
};

Result<GitScanEngine> load_git_scan_engine(const Settings& settings);

// Loads the engine, then scans `changes`.
Result<git::ChangeScanResult> scan_git_changes(const git::ChangeSet& changes, const Settings& settings,
                                               const git::ChangeScanOptions& options);

// Notices, findings, then the summary, to `sink`.
void emit(ReportSink& sink, const git::ChangeScanResult& result);

// The client hooks' common end (pre-commit, pre-push): the configuration of
// `repository`'s work tree with `common` on top, a scan of `changes`, the
// report on stderr under `headline`. Returns the exit code: 1 when something
// blocks.
Result<int> scan_and_report_client_hook(git_repository* repository, const CommonOptions& common,
                                        const git::ChangeSet& changes, RemediationStage stage,
                                        std::string headline);

}  // namespace tg
