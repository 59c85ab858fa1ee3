//===- servers/ramfs/RamData.h - A ramfs file's bytes ------------*- C++
//-*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Where a regular ramfs file keeps its bytes: in the server's own heap
/// (a vector) until a client first maps the file or it gets a hole of
/// SparseHole or more, then in a memfd the server owns, which every
/// client mapping maps too (MAP_SHARED or
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
#include <ctime>
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
  /// Zeros of \p Length bytes from \p Offset, within the size, their
  /// space given back: the memfd's pages punched out (the bytes move
  /// there first when the hole holds a whole page), the vector's zeroed.
  k42::Status punch(uint64_t Offset, uint64_t Length);
  /// The pages of \p Length bytes from \p Offset allocated, the size
  /// unchanged (fallocate's KEEP_SIZE): the bytes move to the memfd, whose
  /// pages blocks() counts.
  k42::Status reserve(uint64_t Offset, uint64_t Length);
  /// lseek's SEEK_DATA or SEEK_HOLE from \p Offset (fs::File::seekData):
  /// the memfd's own map of its pages, once the bytes are there; a file
  /// still in the vector is all data.
  k42::Status seek(uint64_t Offset, int Whence, uint64_t &Found) const;

  /// A hole of a page or more (a truncate that grows the file, a write
  /// past its end) puts the bytes in the memfd first (memory()), where the
  /// host allocates pages only where bytes were written, as tmpfs keeps a
  /// sparse file: the vector would hold every zero (`truncate -s 1G` took
  /// a gigabyte of the server's memory, and a file of 4 GiB, FileMax, as
  /// much). If the memfd cannot be made, the vector takes the zeros.
  static constexpr uint64_t SparseHole = 4096;
  /// The most the vector grows to by a hole, where no memfd could be made.
  static constexpr uint64_t VectorMax = uint64_t(1) << 32;

  /// The space the bytes take, in 512-byte units as st_blocks counts it:
  /// the whole 4 KiB pages of the vector that bytes were written in
  /// (tmpfs's count), or what the host says the memfd holds (a hole takes
  /// none).
  uint64_t blocks() const;

  /// The memfd holding the bytes (its descriptor is the value), made now
  /// with the bytes the vector held if there is none yet, for a client
  /// that maps the file (mapped() from now on). ENFILE/EMFILE/ENOMEM from
  /// the host if it cannot be made (the bytes stay where they were).
  k42::Status memory();

  /// Whether a client was handed the memfd (the file mapped at least
  /// once): ramfs then grants no single-client lease on the file, since
  /// stores through a mapping never pass the server. A memfd made for a
  /// hole alone changes nothing of that.
  bool mapped() const { return Mapped; }

  /// Whether stores through a client's mapping moved the memfd's
  /// modification time since the server last looked (the host moves it at
  /// a store's first write fault, as tmpfs moves a mapped file's): \p When
  /// gets that time. A mapped file's only; the server's own changes are
  /// not such stores.
  bool storedThrough(timespec &When);

  /// The memfd's host inode number (0 before memory()): a client that
  /// opens the memfd anew checks it found this one.
  uint64_t memoryIno() const { return MemIno; }

private:
  /// The memfd, made with the vector's bytes if there is none (memory()
  /// without the client).
  k42::Status makeMemory();
  /// Records the memfd's modification time as the server's to know: after
  /// its own changes to a mapped file, and after storedThrough().
  void seenNow();

  std::vector<uint8_t> Bytes;
  /// The end of the bytes written while the file is in the vector: a
  /// truncate that grows it past them adds zeros no page holds on tmpfs
  /// (`truncate -s 2000` of a new file takes no block), which blocks()
  /// and makeMemory() leave out.
  uint64_t WrittenEnd = 0;
  int Fd = -1;
  bool Mapped = false;
  /// The memfd's modification time when the server last knew it.
  timespec SeenMtime{};
  uint64_t MemIno = 0;
  uint64_t Size = 0;
};

} // namespace k42::ramfs

#endif // K42_SERVERS_RAMFS_RAMDATA_H
