#include "hook/commands/pre_commit.hpp"

#include "hook/commands/git_scan_support.hpp"
#include "hook/engine.hpp"
#include "hook/git/changes.hpp"

#include <memory>
#include <unistd.h>

namespace tg {

Command add_pre_commit_command(CLI::App& parent) {
  auto common = std::make_shared<CommonOptions>();
  CLI::App* command = parent.add_subcommand(
      "pre-commit", "Git pre-commit hook: scan what is staged (the index against HEAD)");
  add_common_options(*command, *common);
  return Command{command, [common]() -> Result<int> {
                   const git::Session session;
                   auto repository = git::open_repository({});
                   if (!repository) return std::unexpected(repository.error());
                   git::ChangeSet changes;
                   if (auto staged = git::add_staged_changes(repository->get(), changes); !staged) {
                     return std::unexpected(staged.error());
                   }
                   if (changes.blobs.empty()) return 0;

                   ConfigSources sources;
                   if (const char* workdir = git_repository_workdir(repository->get())) {
                     sources.repository_root = workdir;
                   }
                   auto settings = settings_for(*common, sources);
                   if (!settings) return std::unexpected(settings.error());
                   auto result = scan_git_changes(changes, *settings, git::ChangeScanOptions{});
                   if (!result) return std::unexpected(result.error());

                   PrinterOptions printer_options;
                   printer_options.out = stderr;
                   printer_options.color = want_color(settings->color, ::isatty(STDERR_FILENO) == 1);
                   printer_options.stage = RemediationStage::staged;
                   printer_options.extra_remediation = settings->extra_remediation;
                   printer_options.blocked_headline = "twilio-guard: commit blocked";
                   auto printer = make_printer(settings->format, printer_options);
                   emit(*printer, *result);
                   return result->summary.blocking > 0 ? 1 : 0;
                 }};
}

}  // namespace tg
