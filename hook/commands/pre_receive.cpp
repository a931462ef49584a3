#include "hook/commands/pre_receive.hpp"

#include "hook/audit_log.hpp"
#include "hook/commands/git_scan_support.hpp"
#include "hook/engine.hpp"
#include "hook/git/change_scan.hpp"
#include "hook/git/changes.hpp"
#include "hook/git/new_objects.hpp"
#include "hook/git/push_input.hpp"
#include "hook/parallel.hpp"
#include "util/kept_until_exit.hpp"
#include "util/short_run_heap.hpp"

#include <fmt/format.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <optional>
#include <vector>
#include <unistd.h>

namespace tg {
namespace {

constexpr std::string_view k_bypass_option = "twilio-guard.bypass";
// Commits and trees the commit walk reads from memory
// (git::preload_walk_objects): a 200-commit push brings about 1 MB of them;
// the bound keeps a push of a whole large history within the hook's memory
// target. A 40,000-commit push (710 MB of trees) walked as fast with 32 MB
// as with 64, and peaked 32 MB lower (BENCHMARKS.md).
constexpr std::uint64_t k_preloaded_walk_bytes = 32u << 20;
// A push of up to this many objects that needs attribution is walked beside
// its first pass, on the core the pass leaves idle, before the pass knows
// which blobs it suspects: the walk records every change then, about 250
// bytes a new blob (12 MB here). A larger push is walked after the pass,
// recording only the suspected blobs, so that its memory does not grow with
// its size (a million new files: 480 MB the other way).
constexpr std::size_t k_most_objects_walked_beside_the_pass = 50'000;
// The server's trees read while the quarantine is listed: about as many as
// the listing leaves time for on an ordinary push (201 trees, 91 KB, for
// the benchmark's), with room for larger trees; never more than this.
constexpr std::uint64_t k_prefetched_tree_bytes = 4u << 20;

struct Bypass {
  bool requested = false;
  std::string reason;
};

Bypass requested_bypass() {
  Bypass bypass;
  for (const std::string& option : git::push_options()) {
    if (!option.starts_with(k_bypass_option)) continue;
    const std::string_view rest = std::string_view(option).substr(k_bypass_option.size());
    if (!rest.empty() && rest.front() != '=') continue;
    bypass.requested = true;
    if (!rest.empty()) bypass.reason = std::string(rest.substr(1));
  }
  return bypass;
}

std::string repository_name(git_repository* repository) {
  for (const char* name : {"GL_PROJECT_PATH", "GL_REPOSITORY", "GITHUB_REPO_NAME"}) {
    if (const char* value = std::getenv(name); value != nullptr && *value != '\0') return value;
  }
  if (const char* owner = std::getenv("GITEA_REPO_USER_NAME"); owner != nullptr) {
    if (const char* repo = std::getenv("GITEA_REPO_NAME"); repo != nullptr) return fmt::format("{}/{}", owner, repo);
  }
  std::string path = git_repository_path(repository);
  if (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

struct PushedConfig {
  std::string label;  // "<ref>:.twilio-guard.toml", for messages
  std::string text;
};

// The repository configuration that arrives with the push: `.twilio-guard.toml`
// at the root of the first updated ref's new tip. nullopt when no updated ref
// has one. Read only when the server trusts repository allowlists.
Result<std::optional<PushedConfig>> pushed_repository_config(const std::string& input) {
  auto updates = git::parse_pre_receive_input(input);
  if (!updates) return std::unexpected(updates.error());
  auto repository = git::open_repository({});
  if (!repository) return std::unexpected(repository.error());
  for (const git::RefUpdate& update : *updates) {
    if (update.is_deletion()) continue;
    git_object* raw_tip = nullptr;
    if (git_object_lookup(&raw_tip, repository->get(), &update.new_id, GIT_OBJECT_ANY) != 0) {
      return std::unexpected(git::error_from_git("cannot read the pushed " + update.ref));
    }
    const git::ObjectPtr tip(raw_tip);
    git_object* raw_tree = nullptr;
    if (git_object_peel(&raw_tree, tip.get(), GIT_OBJECT_TREE) != 0) continue;  // a tag of a blob
    const git::ObjectPtr tree(raw_tree);
    const git_tree_entry* entry =
        git_tree_entry_byname(reinterpret_cast<const git_tree*>(tree.get()), ".twilio-guard.toml");
    if (entry == nullptr || git_tree_entry_type(entry) != GIT_OBJECT_BLOB) continue;
    git_odb* raw_odb = nullptr;
    if (git_repository_odb(&raw_odb, repository->get()) != 0) {
      return std::unexpected(git::error_from_git("cannot open the object database"));
    }
    const git::OdbPtr odb(raw_odb);
    auto blob = git::read_object(odb.get(), *git_tree_entry_id(entry));
    if (!blob) return std::unexpected(blob.error());
    return PushedConfig{update.ref + ":.twilio-guard.toml",
                        std::string(static_cast<const char*>(git_odb_object_data(blob->get())),
                                    git_odb_object_size(blob->get()))};
  }
  return std::nullopt;
}

// git's quarantine of the pushed objects, its packs listed.
struct ListedQuarantine {
  std::string directory;
  Result<git::QuarantineObjects> objects;  // packed only, until scan_push adds the loose ones
};

// Every commit the updates add, with what it changes; refs are updated only
// after this hook, so every ref still names the old state.
Result<git::ChangeSet> pushed_changes(git_repository* repository, const std::vector<git::RefUpdate>& updates,
                                      const git::WalkOptions& options) {
  git::ChangeSet changes;
  std::vector<git_oid> earlier_tips;
  for (const git::RefUpdate& update : updates) {
    if (update.is_deletion()) continue;
    auto tip = git::add_ref_target(repository, update.new_id, update.ref, changes);
    if (!tip) return std::unexpected(tip.error());
    if (!*tip) continue;
    git::CommitRange range;
    range.tips = {**tip};
    range.hidden_globs = {"refs/*"};
    range.hidden = earlier_tips;
    range.ref = update.ref;
    if (auto added = git::add_commit_range(repository, range, changes, options); !added) {
      return std::unexpected(added.error());
    }
    earlier_tips.push_back(**tip);
    if (changes.timed_out) break;
  }
  return changes;
}

// What the push adds, scanned. nullopt: nothing to scan.
//
// With git's quarantine (and server.scan_known_objects off) the new objects
// are scanned first, in pack order and without opening a tree; that is the
// whole scan of a clean push. Only when it finds something (or a blob it
// cannot scan, whose notice needs a path) are the commits walked, and then
// only the new blobs that were not clean are read again, to name the commit
// and path and to drop what a change merely kept. The walk starts on the
// calling thread as soon as the first pass finds such an object, while the
// other worker finishes the pass.
//
// `quarantine`: git's quarantine with its packs listed; nullopt to scan by
// the walk alone. `loaded_engine`: the engine if it was loaded already, else
// nullopt to load it here when something is to be scanned. `server_trees`:
// trees of the refs' old targets read ahead (git::prefetch_commit_trees),
// for the walk.
Result<std::optional<git::ChangeScanResult>> scan_push(git_repository* repository, const Settings& settings,
                                                       const std::vector<git::RefUpdate>& updates,
                                                       git::Clock::time_point deadline,
                                                       std::optional<ListedQuarantine> quarantine,
                                                       std::optional<Result<GitScanEngine>> loaded_engine,
                                                       git::PreloadedTrees server_trees) {
  const Policy policy(settings);
  git::ChangeScanOptions options;
  options.deadline = deadline;
  options.caller_repository = repository;
  std::optional<GitScanEngine> engine;
  auto load_engine = [&]() -> Result<void> {
    Result<GitScanEngine> loaded = loaded_engine ? std::move(*loaded_engine) : load_git_scan_engine(settings);
    loaded_engine.reset();  // taken: a second call loads afresh
    if (!loaded) return std::unexpected(loaded.error());
    engine = std::move(*loaded);
    return {};
  };
  std::optional<git::NewObjectScan> first_pass;
  std::optional<Result<git::ChangeSet>> changes;
  if (quarantine) {
    git_odb* raw_odb = nullptr;
    if (git_repository_odb(&raw_odb, repository) != 0) {
      return std::unexpected(git::error_from_git("cannot open the object database"));
    }
    const git::OdbPtr odb(raw_odb);
    Result<git::QuarantineObjects>& objects = quarantine->objects;
    if (objects) {
      if (auto added = git::add_loose_quarantine_objects(quarantine->directory, odb.get(), *objects); !added) {
        objects = std::unexpected(added.error());
      }
    }
    if (objects) git::find_stored_thin_bases(*objects, repository);
    // A quarantine this code cannot list (another pack format) is scanned
    // by the walk below: slower, never weaker.
    if (objects) {
      if (objects->empty()) return std::nullopt;
      if (auto loaded = load_engine(); !loaded) return std::unexpected(loaded.error());
      auto walk = [&](std::function<bool(const git_oid&)> records_blob) -> Result<git::ChangeSet> {
        // After the pass, what its readers held (delta bases, up to 32 MB
        // each) is free but still counted: returned first, so that the
        // walk's preload and libgit2's pack windows do not add their peak to
        // the pass's (a 40,000-commit push: BENCHMARKS.md).
        if (records_blob) release_free_heap_pages();
        auto trees = git::preload_walk_objects(repository, *objects, k_preloaded_walk_bytes, deadline,
                                               std::move(server_trees));
        if (!trees) return std::unexpected(trees.error());
        if (records_blob) {
          // After the pass, nothing reads the listing's tables again: the
          // preload (and its pack readers, which keep the packs they read)
          // and libgit2 serve the walk, the scan's own pack readers (or
          // libgit2) the blobs read again.
          *objects = {};
        }
        git::WalkOptions walk_options;
        walk_options.deadline = deadline;
        walk_options.trees = &*trees;
        if (records_blob) {
          walk_options.records_text = [&](const git_oid& commit) { return !first_pass->is_clean_commit(commit); };
        }
        walk_options.records_blob = std::move(records_blob);
        return pushed_changes(repository, updates, walk_options);
      };
      if (objects->size() <= k_most_objects_walked_beside_the_pass) {
        options.on_needs_attribution = [&] { changes = walk({}); };
      }
      // Attribution needs the suspects only: the clean blobs are counted.
      options.lists_clean_blobs = false;
      auto scanned = git::scan_new_objects(*objects, policy, engine->scanners, options);
      options.on_needs_attribution = nullptr;
      if (!scanned) return std::unexpected(scanned.error());
      first_pass = std::move(*scanned);
      if (!first_pass->needs_attribution || first_pass->timed_out) {
        git::ChangeScanResult result;
        result.summary = first_pass->summary;
        result.timed_out = first_pass->timed_out;
        result.blobs_total = first_pass->objects_total;
        result.blobs_scanned = first_pass->objects_scanned;
        git::block_on_unattributed(result, *first_pass);
        return result;
      }
      options.prescanned = &first_pass->blobs;
      if (!changes) {
        changes = walk([&](const git_oid& id) { return first_pass->blobs.is_suspect(id); });
      } else if (*changes) {
        // Walked beside the pass, before it knew which messages were clean.
        const std::vector<git::ChangeSource>& sources = (*changes)->sources;
        std::erase_if((*changes)->texts, [&](const git::TextOccurrence& text) {
          const std::optional<git_oid>& commit = sources[text.source].commit;
          return commit && first_pass->is_clean_commit(*commit);
        });
      }
    }
  }

  // Without a quarantine the walk lists what the push adds, and a long
  // history is scanned part by part as it is listed.
  std::optional<git::ChangeScan> scan;
  auto start_scan = [&]() -> Result<void> {
    if (!engine) {
      if (auto loaded = load_engine(); !loaded) return loaded;
    }
    scan.emplace(policy, engine->scanners, options);
    return {};
  };
  if (!changes) {
    git::WalkOptions walk_options;
    walk_options.deadline = deadline;
    walk_options.on_batch = [&](const git::ChangeSet& part) -> Result<void> {
      if (!scan) {
        if (auto started = start_scan(); !started) return started;
      }
      return scan->add(part);
    };
    changes = pushed_changes(repository, updates, walk_options);
  }
  if (!*changes) return std::unexpected(changes->error());
  // Nothing new (deletions, branches of known commits): no engine to load.
  const git::ChangeSet& walked = **changes;
  if (!scan && walked.blobs.empty() && walked.texts.empty() && !walked.timed_out) return std::nullopt;
  if (!scan) {
    if (auto started = start_scan(); !started) return std::unexpected(started.error());
  }
  if (auto added = scan->add(walked); !added) return std::unexpected(added.error());
  std::optional<git::ChangeScanResult> result = scan->finish(walked);
  if (first_pass) {
    // The clean blobs and commit messages attribution left out were scanned
    // all the same, by the first pass; a push's summary counts them.
    const git::PrescannedBlobs::Totals clean = first_pass->blobs.clean_totals();
    result->summary.scanned += clean.blobs + first_pass->clean_commits.size();
    result->summary.bytes += clean.bytes + first_pass->clean_commit_bytes;
    result->blobs_total += clean.blobs;
    result->blobs_scanned += clean.blobs;
  }
  if (first_pass) git::block_on_unattributed(*result, *first_pass);
  // The hook's last scan: the walk's thousands of blocks and the listing
  // go with the process instead of being freed one by one.
  keep_until_exit(std::move(changes));
  keep_until_exit(std::move(quarantine));
  return std::move(*result);
}

// Everything that may fail: the caller applies server.on_error to a failure.
Result<int> check_push(const Settings& settings, const std::string& input, git::Clock::time_point deadline) {
  auto updates = git::parse_pre_receive_input(input);
  if (!updates) return std::unexpected(updates.error());

  // The quarantine's packs are listed on this thread while another opens
  // the repository and loads the engine: neither needs the other (about 2
  // and 0.8 + 0.3 ms for an ordinary push, see BENCHMARKS.md). A push with
  // nothing new loads the engine for nothing, off the critical path.
  //
  // The side's core is then idle until the listing ends: it reads the trees
  // of the refs' old targets, which a walk for attribution diffs the first
  // new commits against.
  Result<git::RepositoryPtr> repository = fail(ErrorKind::runtime, "repository not opened");
  std::optional<ListedQuarantine> quarantine;
  std::optional<Result<GitScanEngine>> engine;
  git::PreloadedTrees server_trees;
  if (auto directory = git::quarantine_directory(); directory && !settings.server.scan_known_objects) {
    std::atomic<bool> listed{false};
    run_side_by_side(
        [&] {
          repository = git::open_repository({});
          engine = load_git_scan_engine(settings);
          if (!repository) return;
          try {
            std::vector<git_oid> old_tips;
            for (const git::RefUpdate& update : *updates) {
              if (!update.is_creation() && !update.is_deletion()) old_tips.push_back(update.old_id);
            }
            git::prefetch_commit_trees(repository->get(), old_tips, listed, k_prefetched_tree_bytes, server_trees);
          } catch (const std::exception&) {
            server_trees = {};  // only ahead of time: the walk reads what it needs
          }
        },
        [&] {
          quarantine = ListedQuarantine{*directory, git::list_quarantine_packs(*directory)};
          listed = true;
        });
  } else {
    repository = git::open_repository({});
  }
  if (!repository) return std::unexpected(repository.error());

  auto scanned = scan_push(repository->get(), settings, *updates, deadline, std::move(quarantine), std::move(engine),
                           std::move(server_trees));
  if (!scanned) return std::unexpected(scanned.error());
  if (!*scanned) return 0;
  const git::ChangeScanResult* result = &**scanned;

  const Bypass bypass = requested_bypass();
  const bool blocked = result->summary.blocking > 0;
  const bool bypass_granted =
      blocked && bypass.requested && settings.server.allow_bypass_option && !bypass.reason.empty();

  // Audit before answering: a bypass that cannot be recorded does not pass.
  if (!settings.server.audit_log.empty()) {
    const Policy policy(settings);
    std::vector<AuditRecord> records;
    const std::string pusher = pusher_identity();
    const std::string repository_label = repository_name(repository->get());
    const std::string now = utc_now();
    for (const ReportedFinding& reported : result->findings) {
      const Finding& finding = reported.finding;
      AuditRecord record;
      if (finding.allowed) {
        const bool listed = policy.allowlisted(finding.fingerprint) || policy.path_allowed(reported.where.path);
        record.kind = listed ? "allowlist" : "marker";
        record.reason = listed ? "allowlist entry" : "inline twilio-guard:allow marker";
      } else if (blocks(finding) && bypass_granted) {
        record.kind = "push-option";
        record.reason = bypass.reason;
      } else {
        continue;
      }
      record.time = now;
      record.pusher = pusher;
      record.repository = repository_label;
      record.ref = reported.where.ref;
      record.commit = reported.where.commit ? reported.where.commit->id : "";
      record.path = reported.where.path;
      record.line = finding.line;
      record.rule = std::string(rule(finding.rule).name);
      record.fingerprint = finding.fingerprint;
      records.push_back(std::move(record));
    }
    if (auto appended = append_audit_records(settings.server.audit_log, records); !appended) {
      return std::unexpected(appended.error());
    }
  }

  PrinterOptions printer_options;
  printer_options.out = stderr;
  printer_options.color = want_color(settings.color, false);
  printer_options.stage = RemediationStage::commits;
  printer_options.extra_remediation = settings.extra_remediation;
  printer_options.blocked_headline =
      bypass_granted ? "twilio-guard: push accepted by bypass despite" : "twilio-guard: push rejected";
  if (blocked && !bypass_granted) {
    std::string extra = printer_options.extra_remediation;
    if (settings.server.allow_bypass_option) {
      if (!extra.empty()) extra += "\n";
      extra += "A false positive that cannot carry a marker: push again with\n"
               "  git push -o twilio-guard.bypass=\"<reason>\" (recorded in the audit log).";
    }
    printer_options.extra_remediation = extra;
  }
  auto printer = make_printer(settings.format, printer_options);
  emit(*printer, *result);
  keep_until_exit(std::move(repository));  // libgit2's pack windows, unmapped by the process's end

  if (blocked) {
    if (bypass_granted) {
      fmt::print(stderr, "twilio-guard: {} blocking credential{} let through by push option {} (reason: {}){}.\n",
                 result->summary.blocking, result->summary.blocking == 1 ? "" : "s", k_bypass_option,
                 printable(bypass.reason),
                 settings.server.audit_log.empty() ? "; no audit log is configured on this server"
                                                   : "; recorded in the audit log");
      return 0;
    }
    if (bypass.requested && !settings.server.allow_bypass_option) {
      fmt::print(stderr, "twilio-guard: the push option {} is not allowed on this server "
                         "(server.allow_bypass_option = false).\n", k_bypass_option);
    } else if (bypass.requested) {
      fmt::print(stderr, "twilio-guard: the push option {} needs a reason: -o {}=\"<reason>\".\n",
                 k_bypass_option, k_bypass_option);
    }
    if (result->timed_out) {
      fmt::print(stderr, "twilio-guard: the scan also ran out of its time budget ({} ms) after {} of {} blobs.\n",
                 settings.server.time_budget_ms, result->blobs_scanned, result->blobs_total);
    }
    return 1;
  }

  if (result->timed_out) {
    const std::string what = fmt::format(
        "the scan ran out of the server's time budget ({} ms) after {} of {} blobs{}",
        settings.server.time_budget_ms, result->blobs_scanned, result->blobs_total,
        result->walk_timed_out ? " (and before listing every new commit)" : "");
    if (settings.server.on_timeout == FailMode::open) {
      fmt::print(stderr, "twilio-guard: warning: {}; push ACCEPTED without a complete scan "
                         "(server.on_timeout = open).\n", what);
      return 0;
    }
    // A policy outcome, not an error: server.on_error must not turn it open.
    fmt::print(stderr, "twilio-guard: push rejected: {} (server.on_timeout = closed). Push fewer commits "
                       "at a time, or ask the server's administrator to raise server.time_budget_ms.\n", what);
    return 3;
  }
  return 0;
}

}  // namespace

Command add_pre_receive_command(CLI::App& parent) {
  auto common = std::make_shared<CommonOptions>();
  CLI::App* command = parent.add_subcommand(
      "pre-receive", "Git server pre-receive hook: scan the commits a push adds; rejects on findings and errors");
  add_common_options(*command, *common);
  return Command{command, [common]() -> Result<int> {
                   const auto start = git::Clock::now();
                   // Read all of standard input first: git waits for the hook to take it.
                   auto input = git::read_all(stdin);
                   // An unreadable configuration cannot say "open": the push is rejected.
                   ConfigSources sources;
                   sources.server = true;
                   auto settings = settings_for(*common, sources);
                   if (!settings) {
                     return fail(settings.error().kind,
                                 fmt::format("push rejected: configuration error: {}", settings.error().message));
                   }
                   const git::Session session;
                   // A server that trusts repository allowlists reads the pushed
                   // file and loads again; the loader lets it add allowlist
                   // entries and nothing else.
                   if (input && settings->server.trust_repository_allowlists) {
                     auto pushed = pushed_repository_config(*input);
                     if (!pushed) {
                       return fail(ErrorKind::runtime, fmt::format("push rejected: cannot read the pushed "
                                                                   "configuration: {}", pushed.error().message));
                     }
                     if (*pushed) {
                       sources.repository_text = (*pushed)->text;
                       sources.repository_label = (*pushed)->label;
                       settings = settings_for(*common, sources);
                       if (!settings) {
                         return fail(settings.error().kind, fmt::format("push rejected: configuration error: {}",
                                                                        settings.error().message));
                       }
                     }
                   }
                   const auto budget = settings->server.time_budget_ms;
                   const auto deadline =
                       budget == 0 ? git::k_no_deadline : start + std::chrono::milliseconds(budget);
                   Result<int> outcome = fail(ErrorKind::runtime, "no outcome");
                   if (!input) {
                     outcome = std::unexpected(input.error());
                   } else {
                     try {
                       outcome = check_push(*settings, *input, deadline);
                     } catch (const std::exception& error) {
                       outcome = fail(ErrorKind::runtime, fmt::format("internal error: {}", error.what()));
                     }
                   }
                   if (outcome) return outcome;
                   if (settings->server.on_error == FailMode::open) {
                     fmt::print(stderr, "twilio-guard: warning: {}; push ACCEPTED without a complete scan "
                                        "(server.on_error = open).\n", outcome.error().message);
                     return 0;
                   }
                   return fail(ErrorKind::runtime, fmt::format("push rejected (server.on_error = closed): {}",
                                                               outcome.error().message));
                 }};
}

}  // namespace tg
