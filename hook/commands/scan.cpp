#include "hook/commands/scan.hpp"

#include "hook/commands/scan_git.hpp"

#include "core/scanner.hpp"
#include "hook/blob_scan.hpp"
#include "hook/engine.hpp"
#include "hook/file_input.hpp"
#include "hook/parallel.hpp"
#include "hook/printers/printer.hpp"

#include <fmt/format.h>

#include <memory>
#include <optional>
#include <unistd.h>

namespace tg {
namespace {

struct FileResult {
  std::vector<Finding> findings;
  std::optional<Notice> notice;
  std::uint64_t bytes = 0;
  bool error = false;
};

}  // namespace

Result<int> run_scan_files(const Settings& settings, const ScanFilesRequest& request) {
  std::vector<std::string> paths = request.paths;
  if (paths.empty()) paths.push_back(".");
  auto enumeration = enumerate_files(paths);
  if (!enumeration) return std::unexpected(enumeration.error());

  auto database = load_pattern_database();
  if (!database) return std::unexpected(database.error());
  const Policy policy(settings);
  const unsigned workers = default_worker_count();
  auto scanners = make_scanners(**database, settings, workers);
  if (!scanners) return std::unexpected(scanners.error());

  std::vector<FileResult> results(enumeration->files.size());
  std::vector<std::string> buffers(workers);
  std::vector<std::optional<Error>> failures(workers);
  parallel_for(results.size(), workers, [&](unsigned worker, std::size_t index) {
    const FileEntry& file = enumeration->files[index];
    FileResult& result = results[index];
    std::string& buffer = buffers[worker];
    if (auto read = read_file(file.path, settings.max_file_size, buffer); !read) {
      result.notice = Notice{NoticeKind::skipped_unreadable, file.display_path, read.error().message};
      result.error = true;
      return;
    }
    result.bytes = buffer.size();
    auto verdict = scan_blob((*scanners)[worker], policy, file.display_path, buffer);
    if (!verdict) {
      result.notice = Notice{NoticeKind::skipped_other, file.display_path, verdict.error().message};
      result.error = true;
      return;
    }
    result.findings = std::move(verdict->findings);
    result.notice = std::move(verdict->notice);
  });

  PrinterOptions printer_options;
  printer_options.out = stdout;
  printer_options.color = want_color(settings.color, request.stdout_is_terminal);
  printer_options.stage = RemediationStage::staged;
  printer_options.extra_remediation = settings.extra_remediation;
  printer_options.summary_when_clean = true;
  auto printer = make_printer(settings.format, printer_options);

  Summary summary;
  summary.errors = enumeration->errors;
  for (const Notice& notice : enumeration->notices) {
    printer->on_notice(notice);
    ++summary.skipped;
  }
  for (std::size_t index = 0; index < results.size(); ++index) {
    FileResult& result = results[index];
    if (result.notice) printer->on_notice(*result.notice);
    if (result.notice && result.notice->kind != NoticeKind::findings_omitted) ++summary.skipped;
    else ++summary.scanned;
    summary.errors += result.error;
    summary.bytes += result.bytes;
    for (Finding& finding : result.findings) {
      ++summary.findings;
      summary.blocking += blocks(finding);
      summary.allowed += finding.allowed;
      printer->on_finding(ReportedFinding{std::move(finding), Provenance{enumeration->files[index].display_path, std::nullopt, {}}});
    }
  }
  printer->finish(summary);
  if (summary.blocking > 0) return 1;
  if (summary.errors > 0) return 3;
  return 0;
}

Command add_scan_command(CLI::App& parent) {
  struct State {
    CommonOptions common;
    ScanFilesRequest request;
    bool git = false;
    ScanGitRequest git_request;
  };
  auto state = std::make_shared<State>();
  CLI::App* scan = parent.add_subcommand(
      "scan", "Scan files and directories (skips .git, binary and oversized files, and says so), "
              "or git history with --git");
  scan->add_option("paths", state->request.paths,
                   "Files or directories (default: .); with --git, revisions: A..B, or REV for its whole "
                   "history (default: HEAD)");
  scan->add_flag("--git", state->git, "Scan git history: each credential once, at the commit that introduced it");
  scan->add_option("--repo", state->git_request.repository, "With --git: the repository (default: discovered)");
  scan->add_flag("--all", state->git_request.all, "With --git: the history of every ref");
  add_common_options(*scan, state->common);
  return Command{scan, [state]() -> Result<int> {
                   if (!state->git && (state->git_request.all || !state->git_request.repository.empty())) {
                     return fail(ErrorKind::usage, "--all and --repo need --git");
                   }
                   ConfigSources sources;
                   sources.repository_root = find_repository_root(
                       state->git && !state->git_request.repository.empty() ? state->git_request.repository : ".");
                   auto settings = settings_for(state->common, sources);
                   if (!settings) return std::unexpected(settings.error());
                   if (state->git) {
                     state->git_request.revisions = state->request.paths;
                     state->git_request.stdout_is_terminal = ::isatty(STDOUT_FILENO) == 1;
                     state->git_request.stderr_is_terminal = ::isatty(STDERR_FILENO) == 1;
                     return run_scan_git(*settings, state->git_request);
                   }
                   state->request.stdout_is_terminal = ::isatty(STDOUT_FILENO) == 1;
                   return run_scan_files(*settings, state->request);
                 }};
}

}  // namespace tg
