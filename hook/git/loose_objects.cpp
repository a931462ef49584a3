#include "hook/git/loose_objects.hpp"

#include "hook/git/libgit2.hpp"
#include "hook/git/pack_format.hpp"
#include "util/read_exactly.hpp"
#include "util/unique_fd.hpp"

#include <libdeflate.h>
#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <fcntl.h>
#include <limits>
#include <sys/stat.h>

namespace tg::git {
namespace {

// The longest header: "commit " and a 20-digit size with its NUL.
constexpr std::size_t k_longest_header = 28;
// zlib's two header bytes and Adler-32 trailer around the deflate stream.
constexpr std::uint64_t k_zlib_framing = 6;

// Inflates the first bytes of the zlib stream `compressed`, enough for any
// loose header; what came out, or empty on a damaged stream.
std::string inflate_start(std::string_view compressed) {
  std::string out(k_longest_header, '\0');
  z_stream stream{};
  if (inflateInit(&stream) != Z_OK) return {};
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(std::min<std::size_t>(compressed.size(), std::numeric_limits<uInt>::max()));
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int status = inflate(&stream, Z_SYNC_FLUSH);
  const std::size_t produced = out.size() - stream.avail_out;
  inflateEnd(&stream);
  if (status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR) return {};
  out.resize(produced);
  return out;
}

}  // namespace

std::optional<LooseHeader> parse_loose_header(std::string_view bytes) {
  const std::size_t space = bytes.find(' ');
  const std::size_t end = bytes.find('\0');
  if (space == std::string_view::npos || end == std::string_view::npos || end <= space + 1) return std::nullopt;
  LooseHeader header;
  const std::string_view type = bytes.substr(0, space);
  if (type == "blob") {
    header.type = GIT_OBJECT_BLOB;
  } else if (type == "tree") {
    header.type = GIT_OBJECT_TREE;
  } else if (type == "commit") {
    header.type = GIT_OBJECT_COMMIT;
  } else if (type == "tag") {
    header.type = GIT_OBJECT_TAG;
  } else {
    return std::nullopt;
  }
  const std::string_view digits = bytes.substr(space + 1, end - space - 1);
  if (digits.size() > 1 && digits.front() == '0') return std::nullopt;  // git never writes leading zeros
  const auto parsed = std::from_chars(digits.data(), digits.data() + digits.size(), header.size);
  if (parsed.ec != std::errc() || parsed.ptr != digits.data() + digits.size()) return std::nullopt;
  header.length = end + 1;
  return header;
}

void LooseObjects::DecompressorDeleter::operator()(libdeflate_decompressor* decompressor) const {
  libdeflate_free_decompressor(decompressor);
}

LooseObjects::LooseObjects(std::string objects_directory) : m_directory(std::move(objects_directory)) {}
LooseObjects::LooseObjects(LooseObjects&&) noexcept = default;
LooseObjects& LooseObjects::operator=(LooseObjects&&) noexcept = default;
LooseObjects::~LooseObjects() = default;

std::optional<LooseObjects::Object> LooseObjects::read(const git_oid& id, std::uint64_t max_size) {
  const std::string hex = to_hex(id);
  const std::string path = m_directory + "/" + hex.substr(0, 2) + "/" + hex.substr(2);
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  struct stat status {};
  if (!fd || ::fstat(fd.get(), &status) != 0 || !S_ISREG(status.st_mode)) return std::nullopt;
  const auto file_size = static_cast<std::uint64_t>(status.st_size);

  // A file larger than zlib could make of `max_size` bytes holds a larger
  // object (or a damaged one): its start is enough to say which.
  const std::uint64_t most_compressed =
      max_size > std::numeric_limits<std::uint64_t>::max() / 2
          ? std::numeric_limits<std::uint64_t>::max()
          : pack_format::deflate_bound(max_size + k_longest_header) + k_zlib_framing;
  const std::uint64_t to_read = std::min(file_size, most_compressed);
  if (to_read > std::numeric_limits<std::size_t>::max() / 2) return std::nullopt;
  if (!read_exactly(fd.get(), 0, static_cast<std::size_t>(to_read), m_file)) return std::nullopt;

  auto header = parse_loose_header(inflate_start(m_file));
  if (!header) return std::nullopt;
  Object object{header->type, header->size, std::nullopt};
  if (header->size > max_size) return object;
  if (to_read < file_size) return std::nullopt;  // more compressed bytes than its size allows

  if (!m_decompressor) {
    m_decompressor.reset(libdeflate_alloc_decompressor());
    if (!m_decompressor) return std::nullopt;
  }
  const std::size_t total = header->length + static_cast<std::size_t>(header->size);
  bool inflated = false;
  m_inflated.resize_and_overwrite(total, [&](char* out, std::size_t) {
    std::size_t produced = 0;
    inflated = libdeflate_zlib_decompress_ex(m_decompressor.get(), m_file.data(), m_file.size(), out, total,
                                             nullptr, &produced) == LIBDEFLATE_SUCCESS &&
               produced == total;
    return total;
  });
  if (!inflated) return std::nullopt;
  object.content = std::string_view(m_inflated).substr(header->length);
  return object;
}

}  // namespace tg::git
