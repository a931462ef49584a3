#include "hook/commands/pre_push.hpp"

#include "hook/commands/git_scan_support.hpp"
#include "hook/engine.hpp"
#include "hook/git/changes.hpp"
#include "hook/git/push_input.hpp"

#include <fmt/format.h>

#include <memory>
#include <unistd.h>

namespace tg {
namespace {

struct PrePushRequest {
  CommonOptions common;
  std::string remote;
  std::string url;
};

Result<int> run_pre_push(const PrePushRequest& request) {
  auto input = git::read_all(stdin);
  if (!input) return std::unexpected(input.error());
  auto updates = git::parse_pre_push_input(*input);
  if (!updates) return std::unexpected(updates.error());

  const git::Session session;
  auto repository = git::open_repository({});
  if (!repository) return std::unexpected(repository.error());

  // A remote name (not a URL) has remote-tracking refs: what it already has.
  std::vector<std::string> remote_globs;
  if (!request.remote.empty() && request.remote.find_first_of(":/\\") == std::string::npos) {
    remote_globs.push_back(fmt::format("refs/remotes/{}/*", request.remote));
  }
  git::ChangeSet changes;
  std::vector<git_oid> earlier_tips;
  for (const git::PushUpdate& update : *updates) {
    if (update.is_deletion()) continue;
    auto tip = git::add_ref_target(repository->get(), update.local_id, update.remote_ref, changes);
    if (!tip) return std::unexpected(tip.error());
    if (!*tip) continue;
    git::CommitRange range;
    range.tips = {**tip};
    range.hidden = earlier_tips;
    if (!git::is_zero(update.remote_id)) range.hidden.push_back(update.remote_id);
    range.hidden_globs = remote_globs;
    range.ref = update.remote_ref;
    if (auto added = git::add_commit_range(repository->get(), range, changes); !added) {
      return std::unexpected(added.error());
    }
    earlier_tips.push_back(**tip);
  }
  if (changes.blobs.empty() && changes.texts.empty()) return 0;

  ConfigSources sources;
  if (const char* workdir = git_repository_workdir(repository->get())) sources.repository_root = workdir;
  auto settings = settings_for(request.common, sources);
  if (!settings) return std::unexpected(settings.error());
  auto result = scan_git_changes(changes, *settings, git::ChangeScanOptions{});
  if (!result) return std::unexpected(result.error());

  PrinterOptions printer_options;
  printer_options.out = stderr;
  printer_options.color = want_color(settings->color, ::isatty(STDERR_FILENO) == 1);
  printer_options.stage = RemediationStage::commits;
  printer_options.extra_remediation = settings->extra_remediation;
  printer_options.blocked_headline = "twilio-guard: push blocked";
  auto printer = make_printer(settings->format, printer_options);
  emit(*printer, *result);
  return result->summary.blocking > 0 ? 1 : 0;
}

}  // namespace

Command add_pre_push_command(CLI::App& parent) {
  auto request = std::make_shared<PrePushRequest>();
  CLI::App* command = parent.add_subcommand(
      "pre-push", "Git pre-push hook: scan the commits a push would send that the remote lacks");
  command->add_option("remote", request->remote, "Remote name (git passes it)");
  command->add_option("url", request->url, "Remote URL (git passes it)");
  add_common_options(*command, request->common);
  return Command{command, [request]() { return run_pre_push(*request); }};
}

}  // namespace tg
