//===- runtime/linux/FileControl.cpp - Locks and ioctl of K42 files -------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Locks on K42 files taken on a host lock file per K42 file, and their
/// ioctl (FileControl.h).
///
//===----------------------------------------------------------------------===//

#include "k42/personality/FileControl.h"

#include "k42/personality/FileDispatch.h"
#include "k42/personality/FileState.h"
#include "k42/personality/FsBridge.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/ProcNames.h"
#include "k42/personality/SpawnView.h"
#include "k42/personality/UserMemory.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

using namespace k42;
using namespace k42::fs;
using namespace k42::personality;

namespace {

constexpr int NumLockFds = FileControl::LastFd - FileControl::FirstFd + 1;
/// OpenFiles using each lock file descriptor (one, but after an exec,
/// where each descriptor of a description is an OpenFile of its own).
uint32_t Users[NumLockFds];
/// Those carry() kept open across an exec in progress.
bool Carried[NumLockFds];

bool inRange(int Fd) {
  return Fd >= FileControl::FirstFd && Fd <= FileControl::LastFd;
}

/// \p File's lock file descriptor, opened on first use. A negated errno.
long lockFd(OpenFile &File) {
  if (File.LockFd >= 0)
    return File.LockFd;
  FileAttr Attr;
  Attr.Dev = File.Desc->Dev;
  Attr.Ino = File.Desc->Ino;
  if (!Attr.Ino) {
    if (long E = FileDispatch::authorise(File); E < 0)
      return E;
    if (long E = FsBridge::fstat(File.Server, Attr); E < 0)
      return E;
  }
  // <socket dir>/locks/<dev>-<ino>
  const char *Socket = FsBridge::socketPath();
  const char *Slash = std::strrchr(Socket, '/');
  size_t Dir = Slash ? size_t(Slash - Socket) : 0;
  char Path[256];
  if (Dir + 64 > sizeof(Path))
    return -ENOLCK;
  std::memcpy(Path, Socket, Dir);
  char *At = Path + Dir;
  std::memcpy(At, "/locks/", 8);
  At += 7;
  At = putDecimal(At, Attr.Dev);
  *At++ = '-';
  At = putDecimal(At, Attr.Ino);
  *At = 0;
  long Fd = hostCall(SYS_open, reinterpret_cast<long>(Path),
                     O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (Fd == -ENOENT) {
    // The system's first lock file: its folder first.
    Path[Dir + 6] = 0;
    (void)hostCall(SYS_mkdir, reinterpret_cast<long>(Path), 0700);
    Path[Dir + 6] = '/';
    Fd = hostCall(SYS_open, reinterpret_cast<long>(Path),
                  O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  }
  if (isError(Fd))
    return -ENOLCK;
  long High = hostCall(SYS_fcntl, Fd, F_DUPFD_CLOEXEC, FileControl::FirstFd);
  (void)hostCall(SYS_close, Fd);
  if (isError(High))
    return -ENOLCK;
  if (High > FileControl::LastFd) {
    (void)hostCall(SYS_close, High);
    return -ENOLCK;
  }
  File.LockFd = int(High);
  __atomic_store_n(&Users[High - FileControl::FirstFd], 1, __ATOMIC_RELAXED);
  return High;
}

} // namespace

void FileControl::beforeFork() {
  // A regular file or folder opened for more than its name; not the
  // host's own descriptors of read-only host files (not in the table).
  auto Lockable = [](const OpenFile &F) {
    return F.LockFd < 0 && !(F.Desc->Flags & O_PATH);
  };
  // Two descriptors stay free for locks taken later on other files.
  int Free = -2;
  for (uint32_t Count : Users)
    Free += Count == 0;
  if (Free <= 0)
    return;
  OpenFile *Found[NumLockFds];
  int N = FdTable::process().hold(Found, Free, Lockable);
  for (int I = 0; I < N; ++I) {
    (void)lockFd(*Found[I]); // no room: its locks stay this process's
    if (FdTable::release(Found[I]))
      FileState::releaseFile(Found[I]);
  }
}

int FileControl::carry(int Fd) {
  if (!inRange(Fd) || Carried[Fd - FirstFd])
    return Fd;
  if (hostCall(SYS_fcntl, Fd, F_SETFD, 0) != 0)
    return -1;
  // A posix_spawn child's descriptor table is its own but its memory is
  // its parent's: the parent's descriptor stays close-on-exec, so nothing
  // is recorded for it to undo.
  if (!SpawnView::current())
    Carried[Fd - FirstFd] = true;
  return Fd;
}

void FileControl::execFailed() {
  for (int I = 0; I < NumLockFds; ++I)
    if (Carried[I]) {
      (void)hostCall(SYS_fcntl, FirstFd + I, F_SETFD, FD_CLOEXEC);
      Carried[I] = false;
    }
}

int FileControl::adopt(int Fd) {
  if (!inRange(Fd))
    return -1;
  uint32_t &Count = Users[Fd - FirstFd];
  // The first to name it makes it close-on-exec again (and proves it is
  // open: the exec state is this process's own, but checked all the same).
  if (Count == 0 && hostCall(SYS_fcntl, Fd, F_SETFD, FD_CLOEXEC) != 0)
    return -1;
  ++Count;
  return Fd;
}

void FileControl::release(int Fd) {
  if (!inRange(Fd))
    return;
  if (__atomic_sub_fetch(&Users[Fd - FirstFd], 1, __ATOMIC_ACQ_REL) == 0)
    (void)hostCall(SYS_close, Fd);
}

long FileControl::flock(OpenFile &File, long Operation) {
  long Kind = Operation & ~long(LOCK_NB);
  if (Kind != LOCK_SH && Kind != LOCK_EX && Kind != LOCK_UN)
    return -EINVAL;
  if (Kind == LOCK_UN && File.LockFd < 0)
    return 0; // never locked here
  long Fd = lockFd(File);
  if (Fd < 0)
    return Fd;
  return hostCall(SYS_flock, Fd, Operation);
}

long FileControl::fcntl(OpenFile &File, long Command, long UserLock) {
  struct flock L;
  if (UserMemory::copyIn(&L, reinterpret_cast<void *>(UserLock), sizeof(L)) <
      0)
    return -EFAULT;
  bool Get = Command == F_GETLK || Command == F_OFD_GETLK;
  uint32_t Mode = File.Desc->Flags & O_ACCMODE;
  if (!Get && ((L.l_type == F_RDLCK && Mode == O_WRONLY) ||
               (L.l_type == F_WRLCK && Mode == O_RDONLY)))
    return -EBADF;
  if (L.l_type != F_RDLCK && L.l_type != F_WRLCK && L.l_type != F_UNLCK)
    return -EINVAL;
  // The lock file is empty: positions relative to the K42 file's offset or
  // end become absolute ones.
  if (L.l_whence == SEEK_CUR) {
    L.l_start += long(File.Desc->Offset);
  } else if (L.l_whence == SEEK_END) {
    if (long E = FileDispatch::authorise(File); E < 0)
      return E;
    FileAttr Attr;
    if (long E = FsBridge::fstat(File.Server, Attr); E < 0)
      return E;
    L.l_start += Attr.Size;
  } else if (L.l_whence != SEEK_SET) {
    return -EINVAL;
  }
  L.l_whence = SEEK_SET;
  if (L.l_start < 0)
    return -EINVAL;
  if (L.l_type == F_UNLCK && !Get && File.LockFd < 0)
    return 0;
  long Fd = lockFd(File);
  if (Fd < 0)
    return Fd;
  long Done = hostCall(SYS_fcntl, Fd, Command, reinterpret_cast<long>(&L));
  if (Done < 0 || !Get)
    return Done;
  if (UserMemory::copyOut(reinterpret_cast<void *>(UserLock), &L, sizeof(L)) <
      0)
    return -EFAULT;
  return Done;
}

long FileControl::ioctl(OpenFile &File, long Request, long Arg, long Host) {
  FileDescription &D = *File.Desc;
  switch (Request) {
  case FIONREAD: {
    if (D.IsDir)
      return -ENOTTY;
    if (long E = FileDispatch::authorise(File); E < 0)
      return E;
    FileAttr Attr;
    if (long E = FsBridge::fstat(File.Server, Attr); E < 0)
      return E;
    int64_t Left = Attr.Size - int64_t(D.Offset);
    int N = Left <= 0 ? 0 : Left > 0x7fffffff ? 0x7fffffff : int(Left);
    return UserMemory::copyOut(reinterpret_cast<void *>(Arg), &N, sizeof(N));
  }
  case FIONBIO:
  case FIOASYNC: {
    int On;
    if (UserMemory::copyIn(&On, reinterpret_cast<void *>(Arg), sizeof(On)) <
        0)
      return -EFAULT;
    uint32_t Bit = Request == FIONBIO ? O_NONBLOCK : O_ASYNC;
    if (On)
      __atomic_fetch_or(&D.Flags, Bit, __ATOMIC_RELAXED);
    else
      __atomic_fetch_and(&D.Flags, ~Bit, __ATOMIC_RELAXED);
    return 0;
  }
  case FIOCLEX:
  case FIONCLEX:
    return Host;
  default:
    return -ENOTTY;
  }
}
