#include "hook/commands/git_scan_support.hpp"

#include "hook/engine.hpp"
#include "hook/parallel.hpp"
#include "hook/policy.hpp"

namespace tg {

Result<git::ChangeScanResult> scan_git_changes(const git::ChangeSet& changes, const Settings& settings,
                                               const git::ChangeScanOptions& options) {
  auto database = load_pattern_database();
  if (!database) return std::unexpected(database.error());
  const Policy policy(settings);
  // NOTE: one Scanner (Hyperscan scratch) and one repository handle per
  // worker; a small change set runs inline on this thread (parallel_for).
  auto scanners = make_scanners(**database, settings, default_worker_count());
  if (!scanners) return std::unexpected(scanners.error());
  return git::scan_changes(changes, policy, *scanners, options);
}

void emit(ReportSink& sink, const git::ChangeScanResult& result) {
  for (const Notice& notice : result.notices) sink.on_notice(notice);
  for (const ReportedFinding& finding : result.findings) sink.on_finding(finding);
  sink.finish(result.summary);
}

}  // namespace tg
