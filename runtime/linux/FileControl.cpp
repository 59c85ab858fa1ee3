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

#include "k42/personality/FdLimit.h"
#include "k42/personality/FileDispatch.h"
#include "k42/personality/FileState.h"
#include "k42/personality/FsBridge.h"
#include "k42/personality/GateTransport.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/ProcNames.h"
#include "k42/personality/SpawnView.h"
#include "k42/personality/UserMemory.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
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

/// Writes `<socket dir>/locks/<dev>-<ino><Suffix>` into \p Path (room
/// for 256 bytes); false if it does not fit.
bool lockPath(char *Path, uint64_t Dev, uint64_t Ino, const char *Suffix) {
  const char *Socket = FsBridge::socketPath();
  const char *Slash = std::strrchr(Socket, '/');
  size_t Dir = Slash ? size_t(Slash - Socket) : 0;
  if (Dir + 64 > 256)
    return false;
  std::memcpy(Path, Socket, Dir);
  char *At = Path + Dir;
  std::memcpy(At, "/locks/", 8);
  At += 7;
  At = putDecimal(At, Dev);
  *At++ = '-';
  At = putDecimal(At, Ino);
  std::memcpy(At, Suffix, std::strlen(Suffix) + 1);
  return true;
}

/// Opens lock file \p Path (its folder made first if this is the
/// system's first lock) and moves it to a private number from \p From
/// (close-on-exec). A negated errno (ENOLCK).
long openLockFile(char *Path, int From) {
  long Fd = hostCall(SYS_open, reinterpret_cast<long>(Path),
                     O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (Fd == -ENOENT) {
    char *Name = std::strrchr(Path, '/');
    *Name = 0;
    (void)hostCall(SYS_mkdir, reinterpret_cast<long>(Path), 0700);
    *Name = '/';
    Fd = hostCall(SYS_open, reinterpret_cast<long>(Path),
                  O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  }
  if (isError(Fd))
    return -ENOLCK;
  // This close drops every record lock the process holds on the file: why
  // record locks have a file of their own, opened once per process.
  long High = FdLimit::copyHigh(Fd, F_DUPFD_CLOEXEC, From);
  (void)hostCall(SYS_close, Fd);
  return isError(High) ? -ENOLCK : High;
}

/// \p File's st_dev and st_ino: the description's, or asked of its server
/// (and kept in the description).
long identify(OpenFile &File, uint64_t &Dev, uint64_t &Ino) {
  Dev = File.Desc->Dev;
  Ino = File.Desc->Ino;
  if (Ino)
    return 0;
  FileAttr Attr;
  if (long E = FileDispatch::authorise(File); E < 0)
    return E;
  if (long E = FsBridge::fstat(File.Server, Attr); E < 0)
    return E;
  Dev = File.Desc->Dev = Attr.Dev;
  Ino = File.Desc->Ino = Attr.Ino;
  return 0;
}

/// \p File's lock file descriptor, opened on first use. A negated errno.
long lockFd(OpenFile &File) {
  if (File.LockFd >= 0)
    return File.LockFd;
  uint64_t Dev, Ino;
  if (long E = identify(File, Dev, Ino); E < 0)
    return E;
  char Path[256];
  if (!lockPath(Path, Dev, Ino, ""))
    return -ENOLCK;
  long High = openLockFile(Path, FileControl::FirstFd);
  if (High < 0)
    return High;
  if (High > FileControl::LastFd) {
    (void)hostCall(SYS_close, High);
    return -ENOLCK;
  }
  File.LockFd = int(High);
  __atomic_store_n(&Users[High - FileControl::FirstFd], 1, __ATOMIC_RELAXED);
  return High;
}

//===-- Record files: one per process and K42 file -----------------------===//

/// The process's record files (Fd -1: a free row), under RecordsBusy. A
/// fork child has its parent's rows and descriptors, and none of its
/// locks (the host's rule for its own descriptors).
FileControl::RecordFile Records[FileControl::MaxRecordFiles];
/// Rows carryRecords() made inheritable for an exec in progress.
bool RecordCarried[FileControl::MaxRecordFiles];
/// Rows whose file a close-on-exec descriptor names (closesAtExec): the
/// exec closes them, and their locks with them, unless it fails.
bool RecordClosing[FileControl::MaxRecordFiles];
bool RecordsReady;
bool RecordsBusy;

/// Holds the record table for one short critical section (host calls
/// that do not block: open, fcntl F_DUPFD, close).
class RecordsHeld {
public:
  RecordsHeld() {
    while (__atomic_test_and_set(&RecordsBusy, __ATOMIC_ACQUIRE))
      __builtin_ia32_pause();
    if (!RecordsReady) {
      for (FileControl::RecordFile &R : Records)
        R.Fd = -1;
      __atomic_store_n(&RecordsReady, true, __ATOMIC_RELEASE);
    }
  }
  ~RecordsHeld() { __atomic_clear(&RecordsBusy, __ATOMIC_RELEASE); }
  RecordsHeld(const RecordsHeld &) = delete;
  RecordsHeld &operator=(const RecordsHeld &) = delete;
};

FileControl::RecordFile *findRecord(uint64_t Dev, uint64_t Ino) {
  for (FileControl::RecordFile &R : Records)
    if (R.Fd >= 0 && R.Dev == Dev && R.Ino == Ino)
      return &R;
  return nullptr;
}

/// The process's record file descriptor for \p File; with \p Make false,
/// 0 when it has none (no record lock to drop). A negated errno.
long recordFd(OpenFile &File, bool Make) {
  uint64_t Dev, Ino;
  if (long E = identify(File, Dev, Ino); E < 0)
    return E;
  RecordsHeld Held;
  if (FileControl::RecordFile *R = findRecord(Dev, Ino))
    return R->Fd;
  if (!Make)
    return 0;
  FileControl::RecordFile *Free = nullptr;
  for (FileControl::RecordFile &R : Records)
    if (R.Fd < 0) {
      Free = &R;
      break;
    }
  if (!Free)
    return -ENOLCK;
  char Path[256];
  if (!lockPath(Path, Dev, Ino, ".r"))
    return -ENOLCK;
  // From the channels' range: numbers handed out as needed.
  long Fd = openLockFile(Path, GateTransport::FirstFd);
  if (Fd < 0)
    return Fd;
  *Free = {Dev, Ino, int32_t(Fd), 0};
  RecordCarried[Free - Records] = false;
  return Fd;
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
  RecordsHeld Held;
  for (unsigned I = 0; I < MaxRecordFiles; ++I) {
    if (RecordCarried[I]) {
      if (Records[I].Fd >= 0)
        (void)hostCall(SYS_fcntl, Records[I].Fd, F_SETFD, FD_CLOEXEC);
      RecordCarried[I] = false;
    }
    RecordClosing[I] = false;
  }
}

bool FileControl::anyRecords() {
  if (!__atomic_load_n(&RecordsReady, __ATOMIC_ACQUIRE))
    return false;
  RecordsHeld Held;
  for (const RecordFile &R : Records)
    if (R.Fd >= 0)
      return true;
  return false;
}

void FileControl::closesAtExec(const OpenFile &File) {
  uint64_t Dev = File.Desc->Dev, Ino = File.Desc->Ino;
  if (!Ino || !__atomic_load_n(&RecordsReady, __ATOMIC_ACQUIRE))
    return;
  RecordsHeld Held;
  if (RecordFile *R = findRecord(Dev, Ino))
    RecordClosing[R - Records] = true;
}

unsigned FileControl::carryRecords(RecordFile *Out) {
  if (SpawnView::current())
    return 0; // the parent's locks: not the spawned program's
  RecordsHeld Held;
  unsigned N = 0;
  for (unsigned I = 0; I < MaxRecordFiles; ++I) {
    RecordFile &R = Records[I];
    if (R.Fd < 0 || RecordClosing[I] ||
        hostCall(SYS_fcntl, R.Fd, F_SETFD, 0) != 0)
      continue;
    RecordCarried[I] = true;
    Out[N++] = R;
  }
  return N;
}

void FileControl::adoptRecords(const RecordFile *In, unsigned N) {
  RecordsHeld Held;
  unsigned Row = 0;
  for (unsigned I = 0; I < N && I < MaxRecordFiles; ++I) {
    // Checked as adopt() checks: open, and from the channels' range.
    if (In[I].Fd < GateTransport::FirstFd ||
        hostCall(SYS_fcntl, In[I].Fd, F_SETFD, FD_CLOEXEC) != 0)
      continue;
    Records[Row++] = In[I];
  }
}

void FileControl::closed(const OpenFile &File) {
  uint64_t Dev = File.Desc->Dev, Ino = File.Desc->Ino;
  if (!Ino || !__atomic_load_n(&RecordsReady, __ATOMIC_ACQUIRE))
    return; // never identified, or no record file yet
  RecordsHeld Held;
  RecordFile *R = findRecord(Dev, Ino);
  if (!R)
    return;
  // The host's close drops the process's record locks on the file; the
  // next lock opens it again.
  (void)hostCall(SYS_close, R->Fd);
  R->Fd = -1;
  RecordCarried[R - Records] = false;
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
  // LOCK_MAND (the old mandatory locks, gone since Linux 5.15) is
  // accepted and ignored, whatever comes with it, as Linux does.
  constexpr long LockMand = 32;
  if (Operation & LockMand)
    return 0;
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
  // Record locks on the process's record file, OFD locks on the
  // description's lock file (FileControl.h).
  bool Ofd = Command == F_OFD_SETLK || Command == F_OFD_SETLKW ||
             Command == F_OFD_GETLK;
  bool Unlock = L.l_type == F_UNLCK && !Get;
  long Fd;
  if (Ofd) {
    if (Unlock && File.LockFd < 0)
      return 0;
    Fd = lockFd(File);
  } else {
    Fd = recordFd(File, !Unlock);
    if (Fd == 0)
      return 0; // no record lock on the file to drop
  }
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
    // A file or folder has no fasync: Linux's FIOASYNC changes nothing
    // there (ENOTTY), F_SETFL's O_ASYNC does.
    if (Request == FIOASYNC)
      return bool(On) == bool(D.Flags & O_ASYNC) ? 0 : -ENOTTY;
    if (On)
      __atomic_fetch_or(&D.Flags, Bit, __ATOMIC_RELAXED);
    else
      __atomic_fetch_and(&D.Flags, ~Bit, __ATOMIC_RELAXED);
    return 0;
  }
  case FIOCLEX:
  case FIONCLEX:
    return Host;
  // What ramfs's files are to tmpfs's ioctls: a 4 KiB block (FIGETBSZ),
  // no inode flags or extended flags (lsattr: FS_IOC_GETFLAGS,
  // FS_IOC_FSGETXATTR), none settable (chattr: EOPNOTSUPP, as tmpfs for
  // one it does not keep), no reflinks (cp --reflink: EOPNOTSUPP).
  case FIGETBSZ: {
    int Block = 4096;
    return UserMemory::copyOut(reinterpret_cast<void *>(Arg), &Block,
                               sizeof(Block));
  }
  case FS_IOC_GETFLAGS: {
    int None = 0;
    return UserMemory::copyOut(reinterpret_cast<void *>(Arg), &None,
                               sizeof(None));
  }
  case FS_IOC_SETFLAGS: {
    int Flags;
    if (UserMemory::copyIn(&Flags, reinterpret_cast<void *>(Arg),
                           sizeof(Flags)) < 0)
      return -EFAULT;
    return Flags ? -EOPNOTSUPP : 0;
  }
  case FS_IOC_FSGETXATTR: {
    fsxattr None = {};
    return UserMemory::copyOut(reinterpret_cast<void *>(Arg), &None,
                               sizeof(None));
  }
  case FICLONE:
  case FICLONERANGE:
  case FIDEDUPERANGE:
  case FS_IOC_FIEMAP: // no extents to map (tmpfs has no fiemap either)
    return -EOPNOTSUPP;
  default:
    return -ENOTTY;
  }
}
