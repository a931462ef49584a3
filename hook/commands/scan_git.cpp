#include "hook/commands/scan_git.hpp"

#include "hook/commands/git_scan_support.hpp"
#include "hook/engine.hpp"
#include "hook/git/changes.hpp"
#include "hook/policy.hpp"

#include <fmt/format.h>

#include <mutex>

namespace tg {
namespace {

// A one-line progress bar on stderr, redrawn at most every 1% of the work.
class ProgressBar {
 public:
  void update(std::size_t done, std::size_t total) {
    const std::lock_guard lock(m_mutex);
    const std::size_t percent = total == 0 ? 100 : done * 100 / total;
    if (percent == m_last_percent && done != total) return;
    m_last_percent = percent;
    constexpr std::size_t k_width = 30;
    const std::size_t filled = percent * k_width / 100;
    fmt::print(stderr, "\rtwilio-guard: scanning blobs [{}{}] {}/{} ({}%)", std::string(filled, '#'),
               std::string(k_width - filled, ' '), done, total, percent);
    m_drawn = true;
  }
  ~ProgressBar() {
    if (m_drawn) fmt::print(stderr, "\r\033[K");
  }

 private:
  std::mutex m_mutex;
  std::size_t m_last_percent = 101;
  bool m_drawn = false;
};

Result<git_oid> resolve(git_repository* repository, const std::string& spec) {
  git_object* raw = nullptr;
  if (git_revparse_single(&raw, repository, spec.c_str()) != 0) {
    return std::unexpected(Error{ErrorKind::usage, git::error_from_git(fmt::format("unknown revision {}", spec)).message});
  }
  const git::ObjectPtr object(raw);
  return *git_object_id(object.get());
}

}  // namespace

Result<int> run_scan_git(const Settings& settings, const ScanGitRequest& request) {
  const git::Session session;
  const git::RepositoryLocation location{request.repository};
  auto repository = git::open_repository(location);
  if (!repository) return std::unexpected(repository.error());
  git_repository* repo = repository->get();

  git::ChangeSet changes;
  git::CommitRange range;
  auto add_tip = [&](const git_oid& id, const std::string& label) -> Result<void> {
    auto tip = git::add_ref_target(repo, id, label, changes);
    if (!tip) return std::unexpected(tip.error());
    if (*tip) range.tips.push_back(**tip);
    return {};
  };
  std::vector<std::string> revisions = request.revisions;
  if (request.all) {
    auto names = git::reference_names(repo);
    if (!names) return std::unexpected(names.error());
    for (const std::string& name : *names) revisions.push_back(name);
  } else if (revisions.empty()) {
    revisions.push_back("HEAD");
  }
  for (const std::string& revision : revisions) {
    if (revision.find("...") != std::string::npos) {
      return fail(ErrorKind::usage, fmt::format("{}: symmetric ranges (A...B) are not supported; use A..B", revision));
    }
    if (const std::size_t dots = revision.find(".."); dots != std::string::npos) {
      const std::string from = dots == 0 ? "HEAD" : revision.substr(0, dots);
      const std::string to = dots + 2 == revision.size() ? "HEAD" : revision.substr(dots + 2);
      auto hidden = resolve(repo, from + "^{commit}");
      if (!hidden) return std::unexpected(hidden.error());
      range.hidden.push_back(*hidden);
      auto tip = resolve(repo, to);
      if (!tip) return std::unexpected(tip.error());
      if (auto added = add_tip(*tip, ""); !added) return std::unexpected(added.error());
      continue;
    }
    auto tip = resolve(repo, revision);
    if (!tip) return std::unexpected(tip.error());
    if (auto added = add_tip(*tip, ""); !added) return std::unexpected(added.error());
  }
  git::ChangeScanOptions options;
  options.location = location;
  options.caller_repository = repo;
  ProgressBar progress;
  if (request.stderr_is_terminal) {
    options.progress = [&progress](std::size_t done, std::size_t total) { progress.update(done, total); };
  }
  auto engine = load_git_scan_engine(settings);
  if (!engine) return std::unexpected(engine.error());
  // A long history is scanned part by part as the walk lists it.
  const Policy policy(settings);
  git::ChangeScan scan(policy, engine->scanners, options);
  git::WalkOptions walk;
  walk.on_batch = [&scan](const git::ChangeSet& part) { return scan.add(part); };
  if (auto added = git::add_commit_range(repo, range, changes, walk); !added) return std::unexpected(added.error());
  if (auto added = scan.add(changes); !added) return std::unexpected(added.error());
  const git::ChangeScanResult result = scan.finish(changes);

  PrinterOptions printer_options;
  printer_options.out = stdout;
  printer_options.color = want_color(settings.color, request.stdout_is_terminal);
  printer_options.stage = RemediationStage::commits;
  printer_options.extra_remediation = settings.extra_remediation;
  printer_options.summary_when_clean = true;
  auto printer = make_printer(settings.format, printer_options);
  emit(*printer, result);
  return result.summary.blocking > 0 ? 1 : 0;
}

}  // namespace tg
