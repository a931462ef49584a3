#include "hook/commands/git_scan_support.hpp"

#include "hook/engine.hpp"
#include "hook/parallel.hpp"
#include "hook/policy.hpp"

#include <unistd.h>

namespace tg {

Result<GitScanEngine> load_git_scan_engine(const Settings& settings) {
  auto database = load_pattern_database();
  if (!database) return std::unexpected(database.error());
  // NOTE: a small scan runs inline on this thread (parallel_for).
  auto scanners = make_scanners(**database, settings, default_worker_count());
  if (!scanners) return std::unexpected(scanners.error());
  return GitScanEngine{std::move(*database), std::move(*scanners)};
}

Result<git::ChangeScanResult> scan_git_changes(const git::ChangeSet& changes, const Settings& settings,
                                               const git::ChangeScanOptions& options) {
  auto engine = load_git_scan_engine(settings);
  if (!engine) return std::unexpected(engine.error());
  return git::scan_changes(changes, Policy(settings), engine->scanners, options);
}

void emit(ReportSink& sink, const git::ChangeScanResult& result) {
  for (const Notice& notice : result.notices) sink.on_notice(notice);
  for (const ReportedFinding& finding : result.findings) sink.on_finding(finding);
  sink.finish(result.summary);
}

Result<int> scan_and_report_client_hook(git_repository* repository, const CommonOptions& common,
                                        const git::ChangeSet& changes, RemediationStage stage,
                                        std::string headline) {
  ConfigSources sources;
  if (const char* workdir = git_repository_workdir(repository)) sources.repository_root = workdir;
  auto settings = settings_for(common, sources);
  if (!settings) return std::unexpected(settings.error());
  git::ChangeScanOptions options;
  options.caller_repository = repository;
  options.loose_objects_directory = git::own_objects_directory(repository);
  auto result = scan_git_changes(changes, *settings, options);
  if (!result) return std::unexpected(result.error());

  PrinterOptions printer_options;
  printer_options.out = stderr;
  printer_options.color = want_color(settings->color, ::isatty(STDERR_FILENO) == 1);
  printer_options.stage = stage;
  printer_options.extra_remediation = settings->extra_remediation;
  printer_options.blocked_headline = std::move(headline);
  auto printer = make_printer(settings->format, printer_options);
  emit(*printer, *result);
  return result->summary.blocking > 0 ? 1 : 0;
}

}  // namespace tg
