//===- servers/ramfs/RamData.h - A ramfs file's bytes ------------*- C++
//-*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Where a regular ramfs file keeps its bytes: in the server's own heap
/// (a vector) until a client first maps the file, then in a memfd the
/// server owns, which every client mapping maps too (MAP_SHARED or
/// MAP_PRIVATE on the host), so reads, writes and truncates through the
/// server and stores through any mapping are one set of pages, as Linux's
/// page cache makes them. A file never mapped holds no descriptor: the
/// server does not hold one per file. The memfd goes with the inode; the
/// host keeps its pages while a mapping still holds them.
///
//===----------------------------------------------------------------------===//

#ifndef K42_SERVERS_RAMFS_RAMDATA_H
#define K42_SERVERS_RAMFS_RAMDATA_H

#include <k42/ipc/Status.h>

#include <cstdint>
#include <span>
#include <vector>

namespace k42::ramfs {

/// One regular file's bytes. Not thread-safe: the inode's DataLock guards
/// it.
class RamData {
public:
  RamData() = default;
  ~RamData();
  RamData(const RamData &) = delete;
  RamData &operator=(const RamData &) = delete;

  /// The file's size.
  uint64_t size() const { return Size; }

  /// Up to \p Count bytes from \p Offset into \p Out (replacing what it
  /// held); the value is how many (0 at or past the end).
  k42::Status read(uint64_t Offset, uint64_t Count,
                   std::vector<uint8_t> &Out) const;

  /// Writes \p Bytes at \p Offset, growing the file (zeros in any gap).
  k42::Status write(uint64_t Offset, std::span<const uint8_t> Bytes);

  /// Sets the size: zeros when it grows; a shorter memfd, whose mappings
  /// then fault (SIGBUS) past the new end.
  k42::Status resize(uint64_t NewSize);

  /// The memfd holding the bytes (its descriptor is the value), made now
  /// with the bytes the vector held if this is the first map of the file.
  /// ENFILE/EMFILE/ENOMEM from the host if it cannot be made (the bytes
  /// stay where they were).
  k42::Status memory();

  /// Whether the bytes are in a memfd (mapped at least once): ramfs then
  /// grants no single-client lease on the file, since stores through a
  /// mapping never pass the server.
  bool inMemory() const { return Fd >= 0; }

  /// The memfd's host inode number (0 before memory()): a client that
  /// opens the memfd anew checks it found this one.
  uint64_t memoryIno() const { return MemIno; }

private:
  std::vector<uint8_t> Bytes;
  int Fd = -1;
  uint64_t MemIno = 0;
  uint64_t Size = 0;
};

} // namespace k42::ramfs

#endif // K42_SERVERS_RAMFS_RAMDATA_H
