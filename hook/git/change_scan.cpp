#include "hook/git/change_scan.hpp"

#include "hook/blob_scan.hpp"
#include "hook/git/loose_objects.hpp"
#include "hook/git/packed_objects.hpp"
#include "hook/git/pack_reader.hpp"
#include "hook/parallel.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace tg::git {
namespace {

// One per distinct blob, and a push may bring a million: 24 bytes, with what
// the few blobs that have findings or a notice found kept apart.
struct BlobResult {
  struct Found {
    std::vector<Finding> findings;
    std::optional<Notice> notice;
    std::string content;  // kept only when there are findings, for attribution
  };
  std::unique_ptr<Found> found;  // null: nothing found, no notice
  std::uint64_t bytes = 0;
  bool scanned = false;
};

struct Worker {
  RepositoryPtr repository;
  OdbPtr odb;
  std::vector<std::optional<PackReader>> readers;  // by pack, opened when first needed
  std::optional<LooseObjects> loose;                // ChangeScanOptions::loose_objects_directory
  std::optional<PackedObjects> packed;              // pack_directories(), opened when first needed
  std::optional<Error> error;
};

// Gives `worker` an object database: the caller's handle when `borrowed` is
// set (on the calling thread only), else a handle of its own at `location`.
Result<void> open_worker(Worker& worker, const RepositoryLocation& location, git_repository* borrowed) {
  if (worker.odb) return {};
  RepositoryPtr own;
  if (borrowed == nullptr) {
    auto repository = open_repository(location);
    if (!repository) return std::unexpected(repository.error());
    own = std::move(*repository);
  }
  git_odb* odb = nullptr;
  if (git_repository_odb(&odb, borrowed != nullptr ? borrowed : own.get()) != 0) {
    return std::unexpected(error_from_git("cannot open the object database"));
  }
  worker.repository = std::move(own);
  worker.odb.reset(odb);
  return {};
}

// The handle worker `index` may borrow: worker 0 runs on the calling thread
// (parallel_for).
git_repository* borrowable(const ChangeScanOptions& options, unsigned index) {
  return index == 0 ? options.caller_repository : nullptr;
}

// A worker thread's start costs about 0.7 ms in all (its creation, its own
// repository, waiting for it at the end): worth it only for more work than
// that.
constexpr std::chrono::microseconds k_alone_before_helping{1000};

// Runs `work(worker, index, item)` for items [0, count) with one Worker per
// scanner (`index` picks the scanner), stopping at the first error or at
// `deadline`. Returns whether the deadline stopped it, or the first error.
// `start` and `alone_for`: as parallel_for's.
template <typename Work>
Result<bool> run_workers(std::size_t count, std::size_t scanner_count, Clock::time_point deadline, ThreadStart start,
                         std::chrono::microseconds alone_for, Work&& work) {
  const auto worker_count = static_cast<unsigned>(std::max<std::size_t>(1, scanner_count));
  std::vector<Worker> workers(worker_count);
  std::atomic<bool> stop{false};
  std::atomic<bool> timed_out{false};
  parallel_for(count, worker_count, [&](unsigned index, std::size_t item) {
    if (stop.load(std::memory_order_relaxed)) return;
    if (Clock::now() >= deadline) {
      timed_out = true;
      stop = true;
      return;
    }
    Worker& worker = workers[index];
    if (Result<void> done = work(worker, index, item); !done) {
      if (!worker.error) worker.error = std::move(done.error());
      stop = true;
    }
  }, start, alone_for);
  for (Worker& worker : workers) {
    if (worker.error) return std::unexpected(std::move(*worker.error));
  }
  return timed_out.load();
}

Result<std::string_view> blob_content(const OdbObjectPtr& object, const git_oid& id) {
  if (git_odb_object_type(object.get()) != GIT_OBJECT_BLOB) {
    return fail(ErrorKind::runtime, fmt::format("object {} is not a blob (corrupt repository?)", to_hex(id)));
  }
  return std::string_view(static_cast<const char*>(git_odb_object_data(object.get())),
                          git_odb_object_size(object.get()));
}

// Reads `before` blobs lazily and remembers them: attribution touches only
// changes that have findings. A blob the first pass kept (`prescanned`) is
// not read again: in a push that edits a file holding a credential, the
// version before each edit is usually the previous edit's, kept because it
// holds the credential too.
class BeforeCache {
 public:
  // `repository` is the one `odb` belongs to.
  BeforeCache(git_repository* repository, git_odb* odb, std::uint64_t max_size, const PrescannedBlobs* prescanned)
      : m_odb(odb), m_max_size(max_size), m_prescanned(prescanned),
        m_packed(PackedObjects::open(pack_directories(repository))) {}

  // Whether blob `id`, as scan_blob scans it (scanned_text), contains
  // `text`. A blob over the size limit is not read and counts as not
  // containing it: the finding is then reported as introduced.
  Result<bool> contains(const git_oid& id, std::string_view text) {
    auto found = m_contents.find(id);
    if (found == m_contents.end() && m_prescanned != nullptr) {
      // A clean blob may still hold `text` (without the context its rule
      // needs), so only kept contents answer here: as they are, or held
      // transcoded when they are UTF-16.
      if (auto kept = m_prescanned->find(id); kept && kept->content) {
        std::optional<std::string> transcoded = utf16_to_utf8(*kept->content);
        if (!transcoded) return kept->content->find(text) != std::string::npos;
        found = m_contents.emplace(id, std::move(*transcoded)).first;
      }
    }
    if (found == m_contents.end()) {
      std::string content;
      // The packs first, as the scan reads blobs (libgit2 inflated a
      // 200-commit push's one earlier version of a file in 0.2 ms).
      if (std::optional<PackedObjects::Object> packed = m_packed.read(id, m_max_size);
          packed && packed->type == GIT_OBJECT_BLOB) {
        content = std::move(packed->content);
      } else {
        auto size = object_size(m_odb, id);
        if (!size) return std::unexpected(size.error());
        if (*size > m_max_size) return false;
        auto object = read_object(m_odb, id);
        if (!object) return std::unexpected(object.error());
        content.assign(static_cast<const char*>(git_odb_object_data(object->get())),
                       git_odb_object_size(object->get()));
      }
      found = m_contents.emplace(id, scanned_text(std::move(content))).first;
    }
    return found->second.find(text) != std::string::npos;
  }

 private:
  git_odb* m_odb;
  std::uint64_t m_max_size;
  const PrescannedBlobs* m_prescanned;
  PackedObjects m_packed;
  std::unordered_map<git_oid, std::string, OidHash, OidEqual> m_contents;
};

Result<bool> introduced(BeforeCache& cache, const ChangeSet& changes, const BlobOccurrence& occurrence,
                        std::string_view text) {
  for (const git_oid& id : occurrence.same_path_before) {
    auto present = cache.contains(id, text);
    if (!present) return present;
    if (*present) return false;
  }
  for (const git_oid& id : changes.before_sets[occurrence.before_set]) {
    auto present = cache.contains(id, text);
    if (!present) return present;
    if (*present) return false;
  }
  return true;
}

}  // namespace

// What a ChangeScan keeps between two add() calls.
struct ChangeScan::State {
  const Policy& policy;
  std::vector<Scanner>& scanners;
  const ChangeScanOptions& options;
  ChangeScanResult result;
  // Every blob scanned so far (sorted), and what was found in the few that
  // had findings or a notice.
  std::vector<git_oid> scanned;
  std::unordered_map<git_oid, std::unique_ptr<BlobResult::Found>, OidHash, OidEqual> found;
  std::unordered_set<std::string> reported;  // fingerprint + '\0' + path
  std::size_t done = 0;                      // blobs, for options.progress
  Worker main_worker;
  bool main_open = false;
  std::unique_ptr<BeforeCache> cache;
  // The commits described for a report, by source: a report names a commit
  // once per finding.
  std::unordered_map<std::uint32_t, std::optional<CommitInfo>> described;

  bool was_scanned(const git_oid& id) const {
    return std::binary_search(scanned.begin(), scanned.end(), id, OidLess{});
  }
};

ChangeScan::ChangeScan(const Policy& policy, std::vector<Scanner>& scanners, const ChangeScanOptions& options)
    : m_state(std::make_unique<State>(State{policy, scanners, options, {}, {}, {}, {}, 0, {}, false, nullptr, {}})) {}
ChangeScan::~ChangeScan() = default;

Result<void> ChangeScan::add(const ChangeSet& changes) {
  State& state = *m_state;
  const Policy& policy = state.policy;
  std::vector<Scanner>& scanners = state.scanners;
  const ChangeScanOptions& options = state.options;
  ChangeScanResult& result = state.result;
  result.notices.insert(result.notices.end(), changes.notices.begin(), changes.notices.end());

  // Distinct blobs not scanned by an earlier add(), in order of first occurrence.
  std::unordered_map<git_oid, std::size_t, OidHash, OidEqual> blob_index;
  std::vector<std::size_t> first_occurrence;
  for (std::size_t i = 0; i < changes.blobs.size(); ++i) {
    if (options.prescanned != nullptr && !options.prescanned->contains(changes.blobs[i].blob)) continue;
    if (state.was_scanned(changes.blobs[i].blob)) continue;
    if (blob_index.emplace(changes.blobs[i].blob, first_occurrence.size()).second) first_occurrence.push_back(i);
  }
  result.blobs_total += first_occurrence.size();

  // After the first pass every new blob is clean or kept in memory, unless
  // it was too large to keep: then nothing here is read, and looking the
  // blobs up costs less than starting a thread.
  std::size_t worker_count = scanners.size();
  if (options.prescanned != nullptr) {
    const bool reads = std::any_of(first_occurrence.begin(), first_occurrence.end(), [&](std::size_t i) {
      const std::optional<PrescannedBlob> known = options.prescanned->find(changes.blobs[i].blob);
      return !known->clean && !known->content;
    });
    if (!reads) worker_count = 1;
  }
  std::vector<BlobResult> blobs(first_occurrence.size());
  std::atomic<std::size_t> done{state.done};
  const std::size_t total = state.done + blobs.size();
  // Often a few small blobs (a commit's files): other workers start only if
  // the calling thread is still busy after k_alone_before_helping.
  auto stopped = run_workers(blobs.size(), worker_count, options.deadline, ThreadStart::scheduler,
                             k_alone_before_helping, [&](Worker& worker, unsigned index, std::size_t item) -> Result<void> {
    const BlobOccurrence& occurrence = changes.blobs[first_occurrence[item]];
    BlobResult& blob = blobs[item];
    const std::optional<PrescannedBlob> known =
        options.prescanned != nullptr ? options.prescanned->find(occurrence.blob) : std::nullopt;
    auto scan_content = [&](std::string_view content) -> Result<void> {
      auto verdict = scan_blob(scanners[index], policy, occurrence.path, content);
      if (!verdict) return std::unexpected(verdict.error());
      if (verdict->findings.empty() && !verdict->notice) return {};
      blob.found = std::make_unique<BlobResult::Found>();
      blob.found->findings = std::move(verdict->findings);
      blob.found->notice = std::move(verdict->notice);
      // What `introduced` looks the findings up in: the text they are in.
      if (!blob.found->findings.empty()) {
        blob.found->content = verdict->transcoded ? std::move(*verdict->transcoded) : std::string(content);
      }
      return {};
    };
    if (known && known->clean) {
      blob.bytes = known->size;
      blob.scanned = true;
    } else if (known && known->content) {
      // Kept by the first pass: scanned again for its path (path
      // allowlists), not read again.
      blob.bytes = known->size;
      blob.scanned = true;
      if (auto scanned = scan_content(*known->content); !scanned) return scanned;
    } else {
      // Oversized blobs are reported from their header: reading one would
      // hold all of it in memory.
      const std::uint64_t max_size = policy.settings().max_file_size;
      auto scan_sized = [&](std::uint64_t size, auto read_content) -> Result<void> {
        blob.bytes = size;
        blob.scanned = true;
        if (size > max_size) {
          blob.found = std::make_unique<BlobResult::Found>();
          blob.found->notice = too_large_notice(occurrence.path, max_size);
          return {};
        }
        Result<std::string_view> content = read_content();
        if (!content) return std::unexpected(content.error());
        return scan_content(*content);
      };
      std::optional<LooseObjects::Object> loose;
      if (!options.loose_objects_directory.empty()) {
        if (!worker.loose) worker.loose.emplace(options.loose_objects_directory);
        loose = worker.loose->read(occurrence.blob, max_size);
      }
      if (loose && loose->type == GIT_OBJECT_BLOB) {  // else libgit2 says what it is
        if (auto scanned = scan_sized(loose->size, [&]() -> Result<std::string_view> { return *loose->content; });
            !scanned) {
          return scanned;
        }
      } else {
        if (auto opened = open_worker(worker, options.location, borrowable(options, index)); !opened) return opened;
        // The packs first (a push's quarantine, the repository's own), each
        // worker with its own reader: libgit2's readers share a lock per pack
        // and a process-wide one for their mapped windows, and a walk of a
        // million small blobs spent a third of its samples waiting on them
        // (BENCHMARKS.md). What that reader does not take (an object
        // elsewhere, over the size limit, a base in another pack) libgit2
        // reads, and says what is wrong.
        if (!worker.packed) {
          git_repository* repository = worker.repository ? worker.repository.get() : borrowable(options, index);
          worker.packed.emplace(PackedObjects::open(pack_directories(repository)));
        }
        std::optional<PackedObjects::Object> packed = worker.packed->read(occurrence.blob, max_size);
        if (packed && packed->type == GIT_OBJECT_BLOB) {
          if (auto scanned = scan_sized(packed->content.size(),
                                        [&]() -> Result<std::string_view> { return packed->content; });
              !scanned) {
            return scanned;
          }
        } else {
          auto size = object_size(worker.odb.get(), occurrence.blob);
          if (!size) return std::unexpected(size.error());
          OdbObjectPtr object;
          auto scanned = scan_sized(*size, [&]() -> Result<std::string_view> {
            auto read = read_object(worker.odb.get(), occurrence.blob);
            if (!read) return std::unexpected(read.error());
            object = std::move(*read);
            return blob_content(object, occurrence.blob);
          });
          if (!scanned) return scanned;
        }
      }
    }
    const std::size_t finished = ++done;
    if (options.progress) options.progress(finished, total);
    return {};
  });
  if (!stopped) return std::unexpected(stopped.error());
  result.timed_out = result.timed_out || *stopped;
  state.done = done;

  Summary& summary = result.summary;
  const std::size_t scanned_before = state.scanned.size();
  for (std::size_t item = 0; item < blobs.size(); ++item) {
    BlobResult& blob = blobs[item];
    if (!blob.scanned) continue;
    ++result.blobs_scanned;
    summary.bytes += blob.bytes;
    if (blob.found && blob.found->notice) {
      result.notices.push_back(*blob.found->notice);
      ++summary.skipped;
    } else {
      ++summary.scanned;
    }
    const git_oid& id = changes.blobs[first_occurrence[item]].blob;
    state.scanned.push_back(id);
    if (blob.found && !blob.found->findings.empty()) state.found.emplace(id, std::move(blob.found));
  }
  const OidLess by_id;
  std::sort(state.scanned.begin() + static_cast<std::ptrdiff_t>(scanned_before), state.scanned.end(), by_id);
  std::inplace_merge(state.scanned.begin(), state.scanned.begin() + static_cast<std::ptrdiff_t>(scanned_before),
                     state.scanned.end(), by_id);

  // The calling thread's repository, with the cache of earlier versions
  // that attribution reads.
  auto main_repository = [&]() -> Result<git_repository*> {
    auto repository = [&] {
      return state.main_worker.repository ? state.main_worker.repository.get() : options.caller_repository;
    };
    if (!state.main_open) {
      if (auto opened = open_worker(state.main_worker, options.location, options.caller_repository); !opened) {
        return std::unexpected(opened.error());
      }
      state.cache = std::make_unique<BeforeCache>(repository(), state.main_worker.odb.get(),
                                                  policy.settings().max_file_size, options.prescanned);
      state.main_open = true;
    }
    return repository();
  };
  auto report = [&](Finding finding, std::uint32_t source, const std::string& path) -> Result<void> {
    if (!state.reported.insert(finding.fingerprint + '\0' + path).second) return {};
    auto described = state.described.find(source);
    if (described == state.described.end()) {
      auto repository = main_repository();
      if (!repository) return std::unexpected(repository.error());
      auto description = describe_source(*repository, changes.sources[source]);
      if (!description) return std::unexpected(description.error());
      described = state.described.emplace(source, std::move(*description)).first;
    }
    ++summary.findings;
    summary.blocking += blocks(finding);
    summary.allowed += finding.allowed;
    result.findings.push_back(
        ReportedFinding{std::move(finding), Provenance{path, described->second, changes.sources[source].ref}});
    return {};
  };

  // Attribution, on this thread: only blobs with findings get here.
  // Text (messages) and blobs interleave by source so output follows history.
  std::size_t next_text = 0;
  Scanner& text_scanner = scanners.front();
  auto scan_texts_until = [&](std::uint32_t source_limit) -> Result<void> {
    for (; next_text < changes.texts.size() && changes.texts[next_text].source < source_limit; ++next_text) {
      const TextOccurrence& text = changes.texts[next_text];
      auto verdict = scan_blob(text_scanner, policy, text.path, text.content);
      if (!verdict) return std::unexpected(verdict.error());
      ++summary.scanned;
      summary.bytes += text.content.size();
      for (Finding& finding : verdict->findings) {
        if (auto reported = report(std::move(finding), text.source, text.path); !reported) return reported;
      }
    }
    return {};
  };
  for (const BlobOccurrence& occurrence : changes.blobs) {
    if (auto texts = scan_texts_until(occurrence.source + 1); !texts) return std::unexpected(texts.error());
    const auto found = state.found.find(occurrence.blob);
    if (found == state.found.end()) continue;  // clean, not a new blob (options.prescanned), or not scanned in time
    if (auto opened = main_repository(); !opened) return std::unexpected(opened.error());
    for (const Finding& finding : found->second->findings) {
      const std::string_view text = std::string_view(found->second->content).substr(finding.offset, finding.length);
      auto is_new = introduced(*state.cache, changes, occurrence, text);
      if (!is_new) return std::unexpected(is_new.error());
      if (*is_new) {
        if (auto reported = report(finding, occurrence.source, occurrence.path); !reported) return reported;
      }
    }
  }
  return scan_texts_until(UINT32_MAX);
}

ChangeScanResult ChangeScan::finish(const ChangeSet& changes) {
  ChangeScanResult& result = m_state->result;
  result.timed_out = result.timed_out || changes.timed_out;
  result.walk_timed_out = changes.timed_out;
  return std::move(result);
}

Result<ChangeScanResult> scan_changes(const ChangeSet& changes, const Policy& policy,
                                      std::vector<Scanner>& scanners, const ChangeScanOptions& options) {
  ChangeScan scan(policy, scanners, options);
  if (auto added = scan.add(changes); !added) return std::unexpected(added.error());
  return scan.finish(changes);
}

void PrescannedBlobs::add(const git_oid& id, const PrescannedBlob& blob) {
  m_blobs.push_back(Entry{id, blob.clean, blob.size});
  if (blob.content) m_contents.emplace(id, blob.content);
}

void PrescannedBlobs::finish() {
  std::sort(m_blobs.begin(), m_blobs.end(),
            [](const Entry& a, const Entry& b) { return OidLess{}(a.id, b.id); });
  // One object in two of a quarantine's packs (or loose and packed) is the
  // same content: once is enough.
  m_blobs.erase(std::unique(m_blobs.begin(), m_blobs.end(),
                            [](const Entry& a, const Entry& b) { return git_oid_equal(&a.id, &b.id); }),
                m_blobs.end());
}

std::vector<PrescannedBlobs::Entry>::const_iterator PrescannedBlobs::lower_bound(const git_oid& id) const {
  return std::lower_bound(m_blobs.begin(), m_blobs.end(), id,
                          [](const Entry& entry, const git_oid& value) { return OidLess{}(entry.id, value); });
}

const PrescannedBlobs::Entry* PrescannedBlobs::entry_of(const git_oid& id) const {
  const auto found = lower_bound(id);
  return found == m_blobs.end() || !git_oid_equal(&found->id, &id) ? nullptr : &*found;
}

PrescannedBlobs::Totals PrescannedBlobs::clean_totals() const {
  Totals totals = m_counted_clean;
  for (const Entry& entry : m_blobs) {
    if (!entry.clean) continue;
    ++totals.blobs;
    totals.bytes += entry.size;
  }
  return totals;
}

std::optional<PrescannedBlob> PrescannedBlobs::find(const git_oid& id) const {
  const Entry* found = entry_of(id);
  if (found == nullptr) return std::nullopt;
  if (found->clean) return PrescannedBlob{found->size, true, nullptr};
  const auto kept = m_contents.find(id);
  return PrescannedBlob{found->size, found->clean, kept != m_contents.end() ? kept->second : nullptr};
}

bool PrescannedBlobs::erase(const git_oid& id) {
  const auto found = lower_bound(id);
  if (found == m_blobs.end() || !git_oid_equal(&found->id, &id)) return false;
  m_blobs.erase(found);
  m_contents.erase(id);
  return true;
}

void PrescannedBlobs::set_content(const git_oid& id, std::shared_ptr<const std::string> content) {
  if (content) m_contents.insert_or_assign(id, std::move(content));
  else m_contents.erase(id);
}

Result<NewObjectScan> scan_new_objects(const QuarantineObjects& listed, const Policy& policy,
                                       std::vector<Scanner>& scanners, const ChangeScanOptions& options) {
  // 8 bytes an object (a push may bring a million); what the few suspects
  // found goes to `suspects`.
  constexpr std::uint64_t k_most_result_size = (std::uint64_t{1} << 62) - 1;  // larger: counted as this
  struct ObjectResult {
    std::uint64_t size : 62 = 0;
    std::uint64_t scanned : 1 = 0;
    std::uint64_t clean : 1 = 0;
  };
  struct Suspect {
    std::size_t item = 0;
    std::vector<Finding> blocking;
    std::shared_ptr<const std::string> content;  // kept while under k_most_kept_bytes
  };
  std::mutex suspects_lock;
  std::vector<Suspect> suspects;
  // Blobs with findings are few; a push of thousands of them keeps only
  // this much and the rest are read again.
  constexpr std::uint64_t k_most_kept_bytes = 64u << 20;
  std::atomic<std::uint64_t> kept_bytes{0};
  // Trees hold paths and ids only: nothing to scan; nor are the objects the
  // repository stores already. The others by their row in the listing (4
  // bytes, where a pointer takes 8).
  std::vector<std::uint32_t> objects;
  const std::size_t listed_count = listed.size();
  objects.reserve(listed_count);
  for (std::size_t row = 0; row < listed_count; ++row) {
    if (listed.object(row, false).type != GIT_OBJECT_TREE && !listed.is_stored(row)) {
      objects.push_back(static_cast<std::uint32_t>(row));
    }
  }
  std::vector<ObjectResult> results(objects.size());
  const std::uint64_t max_size = policy.settings().max_file_size;
  std::atomic<bool> needs_attribution{false};
  bool attribution_started = false;  // worker 0's, on the calling thread
  // A pushed pack's objects: a pass long enough that its second worker
  // should start at once.
  auto stopped = run_workers(objects.size(), scanners.size(), options.deadline, ThreadStart::off_callers_cpu,
                             std::chrono::microseconds::zero(),
                             [&](Worker& worker, unsigned index, std::size_t item) -> Result<void> {
    if (index == 0 && options.on_needs_attribution && !attribution_started &&
        needs_attribution.load(std::memory_order_relaxed)) {
      attribution_started = true;
      options.on_needs_attribution();
    }
    // Reading a packed object takes no id (nor a page of its pack index).
    const NewObject object = listed.object(objects[item], false);
    ObjectResult& result = results[item];
    // Packed objects need no repository handle: only loose ones open one.
    PackReader* reader = nullptr;
    if (object.pack != k_loose_object) {
      worker.readers.resize(listed.packs.size());
      std::optional<PackReader>& slot = worker.readers[object.pack];
      if (!slot) slot.emplace(listed.packs[object.pack]);
      reader = &*slot;
    } else if (auto opened = open_worker(worker, options.location, borrowable(options, index)); !opened) {
      return opened;
    }
    std::uint64_t size = 0;
    if (auto known = listed.known_size(object)) {
      size = *known;
    } else {
      auto header_size = reader != nullptr ? reader->size(object.position) : object_size(worker.odb.get(), object.id);
      if (!header_size) return std::unexpected(header_size.error());
      size = *header_size;
    }
    result.size = std::min(size, k_most_result_size);
    result.scanned = true;
    if (size > max_size) {  // reported with its path by scan_changes
      needs_attribution.store(true, std::memory_order_relaxed);
      return {};
    }
    OdbObjectPtr read_by_libgit2;
    std::string_view content;
    if (reader != nullptr) {
      auto read = reader->read(object.position);
      if (!read) return std::unexpected(read.error());
      content = *read;
    } else {
      auto read = read_object(worker.odb.get(), object.id);
      if (!read) return std::unexpected(read.error());
      read_by_libgit2 = std::move(*read);
      content = std::string_view(static_cast<const char*>(git_odb_object_data(read_by_libgit2.get())),
                                 git_odb_object_size(read_by_libgit2.get()));
    }
    auto verdict = scan_blob(scanners[index], policy, "", content);
    if (!verdict) return std::unexpected(verdict.error());
    result.clean = verdict->findings.empty() && !verdict->notice;
    if (result.clean) return {};
    needs_attribution.store(true, std::memory_order_relaxed);
    Suspect suspect{item, {}, nullptr};
    if (object.type == GIT_OBJECT_BLOB && kept_bytes.fetch_add(size) + size <= k_most_kept_bytes) {
      suspect.content = std::make_shared<const std::string>(content);
    }
    for (Finding& finding : verdict->findings) {
      if (blocks(finding)) suspect.blocking.push_back(std::move(finding));
    }
    const std::lock_guard hold(suspects_lock);
    suspects.push_back(std::move(suspect));
    return {};
  });
  if (!stopped) return std::unexpected(stopped.error());

  NewObjectScan scan;
  scan.timed_out = *stopped;
  scan.objects_total = objects.size();
  // In pack order, as the pass met them.
  std::sort(suspects.begin(), suspects.end(), [](const Suspect& a, const Suspect& b) { return a.item < b.item; });
  auto suspect = suspects.begin();
  // Only attribution reads the blobs' table: a clean push (most pushes)
  // does not build it, 32 bytes a blob less at its peak; nor does a push
  // whose attribution needs only the suspects hold the clean ones.
  const bool attributes = needs_attribution.load();
  const bool lists_clean = options.lists_clean_blobs;
  if (attributes && lists_clean) {
    auto is_blob = [&](std::uint32_t row) { return listed.object(row, false).type == GIT_OBJECT_BLOB; };
    scan.blobs.reserve(static_cast<std::size_t>(std::count_if(objects.begin(), objects.end(), is_blob)));
  }
  for (std::size_t item = 0; item < objects.size(); ++item) {
    const ObjectResult& result = results[item];
    const bool suspected = suspect != suspects.end() && suspect->item == item;
    const Suspect* found = suspected ? &*suspect++ : nullptr;
    if (!result.scanned) continue;
    ++scan.objects_scanned;
    ++scan.summary.scanned;
    scan.summary.bytes += result.size;
    scan.needs_attribution |= !result.clean;
    const NewObject listed_object = listed.object(objects[item], false);
    const bool wants_id =
        found != nullptr || (attributes && (lists_clean || listed_object.type == GIT_OBJECT_COMMIT));
    const NewObject object = wants_id ? listed.object(objects[item], true) : listed_object;
    if (attributes && object.type == GIT_OBJECT_COMMIT && result.clean) {
      scan.clean_commits.push_back(object.id);
      scan.clean_commit_bytes += result.size;
    }
    if (attributes && object.type == GIT_OBJECT_BLOB) {
      const PrescannedBlob blob{result.size, static_cast<bool>(result.clean),
                                found != nullptr ? found->content : nullptr};
      if (lists_clean || !blob.clean) scan.blobs.add(object.id, blob);
      else scan.blobs.count_clean(blob.size);
    }
    if (found == nullptr) continue;
    for (const Finding& finding : found->blocking) {
      ReportedFinding reported{finding, {}};
      reported.where.path =
          fmt::format("(new {} {}, path not yet known)", git_object_type2string(object.type), to_hex(object.id));
      scan.unattributed_blocking.push_back(std::move(reported));
    }
  }
  scan.blobs.finish();
  std::sort(scan.clean_commits.begin(), scan.clean_commits.end(), OidLess{});
  return scan;
}

void block_on_unattributed(ChangeScanResult& result, const NewObjectScan& first_pass) {
  if (!result.timed_out || result.summary.blocking > 0) return;
  for (const ReportedFinding& reported : first_pass.unattributed_blocking) {
    result.findings.push_back(reported);
    ++result.summary.findings;
    ++result.summary.blocking;
  }
}

}  // namespace tg::git
