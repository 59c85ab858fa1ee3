//===- servers/ramfs/RamData.cpp - A ramfs file's bytes -------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "RamData.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <linux/falloc.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <unistd.h>

using namespace k42;
using namespace k42::ramfs;

RamData::~RamData() {
  if (Fd >= 0)
    ::close(Fd);
}

Status RamData::read(uint64_t Offset, uint64_t Count,
                     std::vector<uint8_t> &Out) const {
  uint64_t N = Offset >= Size ? 0 : std::min(Count, Size - Offset);
  if (Fd < 0) {
    Out.clear();
    if (N)
      Out.assign(Bytes.data() + Offset, Bytes.data() + Offset + N);
    return Status::ok(int64_t(N));
  }
  Out.resize(N);
  uint64_t Got = 0;
  while (Got < N) {
    ssize_t R = ::pread(Fd, Out.data() + Got, N - Got, off_t(Offset + Got));
    if (R < 0 && errno == EINTR)
      continue;
    if (R < 0)
      return Status::error(errno);
    if (R == 0)
      break; // shorter than recorded: only a hostile truncate of the memfd
    Got += uint64_t(R);
  }
  Out.resize(Got);
  return Status::ok(int64_t(Got));
}

Status RamData::write(uint64_t Offset, std::span<const uint8_t> In) {
  uint64_t End = Offset + In.size();
  if (Fd < 0 && Offset >= Size + SparseHole)
    (void)makeMemory(); // a hole: the memfd keeps it sparse (or the vector)
  if (Fd < 0 && End > VectorMax && End > Size)
    return Status::error(EFBIG);
  if (Fd < 0) {
    if (End > Bytes.size())
      Bytes.resize(End);
    if (!In.empty())
      std::memcpy(Bytes.data() + Offset, In.data(), In.size());
    Size = Bytes.size();
    if (!In.empty())
      WrittenEnd = std::max(WrittenEnd, End);
    return Status::ok(int64_t(In.size()));
  }
  for (uint64_t Done = 0; Done < In.size();) {
    ssize_t W =
        ::pwrite(Fd, In.data() + Done, In.size() - Done, off_t(Offset + Done));
    if (W < 0 && errno == EINTR)
      continue;
    if (W <= 0) {
      // What was written stays (as a short write on Linux would).
      Size = std::max(Size, Offset + Done);
      return Done ? Status::ok(int64_t(Done))
                  : Status::error(W < 0 ? errno : EIO);
    }
    Done += uint64_t(W);
  }
  Size = std::max(Size, End);
  seenNow();
  return Status::ok(int64_t(In.size()));
}

Status RamData::resize(uint64_t NewSize) {
  if (Fd < 0 && NewSize >= Size + SparseHole)
    (void)makeMemory();
  // The vector takes a hole's zeros only where the memfd could not be made,
  // and then not past VectorMax.
  if (Fd < 0 && NewSize > VectorMax && NewSize > Size)
    return Status::error(EFBIG);
  if (Fd < 0) {
    Bytes.resize(NewSize);
    WrittenEnd = std::min(WrittenEnd, NewSize);
  } else if (::ftruncate(Fd, off_t(NewSize)) != 0) {
    return Status::error(errno);
  }
  Size = NewSize;
  seenNow();
  return Status::ok();
}

Status RamData::punch(uint64_t Offset, uint64_t Length) {
  if (Offset >= Size || Length == 0)
    return Status::ok();
  uint64_t End = Length > Size - Offset ? Size : Offset + Length;
  constexpr uint64_t Page = 4096;
  // A whole page inside: the memfd, which gives pages back (tmpfs's way).
  if (Fd < 0 && (Offset + Page - 1) / Page * Page + Page <= End)
    (void)makeMemory();
  if (Fd < 0) {
    std::memset(Bytes.data() + Offset, 0, End - Offset);
    return Status::ok();
  }
  int Punched = ::fallocate(Fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                            off_t(Offset), off_t(End - Offset));
  int Errno = errno;
  seenNow();
  return Punched == 0 ? Status::ok() : Status::error(Errno);
}

Status RamData::reserve(uint64_t Offset, uint64_t Length) {
  // No more than the host's free memory, which statfs reports as the free
  // blocks: ENOSPC past it, as a tmpfs answers past its free blocks. A
  // memfd has no limit of its own, and fallocate of 2^62 bytes had the
  // host's OOM killer end ramfs (battery 39).
  struct sysinfo Mem;
  if (::sysinfo(&Mem) == 0 &&
      Length > uint64_t(Mem.freeram) * (Mem.mem_unit ? Mem.mem_unit : 1))
    return Status::error(ENOSPC);
  if (Status S = makeMemory(); !S)
    return S;
  int Reserved =
      ::fallocate(Fd, FALLOC_FL_KEEP_SIZE, off_t(Offset), off_t(Length));
  int Errno = errno;
  seenNow();
  return Reserved == 0 ? Status::ok() : Status::error(Errno);
}

Status RamData::seek(uint64_t Offset, int Whence, uint64_t &Found) const {
  if (Whence != SEEK_DATA && Whence != SEEK_HOLE)
    return Status::error(EINVAL);
  if (Offset >= Size)
    return Status::error(ENXIO);
  if (Fd < 0) {
    Found = Whence == SEEK_DATA ? Offset : Size;
    return Status::ok();
  }
  off_t At = ::lseek(Fd, off_t(Offset), Whence);
  if (At < 0)
    return Status::error(errno);
  // The memfd may be longer than the file (pages reserved past its end).
  Found = uint64_t(At) < Size ? uint64_t(At) : Size;
  if (Whence == SEEK_DATA && Found >= Size)
    return Status::error(ENXIO);
  return Status::ok();
}

uint64_t RamData::blocks() const {
  constexpr uint64_t Page = 4096;
  struct stat St;
  if (Fd >= 0 && ::fstat(Fd, &St) == 0)
    return uint64_t(St.st_blocks);
  return (WrittenEnd + Page - 1) / Page * (Page / 512);
}

Status RamData::memory() {
  Status S = makeMemory();
  if (S) {
    Mapped = true;
    seenNow();
  }
  return S;
}

void RamData::seenNow() {
  struct stat St;
  if (Mapped && Fd >= 0 && ::fstat(Fd, &St) == 0)
    SeenMtime = St.st_mtim;
}

bool RamData::storedThrough(timespec &When) {
  struct stat St;
  if (!Mapped || Fd < 0 || ::fstat(Fd, &St) != 0)
    return false;
  if (St.st_mtim.tv_sec == SeenMtime.tv_sec &&
      St.st_mtim.tv_nsec == SeenMtime.tv_nsec)
    return false;
  SeenMtime = St.st_mtim;
  When = St.st_mtim;
  return true;
}

Status RamData::makeMemory() {
  if (Fd >= 0)
    return Status::ok(Fd);
  int Mem = ::memfd_create("k42-ramfs", MFD_CLOEXEC);
  if (Mem < 0)
    return Status::error(errno);
  auto Fail = [Mem](int Errno) {
    ::close(Mem);
    return Status::error(Errno);
  };
  if (::ftruncate(Mem, off_t(Size)) != 0)
    return Fail(errno);
  // The bytes written, not the zeros a truncate added past them (no page
  // of the memfd for those, as tmpfs has none).
  uint64_t Copy = std::min<uint64_t>(WrittenEnd, Bytes.size());
  for (uint64_t Done = 0; Done < Copy;) {
    ssize_t W = ::pwrite(Mem, Bytes.data() + Done, Copy - Done, off_t(Done));
    if (W < 0 && errno == EINTR)
      continue;
    if (W <= 0)
      return Fail(W < 0 ? errno : EIO);
    Done += uint64_t(W);
  }
  struct stat St;
  if (::fstat(Mem, &St) != 0)
    return Fail(errno);
  Fd = Mem;
  MemIno = St.st_ino;
  std::vector<uint8_t>().swap(Bytes); // the heap copy's memory goes back
  return Status::ok(Fd);
}
