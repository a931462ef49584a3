// tg-bench-gen: writes benchmark inputs for tests/bench/run.sh.
//
//   tg-bench-gen corpus NAME BYTES [SEED]   one engine corpus (engine_bench's names,
//                                           python, soup)
//   tg-bench-gen history [options]           a `git fast-import` stream on stdout
//     --files N       files in the first commit (default 2000)
//     --commits N     commits after the first (default 2000)
//     --edits N       files touched per commit, on average (default 3)
//     --size BYTES    average file size (default 8192)
//     --plant N       commits that add a fake credential (default 3)
//     --seed N
//
// The history is a linear `main`: a first commit with every file, then
// commits that each edit a few files (replace a few lines, sometimes add a
// file), so blobs change the way they do in real repositories and packs
// delta-compress. Unique blob content is about files*size + commits*edits*size.
#include "tests/bench/corpus.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

using tg::bench::CorpusGenerator;
using tg::bench::FileKind;

struct HistoryOptions {
  std::size_t files = 2000;
  std::size_t commits = 2000;
  std::size_t edits = 3;
  std::size_t size = 8192;
  std::size_t plant = 3;
  std::uint64_t seed = 20261122;
};

struct File {
  std::string path;
  FileKind kind;
  std::string content;
};

constexpr std::string_view k_top_dirs[] = {"src", "lib", "services", "web", "tools", "config", "docs", "vendor"};

void write(std::string_view bytes) { std::fwrite(bytes.data(), 1, bytes.size(), stdout); }

void emit_file(const File& file) {
  write(fmt::format("M 100644 inline {}\ndata {}\n", file.path, file.content.size()));
  write(file.content);
  write("\n");
}

// Replaces a few lines at a random place with new ones; keeps the file near
// its original size.
void edit(CorpusGenerator& gen, File& file, std::size_t target_size) {
  auto& random = gen.random();
  std::string& text = file.content;
  std::size_t at = text.empty() ? 0 : random() % text.size();
  at = text.rfind('\n', at);
  at = at == std::string::npos ? 0 : at + 1;
  std::size_t end = at;
  for (std::size_t n = random() % 6; n > 0 && end < text.size(); --n) {
    const std::size_t newline = text.find('\n', end);
    end = newline == std::string::npos ? text.size() : newline + 1;
  }
  text.replace(at, end - at, gen.lines(file.kind, 1 + static_cast<int>(random() % 8)));
  if (text.size() > 3 * target_size) text.erase(0, text.find('\n', text.size() / 2) + 1);
}

int history(const HistoryOptions& options) {
  CorpusGenerator gen(options.seed);
  auto& random = gen.random();
  std::vector<File> files;
  auto new_file = [&](std::size_t index) {
    const auto kind = static_cast<FileKind>(random() % tg::bench::k_file_kind_count);
    const std::size_t size = options.size / 4 + random() % (options.size * 3 / 2 + 1);
    files.push_back(File{fmt::format("{}/m{}/f{}{}", k_top_dirs[index % 8], index / 97, index,
                                     tg::bench::file_extension(kind)),
                         kind, gen.file(kind, size)});
  };
  for (std::size_t i = 0; i < options.files; ++i) new_file(i);

  std::vector<bool> plant_at(options.commits + 1, false);
  for (std::size_t n = 0; n < options.plant && options.commits > 0; ++n) {
    plant_at[1 + random() % options.commits] = true;
  }

  long long when = 1700000000;
  auto header = [&](std::size_t number, std::string_view message) {
    when += 600 + static_cast<long long>(random() % 7200);
    write(fmt::format("commit refs/heads/main\nmark :{}\n"
                      "author Dev {} <dev{}@example.com> {} +0000\n"
                      "committer Dev {} <dev{}@example.com> {} +0000\n"
                      "data {}\n{}\n",
                      number + 1, number % 17, number % 17, when, number % 17, number % 17,
                      when, message.size(), message));
    if (number > 0) write(fmt::format("from :{}\n", number));
  };

  header(0, "Initial import");
  for (const File& file : files) emit_file(file);
  write("\n");
  for (std::size_t number = 1; number <= options.commits; ++number) {
    header(number, fmt::format("Change {}", number));
    const std::size_t touched = 1 + random() % (2 * options.edits);
    for (std::size_t n = 0; n < touched; ++n) {
      if (random() % 20 == 0) {
        new_file(files.size());
        emit_file(files.back());
        continue;
      }
      File& file = files[random() % files.size()];
      edit(gen, file, options.size);
      if (n == 0 && plant_at[number]) file.content += gen.planted_credential();
      emit_file(file);
    }
    write("\n");
  }
  return 0;
}

int corpus(std::string_view name, std::size_t bytes, std::uint64_t seed) {
  CorpusGenerator gen(seed);
  std::string text;
  if (name == "ordinary") text = gen.ordinary(bytes);
  else if (name == "AC") text = gen.repeated("AC", bytes);
  else if (name == "hex") text = gen.hex_digits(bytes);
  else if (name == "auth_token") text = gen.repeated("auth_token", bytes);
  else if (name == "near_miss_sid") text = gen.near_miss_sids(bytes);
  else if (name == "near_miss_base64") text = gen.near_miss_base64(bytes);
  else if (name == "near_miss_jwt") text = gen.near_miss_jwts(bytes);
  else if (name == "near_miss_names") text = gen.near_miss_names(bytes);
  else if (name == "python") text = gen.file(FileKind::python, bytes);
  else if (name == "soup") text = gen.credential_soup(bytes);
  else {
    std::fprintf(stderr, "tg-bench-gen: unknown corpus %.*s\n", static_cast<int>(name.size()),
                 name.data());
    return 2;
  }
  write(text);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  if ((args.size() == 3 || args.size() == 4) && args[0] == "corpus") {
    const std::uint64_t seed =
        args.size() == 4 ? std::strtoull(std::string(args[3]).c_str(), nullptr, 10) : 20261122;
    return corpus(args[1], std::strtoull(std::string(args[2]).c_str(), nullptr, 10), seed);
  }
  if (!args.empty() && args[0] == "history") {
    HistoryOptions options;
    for (std::size_t i = 1; i + 1 < args.size(); i += 2) {
      const std::size_t value = std::strtoull(std::string(args[i + 1]).c_str(), nullptr, 10);
      if (args[i] == "--files") options.files = value;
      else if (args[i] == "--commits") options.commits = value;
      else if (args[i] == "--edits") options.edits = value;
      else if (args[i] == "--size") options.size = value;
      else if (args[i] == "--plant") options.plant = value;
      else if (args[i] == "--seed") options.seed = value;
      else {
        std::fprintf(stderr, "tg-bench-gen: unknown option %s\n", argv[i + 1]);
        return 2;
      }
    }
    if (options.files == 0 || options.size == 0 || options.edits == 0) {
      std::fprintf(stderr, "tg-bench-gen: --files, --size and --edits must be positive\n");
      return 2;
    }
    return history(options);
  }
  std::fprintf(stderr,
               "usage: tg-bench-gen corpus NAME BYTES [SEED]\n"
               "       tg-bench-gen history [--files N] [--commits N] [--edits N] [--size B] "
               "[--plant N] [--seed N]\n");
  return 2;
}
