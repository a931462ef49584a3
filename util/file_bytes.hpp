// The bytes of a whole file in memory, read-only, released once. For formats
// read at scattered offsets (a pack's entry headers, its index) that a
// caller may or may not read whole.
#pragma once

#include "core/error.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>

namespace tg {

class FileBytes {
 public:
  // Fails with the path and the system's reason. An empty file gives an
  // empty span.
  //
  // A file of at most `read_limit` bytes, meant to be read whole, is read
  // into the heap when the kernel hands out transparent huge pages (a heap
  // set up by use_short_run_heap is in 2 MB pages then), and else mapped
  // with all its pages in place. A larger file is mapped and faults in as it
  // is touched, so that a multi-GB pack is not counted in the process's
  // memory at once. `read_limit` should stay under the size from which
  // malloc maps blocks of their own (32 MB in a short-run heap): those are
  // not in huge pages.
  //
  // Why: on a virtual machine measured here a mapped file's page costs 1-1.5
  // us at its first touch even when MAP_POPULATE has put it in place, and a
  // 4 KB anonymous page 11 us to fault in; in a 2 MB page every touch after
  // the first is free. A 200-commit push's 2.7 MB pack: mapped and touched
  // page by page in 1.1-1.7 ms, read into huge pages in 0.55-0.65 ms.
  static Result<FileBytes> open(const std::string& path, std::size_t read_limit = 0);

  FileBytes() = default;  // holds nothing

  FileBytes(FileBytes&& other) noexcept
      : m_buffer(std::move(other.m_buffer)),
        m_mapping(std::exchange(other.m_mapping, nullptr)),
        m_size(std::exchange(other.m_size, 0)) {}
  FileBytes& operator=(FileBytes&& other) noexcept;
  FileBytes(const FileBytes&) = delete;
  FileBytes& operator=(const FileBytes&) = delete;
  ~FileBytes() { reset(); }

  std::span<const unsigned char> bytes() const {
    return {m_buffer ? m_buffer.get() : static_cast<const unsigned char*>(m_mapping), m_size};
  }

  // A mapped file's pages touched so far leave the process's memory; the
  // bytes stay valid and are read again from the page cache when touched,
  // so other threads may go on reading them meanwhile. A file read into the
  // heap is left as it is.
  //
  // Why: every touched page of a mapping counts in the process's resident
  // memory until it is unmapped; a hook that reads a 600 MB pack through
  // would otherwise peak at 600 MB.
  void release_pages() const;

  // The process's resident pages that files back (its code, every mapped
  // FileBytes, libgit2's pack windows), in bytes; nullopt where the system
  // does not say (no /proc). For deciding whether release_pages() is due:
  // how many pages a read maps varies with the kernel and the page cache.
  static std::optional<std::uint64_t> resident_file_bytes();

 private:
  void reset();

  std::unique_ptr<unsigned char[]> m_buffer;  // the file read into the heap, or
  void* m_mapping = nullptr;                  // the file mapped
  std::size_t m_size = 0;
};

}  // namespace tg
