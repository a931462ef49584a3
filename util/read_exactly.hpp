// Reads an exact number of bytes from a file descriptor.
//
// `read` and `pread` may return fewer bytes than asked for, or fail with
// EINTR; every reader of whole files or of ranges inside one needs the same
// loop around them, so it lives here once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace tg {

// Reads `size` bytes of `fd` starting at `offset` into `out`, retrying short
// and interrupted reads. Returns how many bytes it read: `size`, or fewer
// when the file ends first; -1 on an error, with errno set.
std::int64_t pread_full(int fd, void* out, std::size_t size, std::uint64_t offset);

// Replaces `out` with the `size` bytes of `fd` at `offset`. true only when
// all of them were read; otherwise `out` holds what was.
// NOTE: `out` is not zero-filled before the read; for an 880 KB git index
// that fill was a tenth of reading it.
bool read_exactly(int fd, std::uint64_t offset, std::size_t size, std::string& out);

}  // namespace tg
