//===- servers/hostfs/HostFile.cpp - An open host file --------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "HostFile.h"
#include "Access.h"

#include <algorithm>
#include <cstring>
#include <fcntl.h>
#include <linux/falloc.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

using namespace k42;
using namespace k42::fs;
using namespace k42::hostfs;

namespace {
Status fromErrno() { return Status::error(errno ? errno : EIO); }
} // namespace

HostFile::~HostFile() { ::close(Fd); }

Status HostFile::pread(uint64_t Offset, uint64_t Count,
                       std::vector<uint8_t> &Data) {
  Data.resize(std::min(Count, TransferMax));
  size_t Got = 0;
  while (Got < Data.size()) {
    ssize_t N =
        ::pread(Fd, Data.data() + Got, Data.size() - Got, off_t(Offset + Got));
    if (N < 0 && errno == EINTR)
      continue;
    if (N < 0) {
      Data.clear();
      return fromErrno();
    }
    if (N == 0)
      break;
    Got += size_t(N);
  }
  Data.resize(Got);
  return Status::ok(int64_t(Got));
}

Status HostFile::pwrite(uint64_t Offset, std::span<const uint8_t> Data,
                        uint32_t Flags, uint64_t &End) {
  if (ReadOnly)
    return Status::error(EROFS);
  iovec V = {const_cast<uint8_t *>(Data.data()), Data.size()};
  ssize_t N = Flags & WriteAppend ? pwritev2(Fd, &V, 1, -1, RWF_APPEND)
                                  : pwritev2(Fd, &V, 1, off_t(Offset), 0);
  if (N < 0)
    return fromErrno();
  End = Flags & WriteAppend ? uint64_t(lseek(Fd, 0, SEEK_END))
                            : Offset + uint64_t(N);
  return Status::ok(N);
}

Status HostFile::stat(FileAttr &Attr) {
  struct ::stat St;
  if (fstat(Fd, &St) != 0)
    return fromErrno();
  Attr = fromStat(St);
  return Status::ok();
}

Status HostFile::truncate(uint64_t Size) {
  if (ReadOnly)
    return Status::error(EROFS);
  return ftruncate(Fd, off_t(Size)) == 0 ? Status::ok() : fromErrno();
}

Status HostFile::punchHole(uint64_t Offset, uint64_t Length) {
  if (ReadOnly)
    return Status::error(EROFS);
  return ::fallocate(Fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                     off_t(Offset), off_t(Length)) == 0
             ? Status::ok()
             : fromErrno();
}

Status HostFile::allocate(uint64_t Offset, uint64_t Length) {
  if (ReadOnly)
    return Status::error(EROFS);
  return ::fallocate(Fd, FALLOC_FL_KEEP_SIZE, off_t(Offset), off_t(Length)) == 0
             ? Status::ok()
             : fromErrno();
}

Status HostFile::memory(int32_t &Fd, uint64_t &Ino) {
  Fd = -1;
  Ino = 0;
  return Status::error(ENODEV);
}

Status HostFile::fsync() {
  return ReadOnly || ::fsync(Fd) == 0 ? Status::ok() : fromErrno();
}

Status HostFile::seekData(uint64_t Offset, uint32_t Whence, uint64_t &Found) {
  if (Whence != SEEK_DATA && Whence != SEEK_HOLE)
    return Status::error(EINVAL);
  // The host file's own map of its holes (its offset is never used:
  // every read and write names its own).
  off_t At = ::lseek(Fd, off_t(Offset), int(Whence));
  if (At < 0)
    return fromErrno();
  Found = uint64_t(At);
  return Status::ok();
}

Status HostFile::readdir(uint64_t Cookie, uint32_t MaxBytes,
                         std::vector<uint8_t> &Entries, uint64_t &Next) {
  std::lock_guard<std::mutex> Guard(DirLock);
  struct ::stat St;
  if (fstat(Fd, &St) != 0)
    return fromErrno();
  if (!S_ISDIR(St.st_mode))
    return Status::error(ENOTDIR);
  if (lseek(Fd, off_t(Cookie), SEEK_SET) < 0)
    return fromErrno();
  Entries.resize(std::min<uint64_t>(MaxBytes, TransferMax));
  long N = syscall(SYS_getdents64, Fd, Entries.data(), Entries.size());
  if (N < 0) {
    Entries.clear();
    return fromErrno();
  }
  Entries.resize(size_t(N));
  Next = nextDirCookie(Entries.data(), Entries.size(), Cookie);
  return Status::ok(N);
}

Status HostFile::chmod(const Badge &Caller, uint32_t Mode) {
  if (ReadOnly)
    return Status::error(EROFS);
  FileAttr A;
  if (Status S = stat(A); !S)
    return S;
  if (!mayOwn(A, Caller))
    return Status::error(EPERM);
  return fchmod(Fd, Mode & 07777) == 0 ? Status::ok() : fromErrno();
}

Status HostFile::chown(const Badge &Caller, uint32_t Uid, uint32_t Gid) {
  if (ReadOnly)
    return Status::error(EROFS);
  FileAttr A;
  if (Status S = stat(A); !S)
    return S;
  if (int E = mayChown(A, Caller, Uid, Gid))
    return Status::error(E);
  return fchown(Fd, Uid, Gid) == 0 ? Status::ok() : fromErrno();
}

Status HostFile::utimens(const Badge &Caller, const FileTimes &Times) {
  if (ReadOnly)
    return Status::error(EROFS);
  FileAttr A;
  if (Status S = stat(A); !S)
    return S;
  if (!mayOwn(A, Caller))
    return Status::error(EPERM);
  timespec T[2] = {{Times.AtimeSec, Times.AtimeNsec},
                   {Times.MtimeSec, Times.MtimeNsec}};
  return futimens(Fd, T) == 0 ? Status::ok() : fromErrno();
}

Status HostFile::close() { return Status::ok(); }

Status HostFile::path(std::string &) { return Status::error(ENOSYS); }
