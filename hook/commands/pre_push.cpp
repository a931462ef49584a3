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

// What the remote already has, as far as this repository knows: the
// remote-tracking refs of `remote`, or, when git passes a URL instead of a
// name, of every configured remote with that URL.
Result<std::vector<std::string>> remote_tracking_globs(git_repository* repository, const std::string& remote,
                                                       const std::string& url) {
  git_strarray names_raw{};
  if (git_remote_list(&names_raw, repository) != 0) return std::unexpected(git::error_from_git("cannot list remotes"));
  const git::StrArray names(&names_raw);  // frees the names, not the struct on the stack
  std::vector<std::string> globs;
  for (std::size_t i = 0; i < names->count; ++i) {
    const std::string name = names->strings[i];
    bool matches = name == remote;
    if (!matches && !url.empty()) {
      git_remote* remote_raw = nullptr;
      if (git_remote_lookup(&remote_raw, repository, name.c_str()) != 0) {
        git_error_clear();
        continue;
      }
      const git::RemotePtr configured(remote_raw);
      const char* fetch_url = git_remote_url(configured.get());
      const char* push_url = git_remote_pushurl(configured.get());
      matches = (fetch_url != nullptr && url == fetch_url) || (push_url != nullptr && url == push_url);
    }
    if (matches) globs.push_back(fmt::format("refs/remotes/{}/*", name));
  }
  return globs;
}

Result<int> run_pre_push(const PrePushRequest& request) {
  auto input = git::read_all(stdin);
  if (!input) return std::unexpected(input.error());
  auto updates = git::parse_pre_push_input(*input);
  if (!updates) return std::unexpected(updates.error());

  const git::Session session;
  auto repository = git::open_repository({});
  if (!repository) return std::unexpected(repository.error());

  auto remote_globs = remote_tracking_globs(repository->get(), request.remote, request.url);
  if (!remote_globs) return std::unexpected(remote_globs.error());
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
    range.hidden_globs = *remote_globs;
    range.ref = update.remote_ref;
    if (auto added = git::add_commit_range(repository->get(), range, changes); !added) {
      return std::unexpected(added.error());
    }
    earlier_tips.push_back(**tip);
  }
  if (changes.blobs.empty() && changes.texts.empty()) return 0;

  return scan_and_report_client_hook(repository->get(), request.common, changes, RemediationStage::commits,
                                     "twilio-guard: push blocked");
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
