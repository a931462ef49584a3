// Engine throughput and start-up (issue 5, target 4): Scanner::scan on
// ordinary and adversarial text, the Hyperscan stage alone, the base64 pair
// trigger alone, each Hyperscan trigger
// pattern alone (to see which one costs), and loading the pattern database.
// One thread: the targets are per core. Inputs are generated, deterministic
// and a few MB (TG_BENCH_MB overrides the size). Numbers go to BENCHMARKS.md.
#include "core/base64_pair_trigger.hpp"
#include "core/pattern_db.hpp"
#include "core/patterns.hpp"
#include "core/scanner.hpp"
#include "tests/bench/corpus.hpp"

#include <benchmark/benchmark.h>
#include <hs/hs.h>

#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

namespace {

using tg::bench::CorpusGenerator;
using tg::bench::FileKind;

std::size_t corpus_bytes() {
  const char* mb = std::getenv("TG_BENCH_MB");
  const long value = mb != nullptr ? std::strtol(mb, nullptr, 10) : 0;
  return static_cast<std::size_t>(value > 0 ? value : 4) << 20;
}

const tg::PatternDatabase& database() {
  static const tg::PatternDatabase db = [] {
    auto loaded = tg::PatternDatabase::load();
    if (!loaded) throw std::runtime_error(loaded.error().message);
    return std::move(*loaded);
  }();
  return db;
}

const std::string& corpus(const std::string& name) {
  static std::map<std::string, std::string> cache;
  if (auto found = cache.find(name); found != cache.end()) return found->second;
  CorpusGenerator gen;
  const std::size_t bytes = corpus_bytes();
  std::string text;
  if (name == "ordinary") text = gen.ordinary(bytes);
  else if (name == "ordinary_with_credentials") {
    // One planted pair per ~64 KB: the confirm stage's own cost on hits.
    while (text.size() < bytes) text += gen.ordinary(64 << 10) + gen.planted_credential();
  } else if (name == "AC") text = gen.repeated("AC", bytes);
  else if (name == "hex") text = gen.hex_digits(bytes);
  else if (name == "auth_token") text = gen.repeated("auth_token", bytes);
  else if (name == "auth_token_lines") text = gen.repeated("auth_token = x\n", bytes);
  else if (name == "near_miss_sid") text = gen.near_miss_sids(bytes);
  else if (name == "near_miss_base64") text = gen.near_miss_base64(bytes);
  else if (name == "near_miss_jwt") text = gen.near_miss_jwts(bytes);
  else if (name == "near_miss_names") text = gen.near_miss_names(bytes);
  else if (name == "QUM") text = gen.repeated("QUM", bytes);
  else if (name == "QUMw") text = gen.repeated("QUMw", bytes);
  else if (name == "QUMw_words") text = gen.repeated(" QUMw", bytes);
  else if (name == "eyJ") text = gen.repeated("eyJ", bytes);
  else throw std::runtime_error("unknown corpus " + name);
  return cache.emplace(name, std::move(text)).first->second;
}

class CountingSink final : public tg::FindingSink {
 public:
  void on_finding(const tg::Finding&) override { ++count; }
  std::size_t count = 0;
};

// Whole buffer in one scan call.
void BM_Scan(benchmark::State& state, const std::string& name) {
  const std::string& text = corpus(name);
  auto scanner = tg::Scanner::create(database());
  if (!scanner) {
    state.SkipWithError(scanner.error().message.c_str());
    return;
  }
  CountingSink sink;
  for (auto _ : state) {
    sink.count = 0;
    if (auto scanned = scanner->scan(text, sink); !scanned) {
      state.SkipWithError(scanned.error().message.c_str());
      return;
    }
    benchmark::DoNotOptimize(sink.count);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.counters["findings"] = static_cast<double>(sink.count);
}

// The same ordinary text cut into file-sized blobs (8 KB), as the hooks
// scan it: includes the per-call cost of hs_scan and the scanner.
void BM_ScanFiles(benchmark::State& state) {
  const std::string& text = corpus("ordinary");
  const std::size_t piece = static_cast<std::size_t>(state.range(0));
  auto scanner = tg::Scanner::create(database());
  if (!scanner) {
    state.SkipWithError(scanner.error().message.c_str());
    return;
  }
  CountingSink sink;
  for (auto _ : state) {
    for (std::size_t offset = 0; offset < text.size(); offset += piece) {
      const std::string_view blob = std::string_view(text).substr(offset, piece);
      if (auto scanned = scanner->scan(blob, sink); !scanned) {
        state.SkipWithError(scanned.error().message.c_str());
        return;
      }
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ScanFiles)->Arg(1 << 10)->Arg(8 << 10)->Arg(64 << 10);

int count_hit(unsigned, unsigned long long, unsigned long long, unsigned, void* context) {
  ++*static_cast<std::size_t*>(context);
  return 0;
}

void hyperscan_only(benchmark::State& state, const hs_database_t* db, const std::string& text) {
  hs_scratch_t* raw_scratch = nullptr;
  if (hs_alloc_scratch(db, &raw_scratch) != HS_SUCCESS) {
    state.SkipWithError("hs_alloc_scratch failed");
    return;
  }
  tg::HsScratchPtr scratch(raw_scratch);
  std::size_t hits = 0;
  for (auto _ : state) {
    hits = 0;
    hs_scan(db, text.data(), static_cast<unsigned>(text.size()), 0, scratch.get(), count_hit,
            &hits);
    benchmark::DoNotOptimize(hits);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.counters["hits"] = static_cast<double>(hits);
}

// The trigger stage alone: Hyperscan with a callback that only counts.
void BM_Hyperscan(benchmark::State& state, const std::string& name) {
  hyperscan_only(state, database().get(), corpus(name));
}

// The trigger that is not in the Hyperscan database, alone.
void BM_Base64PairTrigger(benchmark::State& state, const std::string& name) {
  const std::string& text = corpus(name);
  std::vector<tg::TriggerHit> hits;
  for (auto _ : state) {
    hits.clear();
    tg::find_base64_pair_triggers(text, hits);
    benchmark::DoNotOptimize(hits.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.counters["hits"] = static_cast<double>(hits.size());
}

// One trigger pattern alone, compiled on the spot, on ordinary text: which
// pattern costs the most.
void BM_PatternAlone(benchmark::State& state) {
  const tg::TriggerPattern& pattern = tg::trigger_patterns()[static_cast<std::size_t>(state.range(0))];
  const std::string expression(pattern.expression);
  hs_database_t* raw_db = nullptr;
  hs_compile_error_t* raw_error = nullptr;
  if (hs_compile(expression.c_str(), pattern.flags, HS_MODE_BLOCK, nullptr, &raw_db, &raw_error) !=
      HS_SUCCESS) {
    tg::HsCompileErrorPtr error(raw_error);
    state.SkipWithError(error->message);
    return;
  }
  tg::HsDatabasePtr db(raw_db);
  state.SetLabel(expression);
  hyperscan_only(state, db.get(), corpus("ordinary"));
}
BENCHMARK(BM_PatternAlone)->DenseRange(0, static_cast<int>(tg::k_hyperscan_trigger_count) - 1);

// Start-up: the embedded database deserialized and a scratch allocated, what
// every process pays before the first byte is scanned.
void BM_DatabaseLoad(benchmark::State& state) {
  bool embedded = true;
  for (auto _ : state) {
    auto db = tg::PatternDatabase::load();
    if (!db) {
      state.SkipWithError(db.error().message.c_str());
      return;
    }
    embedded = embedded && db->origin() == tg::DatabaseOrigin::embedded;
    auto scratch = db->make_scratch();
    benchmark::DoNotOptimize(scratch);
  }
  state.SetLabel(embedded ? "embedded" : "COMPILED (embedded database unusable)");
}
BENCHMARK(BM_DatabaseLoad)->Unit(benchmark::kMicrosecond);

// The fallback that the embedded database avoids.
void BM_DatabaseCompile(benchmark::State& state) {
  for (auto _ : state) {
    auto db = tg::PatternDatabase::compile();
    benchmark::DoNotOptimize(db);
  }
}
BENCHMARK(BM_DatabaseCompile)->Unit(benchmark::kMillisecond);

const char* const k_corpora[] = {
    "ordinary",      "ordinary_with_credentials", "AC",
    "hex",           "auth_token",                "auth_token_lines",
    "near_miss_sid", "near_miss_base64",          "near_miss_jwt",
    "near_miss_names", "QUM",                     "QUMw",
    "QUMw_words",      "eyJ"};

[[maybe_unused]] const bool k_registered = [] {
  for (const char* name : k_corpora) {
    benchmark::RegisterBenchmark((std::string("BM_Scan/") + name).c_str(),
                                 [name](benchmark::State& s) { BM_Scan(s, name); });
  }
  for (const char* name : k_corpora) {
    benchmark::RegisterBenchmark((std::string("BM_Hyperscan/") + name).c_str(),
                                 [name](benchmark::State& s) { BM_Hyperscan(s, name); });
  }
  for (const char* name : k_corpora) {
    benchmark::RegisterBenchmark((std::string("BM_Base64PairTrigger/") + name).c_str(),
                                 [name](benchmark::State& s) { BM_Base64PairTrigger(s, name); });
  }
  return true;
}();

}  // namespace

BENCHMARK_MAIN();
