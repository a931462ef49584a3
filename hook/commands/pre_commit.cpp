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

                   return scan_and_report_client_hook(repository->get(), *common, changes,
                                                      RemediationStage::staged,
                                                      "twilio-guard: commit blocked");
                 }};
}

}  // namespace tg
