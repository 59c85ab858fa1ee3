//===- runtime/linux/FileMetaCalls.cpp - The rest of the file calls -------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Every other call that takes a path or a descriptor: served by K42 for
/// K42 paths and descriptors (times, owners, links, statfs, locks,
/// fallocate, vectored positioned I/O, the old getdents), or answered with
/// the errno Linux gives on a file system without the feature; host paths
/// and host descriptors pass through. Each handler asks FileDispatch, so no
/// K42 path and no K42 descriptor's placeholder reaches the host.
///
//===----------------------------------------------------------------------===//

#include "k42/personality/DevFd.h"
#include "k42/personality/FileControl.h"
#include "k42/personality/FileDispatch.h"
#include "k42/personality/FileState.h"
#include "k42/personality/FsBridge.h"
#include "k42/personality/GateHeap.h"
#include "k42/personality/Handlers.h"
#include "k42/personality/HeldPipe.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/KernelConnection.h"
#include "k42/personality/PipeCalls.h"
#include "k42/personality/ProgramFds.h"
#include "k42/personality/ResolveWalk.h"
#include "k42/personality/SyscallTable.h"
#include "k42/personality/UserMemory.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <linux/close_range.h>
#include <linux/falloc.h>
#include <linux/openat2.h>
#include <sys/inotify.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/xattr.h>
#include <utime.h>

using namespace k42;
using namespace k42::fs;
using namespace k42::personality;

namespace {

using Kind = FileDispatch::FdKind;
constexpr size_t PathBytes = FileDispatch::PathBytes;
/// Linux's pipefs magic (fstatfs of a pipe).
constexpr long PipefsMagic = 0x50495045;

/// A path call: \p Body with K42's absolute path, or the host's call;
/// \p FollowLast for a call that follows a last symlink
/// (FileDispatch::path).
template <typename BodyFn>
long onPath(SyscallCall &Call, long DirFd, long Path, BodyFn Body,
            bool FollowLast = false) {
  char Abs[PathBytes];
  long Whose = FileDispatch::path(DirFd, Path, Abs, FollowLast);
  if (Whose < 0)
    return Whose;
  if (Whose == 0)
    return passToHost(Call);
  return Body(static_cast<const char *>(Abs));
}

/// A descriptor call: \p Body for a K42 file, \p PipeAnswer for a K42 pipe
/// end, the host's call for the host's descriptors.
template <typename BodyFn>
long onFd(SyscallCall &Call, long Fd, long PipeAnswer, BodyFn Body) {
  HeldFile F;
  switch (FileDispatch::fd(Fd, F)) {
  case Kind::Pipe:
    return PipeAnswer;
  case Kind::File:
    return Body(*F);
  case Kind::Host:
    break;
  }
  return passToHost(Call);
}

/// A descriptor call: \p Body for a K42 file, the host's call for anything
/// else (a K42 pipe end's placeholder too).
template <typename BodyFn>
long onFileOrHost(SyscallCall &Call, long Fd, BodyFn Body) {
  HeldFile F;
  if (FileDispatch::fd(Fd, F) == Kind::File)
    return Body(*F);
  return passToHost(Call);
}

/// onFileOrHost for the f*xattr calls: \p Body(path) of the K42 file at
/// \p Fd by the path it is at now (its attributes are that file's).
template <typename BodyFn>
long onCurrentPath(SyscallCall &Call, long Fd, BodyFn Body) {
  return onFileOrHost(Call, Fd, [&](OpenFile &F) -> long {
    if (FileDispatch::pathOnly(F))
      return -EBADF;
    char Path[PathBytes];
    FileDispatch::currentPath(F, Path);
    return Body(static_cast<const char *>(Path));
  });
}

/// Whether \p Fd is a host descriptor of a read-only mount's file (read
/// from the host: FsBridge::readOnlyHostFile), which no call changes.
bool readOnlyHost(long Fd) {
  HeldFile F;
  return FileDispatch::fd(Fd, F) == Kind::Host &&
         FsBridge::readOnlyHostFile(Fd);
}

/// Whether an *at call with AT_EMPTY_PATH names host descriptor \p DirFd
/// of a read-only mount's file.
bool namesReadOnlyHost(long DirFd, long Path, long Flags) {
  return (Flags & AT_EMPTY_PATH) && FileDispatch::emptyPath(Path) &&
         readOnlyHost(DirFd);
}

/// A K42 file's server handle, authorised in this process.
long served(OpenFile &F) { return FileDispatch::authorise(F); }

/// Whether an *at call names \p DirFd itself: an empty path with
/// AT_EMPTY_PATH, and it is a K42 descriptor (\p F set).
bool namesFd(long DirFd, long Path, long Flags, HeldFile &F) {
  return (Flags & AT_EMPTY_PATH) && FileDispatch::emptyPath(Path) &&
         FileDispatch::fd(DirFd, F) == Kind::File;
}

//===-- Times -------------------------------------------------------------===//

bool validNsec(long Nsec) {
  return (Nsec >= 0 && Nsec < 1000000000) || Nsec == UTIME_NOW ||
         Nsec == UTIME_OMIT;
}

/// utimensat with the times already read (\p Times), for every form.
long setTimes(SyscallCall &Call, long DirFd, long Path, const FileTimes &Times,
              long Flags) {
  if (Flags & ~long(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
    return -EINVAL;
  Path = FileDispatch::cwdIfEmpty(DirFd, Path, Flags);
  HeldFile F;
  if (!Path || namesFd(DirFd, Path, Flags, F)) {
    if (!Path && (Flags & AT_SYMLINK_NOFOLLOW))
      return -EINVAL;
    switch (FileDispatch::fd(DirFd, F)) {
    case Kind::Pipe:
      return 0; // a pipe's times are not kept
    case Kind::File:
      // futimens (no path) uses the descriptor as an open file, which an
      // O_PATH one is not (Linux's fdget: EBADF); AT_EMPTY_PATH names it.
      if (!Path && FileDispatch::pathOnly(*F))
        return -EBADF;
      if (long E = served(*F); E < 0)
        return E;
      return FsBridge::futimens(F->Server, Times);
    case Kind::Host:
      return readOnlyHost(DirFd) ? -EROFS : passToHost(Call);
    }
  }
  return onPath(
      Call, DirFd, Path,
      [&](const char *Abs) {
        return FsBridge::utimens(Abs, Times, !(Flags & AT_SYMLINK_NOFOLLOW));
      },
      !(Flags & AT_SYMLINK_NOFOLLOW));
}

/// utimes and futimesat's struct timeval pair (null: now).
long timesFromTimeval(long User, FileTimes &Times) {
  if (!User)
    return 0;
  timeval V[2];
  if (UserMemory::copyIn(V, reinterpret_cast<void *>(User), sizeof(V)) < 0)
    return -EFAULT;
  for (const timeval &T : V)
    if (T.tv_usec < 0 || T.tv_usec >= 1000000)
      return -EINVAL;
  Times.AtimeSec = V[0].tv_sec;
  Times.AtimeNsec = V[0].tv_usec * 1000;
  Times.MtimeSec = V[1].tv_sec;
  Times.MtimeNsec = V[1].tv_usec * 1000;
  return 0;
}

//===-- Owners ------------------------------------------------------------===//

long chownAt(SyscallCall &Call, long DirFd, long Path, long Uid, long Gid,
             long Flags) {
  if (Flags & ~long(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
    return -EINVAL;
  Path = FileDispatch::cwdIfEmpty(DirFd, Path, Flags);
  HeldFile F;
  if (namesFd(DirFd, Path, Flags, F)) {
    if (long E = served(*F); E < 0)
      return E;
    return FsBridge::fchown(F->Server, uint32_t(Uid), uint32_t(Gid));
  }
  if (namesReadOnlyHost(DirFd, Path, Flags))
    return -EROFS;
  return onPath(
      Call, DirFd, Path,
      [&](const char *Abs) {
        return FsBridge::chown(Abs, uint32_t(Uid), uint32_t(Gid),
                               !(Flags & AT_SYMLINK_NOFOLLOW));
      },
      !(Flags & AT_SYMLINK_NOFOLLOW));
}

/// fchown of a K42 pipe end: Linux's rule against the pipe's owner (its
/// maker: this process's credentials).
long chownPipe(long Uid, long Gid) {
  FileAttr Pipe;
  Pipe.Uid = uint32_t(hostCall(SYS_geteuid));
  Pipe.Gid = uint32_t(hostCall(SYS_getegid));
  if (Pipe.Uid == 0)
    return 0;
  uint32_t U = uint32_t(Uid), G = uint32_t(Gid);
  if ((U != NoOwner && U != Pipe.Uid) || (G != NoOwner && G != Pipe.Gid))
    return -EPERM;
  return 0;
}

//===-- mknod -------------------------------------------------------------===//

/// mknod on a K42 path: a regular file is made (as open O_CREAT|O_EXCL
/// would), a FIFO or a socket by the file server (ramfs has them; others
/// answer EPERM); K42's file systems have no device nodes, and Linux
/// answers EPERM for a file system without mknod (vfs_mknod), after the
/// checks that come first (EEXIST, the parent's ENOENT/ENOTDIR).
long mknodK42(const char *Abs, long Mode) {
  long Type = Mode & S_IFMT;
  if (Type != 0 && Type != S_IFREG && Type != S_IFCHR && Type != S_IFBLK &&
      Type != S_IFIFO && Type != S_IFSOCK)
    return -EINVAL;
  if (Type == S_IFIFO || Type == S_IFSOCK) {
    long Mask = hostCall(SYS_umask, 0);
    (void)hostCall(SYS_umask, Mask);
    return FsBridge::mknod(Abs, uint32_t(Type | (Mode & 07777 & ~Mask)));
  }
  if (Type == 0 || Type == S_IFREG) {
    long Mask = hostCall(SYS_umask, 0);
    (void)hostCall(SYS_umask, Mask);
    // The server's mknod makes it without an open (ramfs: no IN_OPEN and
    // IN_CLOSE_NOWRITE for a folder's watchers, as Linux's); a server
    // that makes no regular files so (EPERM) is asked for an exclusive
    // create.
    if (long E =
            FsBridge::mknod(Abs, uint32_t(S_IFREG | (Mode & 07777 & ~Mask)));
        E != -EPERM)
      return E;
    ServerFile File;
    FileAttr Attr;
    long E = FsBridge::open(Abs, O_RDONLY | O_CREAT | O_EXCL | O_NOFOLLOW,
                            uint32_t(Mode & 07777 & ~Mask), File, Attr);
    if (E < 0)
      return E;
    (void)FsBridge::close(File);
    return 0;
  }
  FileAttr Attr;
  long E = FsBridge::stat(Abs, false, Attr);
  if (E == 0)
    return -EEXIST;
  if (E != -ENOENT)
    return E;
  char Parent[PathBytes];
  std::memcpy(Parent, Abs, std::strlen(Abs) + 1);
  char *Slash = std::strrchr(Parent, '/');
  if (Slash == Parent)
    Slash[1] = 0;
  else if (Slash)
    *Slash = 0;
  if (long P = FsBridge::stat(Parent, true, Attr); P < 0)
    return P;
  if (!S_ISDIR(Attr.Mode))
    return -ENOTDIR;
  return -EPERM;
}

//===-- statfs ------------------------------------------------------------===//

long putStatfs(const FsInfo &I, long User) {
  struct statfs S = {};
  S.f_type = I.Type;
  S.f_bsize = I.Bsize;
  S.f_blocks = I.Blocks;
  S.f_bfree = I.Bfree;
  S.f_bavail = I.Bavail;
  S.f_files = I.Files;
  S.f_ffree = I.Ffree;
  S.f_namelen = I.Namelen;
  S.f_frsize = I.Frsize;
  S.f_flags = I.Flags;
  return UserMemory::copyOut(reinterpret_cast<void *>(User), &S, sizeof(S));
}

//===-- Extended attributes -----------------------------------------------===//

/// An xattr call's refusal \p Errno on K42 path \p Abs, which Linux gives
/// once it has found the file: the file's lookup error first.
long refusedOnFile(const char *Abs, bool Follow, long Errno) {
  FileAttr Attr;
  if (long E = FsBridge::stat(Abs, Follow, Attr); E < 0)
    return E;
  return -Errno;
}

/// An xattr setter or remover on a K42 path in a namespace K42's file
/// systems do not keep: ENOTSUP, as Linux answers for a file system
/// without them.
long noXattrSet(const char *Abs, bool Follow) {
  return refusedOnFile(Abs, Follow, ENOTSUP);
}

/// Linux's XATTR_SIZE_MAX and XATTR_LIST_MAX.
constexpr long XattrValueMax = 65536;
constexpr long XattrListMax = 65536;

/// An xattr call's name at \p User into \p Name: 0, or ERANGE for an
/// empty name or one past 255 bytes, EFAULT.
long xattrNameIn(long User, char (&Name)[256]) {
  size_t Got = UserMemory::copyInSome(
      Name, reinterpret_cast<const char *>(User), sizeof(Name));
  if (std::memchr(Name, 0, Got) == nullptr)
    return Got == sizeof(Name) ? -ERANGE : -EFAULT;
  return Name[0] ? 0 : -ERANGE;
}

/// Whether \p Name is in a namespace K42's file systems keep (`user.`,
/// `trusted.`: fs::FileSystem::setxattr). The others' getters answer
/// ENODATA here, with no server call: `ls -l` asks for `security.selinux`
/// and `system.posix_acl_access` of every file.
bool keptXattr(const char *Name) {
  return std::strncmp(Name, "user.", 5) == 0 ||
         std::strncmp(Name, "trusted.", 8) == 0;
}

/// Whether \p Name is a namespace's prefix alone ("user."), which Linux
/// refuses with EINVAL once it has found the file (xattr_resolve_name).
bool bareNamespace(const char *Name) {
  return std::strcmp(Name, "user.") == 0 ||
         std::strcmp(Name, "trusted.") == 0 ||
         std::strcmp(Name, "security.") == 0;
}

/// A bounce buffer of \p Size bytes in the personality's heap.
struct XattrBuffer {
  explicit XattrBuffer(size_t Size)
      : Data(Size ? GateHeap::allocate(Size) : nullptr) {}
  ~XattrBuffer() {
    if (Data)
      GateHeap::release(Data);
  }
  XattrBuffer(const XattrBuffer &) = delete;
  XattrBuffer &operator=(const XattrBuffer &) = delete;
  void *Data;
};

/// setxattr of K42 path \p Abs: Linux's order of errors (flags, name,
/// size, then the file's).
long xattrSet(const char *Abs, long NameUser, long ValueUser, long Size,
              long Flags, bool Follow) {
  if (Flags & ~long(XATTR_CREATE | XATTR_REPLACE))
    return -EINVAL;
  char Name[256];
  if (long E = xattrNameIn(NameUser, Name); E < 0)
    return E;
  if (Size < 0 || Size > XattrValueMax)
    return -E2BIG;
  if (bareNamespace(Name))
    return refusedOnFile(Abs, Follow, EINVAL);
  if (!keptXattr(Name))
    return noXattrSet(Abs, Follow);
  XattrBuffer Value{size_t(Size)};
  if (Size && !Value.Data)
    return -ENOMEM;
  if (Size &&
      UserMemory::copyIn(Value.Data, reinterpret_cast<void *>(ValueUser),
                         size_t(Size)) < 0)
    return -EFAULT;
  return FsBridge::setxattr(Abs, Name, Value.Data, size_t(Size),
                            uint32_t(Flags), Follow);
}

/// removexattr of K42 path \p Abs.
long xattrRemove(const char *Abs, long NameUser, bool Follow) {
  char Name[256];
  if (long E = xattrNameIn(NameUser, Name); E < 0)
    return E;
  if (bareNamespace(Name))
    return refusedOnFile(Abs, Follow, EINVAL);
  if (!keptXattr(Name))
    return noXattrSet(Abs, Follow);
  return FsBridge::removexattr(Abs, Name, Follow);
}

/// What getxattr or listxattr answered in whole (\p Whole bytes at
/// \p Data), copied to the caller's \p User of \p Size bytes as Linux
/// does: the length alone for a size of 0, ERANGE if it does not fit.
long xattrAnswer(long Whole, const void *Data, long User, long Size) {
  if (Whole < 0 || Size == 0)
    return Whole;
  if (Whole > Size)
    return -ERANGE;
  if (UserMemory::copyOut(reinterpret_cast<void *>(User), Data, size_t(Whole)) <
      0)
    return -EFAULT;
  return Whole;
}

/// getxattr of K42 path \p Abs.
long xattrGet(const char *Abs, long NameUser, long User, long Size,
              bool Follow) {
  char Name[256];
  if (long E = xattrNameIn(NameUser, Name); E < 0)
    return E;
  if (bareNamespace(Name))
    return refusedOnFile(Abs, Follow, EINVAL);
  if (!keptXattr(Name))
    return -ENODATA;
  long Room = Size < 0 || Size > XattrValueMax ? XattrValueMax : Size;
  XattrBuffer Value{size_t(Room)};
  if (Room && !Value.Data)
    return -ENOMEM;
  long Whole = FsBridge::getxattr(Abs, Name, Follow, Value.Data, size_t(Room));
  return xattrAnswer(Whole, Value.Data, User, Size < 0 ? 0 : Size);
}

/// listxattr of K42 path \p Abs.
long xattrList(const char *Abs, long User, long Size, bool Follow) {
  long Room = Size < 0 || Size > XattrListMax ? XattrListMax : Size;
  XattrBuffer Names{size_t(Room)};
  if (Room && !Names.Data)
    return -ENOMEM;
  long Whole = FsBridge::listxattr(Abs, Follow, Names.Data, size_t(Room));
  if (Whole > XattrListMax)
    return -E2BIG;
  return xattrAnswer(Whole, Names.Data, User, Size < 0 ? 0 : Size);
}

//===-- getdents ----------------------------------------------------------===//

/// The old getdents of a K42 directory: getdents64 records from the
/// server, rewritten as struct linux_dirent (d_type in the last byte),
/// with the description's place moved only past those that fit.
long oldGetdents(OpenFile &F, long User, long Size) {
  if (!F.Desc->IsDir)
    return -ENOTDIR;
  if (long E = served(F); E < 0)
    return E;
  char In[16384], Out[16384];
  size_t Room = size_t(Size) < sizeof(Out) ? size_t(Size) : sizeof(Out);
  GateLockGuard Guard(F.Desc->Lock);
  uint64_t Next = 0;
  long Got = FsBridge::readdir(F.Server, F.Desc->DirCookie, In,
                               Room < sizeof(In) ? Room : sizeof(In), Next);
  if (Got <= 0)
    return Got;
  size_t Put = 0;
  uint64_t Place = F.Desc->DirCookie;
  for (size_t At = 0; At + 19 < size_t(Got);) {
    uint64_t Ino, Off;
    uint16_t Reclen;
    std::memcpy(&Ino, In + At, 8);
    std::memcpy(&Off, In + At + 8, 8);
    std::memcpy(&Reclen, In + At + 16, 2);
    unsigned char Type = static_cast<unsigned char>(In[At + 18]);
    const char *Name = In + At + 19;
    size_t NameLen = strnlen(Name, Reclen - 19);
    size_t Need = (8 + 8 + 2 + NameLen + 2 + 7) & ~size_t(7);
    if (Put + Need > Room)
      break;
    char *R = Out + Put;
    std::memset(R, 0, Need);
    std::memcpy(R, &Ino, 8);
    std::memcpy(R + 8, &Off, 8);
    uint16_t NewLen = uint16_t(Need);
    std::memcpy(R + 16, &NewLen, 2);
    std::memcpy(R + 18, Name, NameLen);
    R[Need - 1] = char(Type);
    Put += Need;
    Place = Off;
    if (Reclen == 0)
      break;
    At += Reclen;
  }
  if (Put == 0)
    return -EINVAL; // the buffer cannot hold one record, as on Linux
  if (UserMemory::copyOut(reinterpret_cast<void *>(User), Out, Put) < 0)
    return -EFAULT;
  F.Desc->DirCookie = Place;
  return long(Put);
}

/// Calls that name a path but act on the host's own machinery (mount
/// tables, swap, accounting, root directory, notifications): on a K42 path
/// they are refused with \p Errno after the path is found to exist (its
/// ENOENT first, as Linux's lookup comes first).
long refuseOnK42(SyscallCall &Call, long DirFd, long Path, long Errno,
                 bool Follow = true) {
  return onPath(Call, DirFd, Path, [&](const char *Abs) -> long {
    FileAttr Attr;
    if (long E = FsBridge::stat(Abs, Follow, Attr); E < 0)
      return E;
    return -Errno;
  });
}

bool isRoot() { return hostCall(SYS_geteuid) == 0; }

} // namespace

//===-- The handlers ------------------------------------------------------===//

long sys::utimensat(SyscallCall &Call) {
  FileTimes Times;
  if (Call.Arg[2]) {
    timespec T[2];
    if (UserMemory::copyIn(T, reinterpret_cast<void *>(Call.Arg[2]),
                           sizeof(T)) < 0)
      return -EFAULT;
    if (!validNsec(T[0].tv_nsec) || !validNsec(T[1].tv_nsec))
      return -EINVAL;
    if (T[0].tv_nsec == UTIME_OMIT && T[1].tv_nsec == UTIME_OMIT)
      return 0; // Linux returns before looking the path up
    Times = {T[0].tv_sec, T[0].tv_nsec, T[1].tv_sec, T[1].tv_nsec};
  }
  return setTimes(Call, Call.Arg[0], Call.Arg[1], Times, Call.Arg[3]);
}
long sys::futimesat(SyscallCall &Call) {
  FileTimes Times;
  if (long E = timesFromTimeval(Call.Arg[2], Times); E < 0)
    return E;
  return setTimes(Call, Call.Arg[0], Call.Arg[1], Times, 0);
}
long sys::utimes(SyscallCall &Call) {
  FileTimes Times;
  if (long E = timesFromTimeval(Call.Arg[1], Times); E < 0)
    return E;
  if (!Call.Arg[0])
    return -EFAULT;
  return setTimes(Call, AT_FDCWD, Call.Arg[0], Times, 0);
}
long sys::utime(SyscallCall &Call) {
  FileTimes Times;
  if (Call.Arg[1]) {
    utimbuf B;
    if (UserMemory::copyIn(&B, reinterpret_cast<void *>(Call.Arg[1]),
                           sizeof(B)) < 0)
      return -EFAULT;
    Times = {B.actime, 0, B.modtime, 0};
  }
  if (!Call.Arg[0])
    return -EFAULT;
  return setTimes(Call, AT_FDCWD, Call.Arg[0], Times, 0);
}

long sys::chown(SyscallCall &Call) {
  return chownAt(Call, AT_FDCWD, Call.Arg[0], Call.Arg[1], Call.Arg[2], 0);
}
long sys::lchown(SyscallCall &Call) {
  return chownAt(Call, AT_FDCWD, Call.Arg[0], Call.Arg[1], Call.Arg[2],
                 AT_SYMLINK_NOFOLLOW);
}
long sys::fchownat(SyscallCall &Call) {
  return chownAt(Call, Call.Arg[0], Call.Arg[1], Call.Arg[2], Call.Arg[3],
                 Call.Arg[4]);
}
long sys::fchown(SyscallCall &Call) {
  HeldFile F;
  switch (FileDispatch::fd(Call.Arg[0], F)) {
  case Kind::Pipe:
    return chownPipe(Call.Arg[1], Call.Arg[2]);
  case Kind::File:
    if (FileDispatch::pathOnly(*F))
      return -EBADF;
    if (long E = served(*F); E < 0)
      return E;
    return FsBridge::fchown(F->Server, uint32_t(Call.Arg[1]),
                            uint32_t(Call.Arg[2]));
  case Kind::Host:
    break;
  }
  return readOnlyHost(Call.Arg[0]) ? -EROFS : passToHost(Call);
}

long sys::mknod(SyscallCall &Call) {
  return onPath(Call, AT_FDCWD, Call.Arg[0], [&](const char *Abs) {
    return mknodK42(Abs, Call.Arg[1]);
  });
}
long sys::mknodat(SyscallCall &Call) {
  return onPath(Call, Call.Arg[0], Call.Arg[1], [&](const char *Abs) {
    return mknodK42(Abs, Call.Arg[2]);
  });
}

long sys::linkat(SyscallCall &Call) {
  long Flags = Call.Arg[4];
  if (Flags & ~long(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
    return -EINVAL;
  Call.Arg[1] = FileDispatch::cwdIfEmpty(Call.Arg[0], Call.Arg[1], Flags);
  char From[PathBytes], To[PathBytes];
  long WhoseFrom;
  HeldFile F;
  bool ByFd = namesFd(Call.Arg[0], Call.Arg[1], Flags, F);
  // Linux asks CAP_DAC_READ_SEARCH of a link by AT_EMPTY_PATH.
  constexpr unsigned CapDacReadSearch = 2;
  if (ByFd && !hasCapability(CapDacReadSearch))
    return -ENOENT;
  // Its /proc/self/fd/N name followed names the descriptor's file too.
  if (long Fd = !ByFd && (Flags & AT_SYMLINK_FOLLOW)
                    ? DevFd::k42Fd(Call.Arg[1], false)
                    : -1;
      Fd >= 0 && F.hold(Fd))
    ByFd = true;
  if (ByFd) {
    // An open file linked by its descriptor: the inode its open found, by
    // the open's key (renamed since, or unnamed: O_TMPFILE); by the path
    // it was opened by where the server gives no keys.
    long WhoseTo = FileDispatch::path(Call.Arg[2], Call.Arg[3], To);
    if (WhoseTo < 0)
      return WhoseTo;
    if (WhoseTo == 0)
      return -EXDEV;
    if (uint64_t Key = F->Desc->OpenKey) {
      long E = FsBridge::linkOpen(To, Key);
      if (E != -ENOSYS && E != -ESTALE)
        return E;
    }
    FileDispatch::currentPath(*F, From);
    WhoseFrom = 1;
  } else {
    // An empty name without AT_EMPTY_PATH is no file: not the host's
    // either, which EXDEV would say. (With it, a host descriptor's link
    // is the host's.)
    if ((!(Flags & AT_EMPTY_PATH) && FileDispatch::emptyPath(Call.Arg[1])) ||
        FileDispatch::emptyPath(Call.Arg[3]))
      return -ENOENT;
    WhoseFrom = FileDispatch::path(Call.Arg[0], Call.Arg[1], From);
  }
  if (WhoseFrom < 0)
    return WhoseFrom;
  if (WhoseFrom == 1 && !F && (Flags & AT_SYMLINK_FOLLOW)) {
    // What the link names: the server's walk resolves every symlink (and
    // ELOOP), and names the file it found.
    FileAttr Attr;
    char Target[PathBytes];
    long E = FsBridge::stat(From, true, Attr, Target);
    if (E == FsBridge::LeftK42)
      return -EXDEV; // the link leads to the host's files
    if (E < 0)
      return E;
    if (Target[0])
      std::memcpy(From, Target, std::strlen(Target) + 1);
  }
  long WhoseTo = FileDispatch::path(Call.Arg[2], Call.Arg[3], To);
  if (WhoseTo < 0)
    return WhoseTo;
  if (WhoseFrom == 0 && WhoseTo == 0)
    return passToHost(Call);
  if (WhoseFrom != WhoseTo)
    return -EXDEV;
  long Result = FsBridge::link(From, To);
  // A link by descriptor names the file itself, no folder on the way.
  return ByFd ? Result
              : FileDispatch::twoLeftK42(Call, Call.Arg[1], From, Call.Arg[3],
                                         To, Result);
}

long sys::statfs(SyscallCall &Call) {
  return onPath(
      Call, AT_FDCWD, Call.Arg[0],
      [&](const char *Abs) -> long {
        FsInfo Info;
        if (long E = FsBridge::statfs(Abs, Info); E < 0)
          return E;
        return putStatfs(Info, Call.Arg[1]);
      },
      /*FollowLast=*/true);
}
long sys::fstatfs(SyscallCall &Call) {
  HeldFile F;
  switch (FileDispatch::fd(Call.Arg[0], F)) {
  case Kind::Pipe: {
    FsInfo Pipe;
    Pipe.Type = PipefsMagic;
    return putStatfs(Pipe, Call.Arg[1]);
  }
  case Kind::File: {
    // The file system of the path it was opened by (a directory's now);
    // once that name is gone (a temporary file unlinked, its folder
    // removed), of the nearest folder still on the path: a mount is a
    // prefix of the path, so that folder is on the file's file system.
    // Before, it was ESTALE (Python's fstatvfs of a TemporaryFile, tail -f
    // of a removed file: battery 44).
    FsInfo Info;
    char Path[PathBytes];
    FileDispatch::currentPath(*F, Path);
    long E = FsBridge::statfs(Path, Info);
    while ((E == -ENOENT || E == -ENOTDIR) && Path[0] == '/' && Path[1]) {
      char *Slash = std::strrchr(Path, '/');
      Slash[Slash == Path ? 1 : 0] = 0;
      E = FsBridge::statfs(Path, Info);
    }
    if (E < 0)
      return E == -ENOENT ? -ESTALE : E;
    return putStatfs(Info, Call.Arg[1]);
  }
  case Kind::Host:
    break;
  }
  if (readOnlyHost(Call.Arg[0])) {
    // Read from the host, on a read-only mount all the same (hostfs's
    // statfs says ST_RDONLY).
    struct statfs S;
    if (long E = hostCall(SYS_fstatfs, Call.Arg[0], reinterpret_cast<long>(&S));
        E < 0)
      return E;
    S.f_flags |= ST_RDONLY;
    return UserMemory::copyOut(reinterpret_cast<void *>(Call.Arg[1]), &S,
                               sizeof(S));
  }
  return passToHost(Call);
}

long sys::setxattr(SyscallCall &Call) {
  return onPath(
      Call, AT_FDCWD, Call.Arg[0],
      [&](const char *Abs) {
        return xattrSet(Abs, Call.Arg[1], Call.Arg[2], Call.Arg[3], Call.Arg[4],
                        true);
      },
      /*FollowLast=*/true);
}
long sys::lsetxattr(SyscallCall &Call) {
  return onPath(Call, AT_FDCWD, Call.Arg[0], [&](const char *Abs) {
    return xattrSet(Abs, Call.Arg[1], Call.Arg[2], Call.Arg[3], Call.Arg[4],
                    false);
  });
}
long sys::removexattr(SyscallCall &Call) {
  return onPath(
      Call, AT_FDCWD, Call.Arg[0],
      [&](const char *Abs) { return xattrRemove(Abs, Call.Arg[1], true); },
      /*FollowLast=*/true);
}
long sys::lremovexattr(SyscallCall &Call) {
  return onPath(Call, AT_FDCWD, Call.Arg[0], [&](const char *Abs) {
    return xattrRemove(Abs, Call.Arg[1], false);
  });
}
long sys::getxattr(SyscallCall &Call) {
  return onPath(
      Call, AT_FDCWD, Call.Arg[0],
      [&](const char *Abs) {
        return xattrGet(Abs, Call.Arg[1], Call.Arg[2], Call.Arg[3], true);
      },
      /*FollowLast=*/true);
}
long sys::lgetxattr(SyscallCall &Call) {
  return onPath(Call, AT_FDCWD, Call.Arg[0], [&](const char *Abs) {
    return xattrGet(Abs, Call.Arg[1], Call.Arg[2], Call.Arg[3], false);
  });
}
long sys::listxattr(SyscallCall &Call) {
  return onPath(
      Call, AT_FDCWD, Call.Arg[0],
      [&](const char *Abs) {
        return xattrList(Abs, Call.Arg[1], Call.Arg[2], true);
      },
      /*FollowLast=*/true);
}
long sys::llistxattr(SyscallCall &Call) {
  return onPath(Call, AT_FDCWD, Call.Arg[0], [&](const char *Abs) {
    return xattrList(Abs, Call.Arg[1], Call.Arg[2], false);
  });
}
// A K42 descriptor's attributes are its file's, by the path it is at now;
// a pipe end's are the host's placeholder's.
long sys::fsetxattr(SyscallCall &Call) {
  if (readOnlyHost(Call.Arg[0]))
    return -EROFS;
  return onCurrentPath(Call, Call.Arg[0], [&](const char *Path) {
    return xattrSet(Path, Call.Arg[1], Call.Arg[2], Call.Arg[3], Call.Arg[4],
                    true);
  });
}
long sys::fremovexattr(SyscallCall &Call) {
  if (readOnlyHost(Call.Arg[0]))
    return -EROFS;
  return onCurrentPath(Call, Call.Arg[0], [&](const char *Path) {
    return xattrRemove(Path, Call.Arg[1], true);
  });
}
long sys::fgetxattr(SyscallCall &Call) {
  return onCurrentPath(Call, Call.Arg[0], [&](const char *Path) {
    return xattrGet(Path, Call.Arg[1], Call.Arg[2], Call.Arg[3], true);
  });
}
long sys::flistxattr(SyscallCall &Call) {
  return onCurrentPath(Call, Call.Arg[0], [&](const char *Path) {
    return xattrList(Path, Call.Arg[1], Call.Arg[2], true);
  });
}
// The *xattrat calls (Linux 6.13): (dirfd, path, at_flags, ...), each as
// its path call on what dirfd and path name: a K42 descriptor by
// AT_EMPTY_PATH (an O_PATH one's too: Linux looks its file up) is its
// file at its current path; the host's paths pass through.
namespace {
/// struct xattr_args of setxattrat and getxattrat.
struct XattrArgs {
  uint64_t Value;
  uint32_t Size;
  uint32_t Flags;
};

/// The caller's struct xattr_args at \p User, \p Size bytes of it, by
/// Linux's copy_struct_from_user: fewer than its 16 bytes EINVAL, more
/// than a page E2BIG, and any byte past the 16 that is not zero E2BIG.
long xattrArgsIn(long User, long Size, XattrArgs &Args) {
  if (uint64_t(Size) > 4096)
    return -E2BIG;
  if (size_t(Size) < sizeof(XattrArgs))
    return -EINVAL;
  if (UserMemory::copyIn(&Args, reinterpret_cast<void *>(User), sizeof(Args)) <
      0)
    return -EFAULT;
  for (long At = sizeof(Args); At < Size;) {
    char Rest[64];
    long Piece = Size - At < long(sizeof(Rest)) ? Size - At : sizeof(Rest);
    if (UserMemory::copyIn(Rest, reinterpret_cast<char *>(User) + At,
                           size_t(Piece)) < 0)
      return -EFAULT;
    for (long I = 0; I < Piece; ++I)
      if (Rest[I])
        return -E2BIG;
    At += Piece;
  }
  return 0;
}

/// \p Body(Abs, Follow) on the file an *xattrat call names (\p Change:
/// it writes, so a read-only host descriptor's file is EROFS).
template <typename BodyFn>
long onXattrAt(SyscallCall &Call, bool Change, BodyFn Body) {
  long Flags = Call.Arg[2];
  if (Flags & ~long(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
    return -EINVAL;
  bool Follow = !(Flags & AT_SYMLINK_NOFOLLOW);
  Call.Arg[1] = FileDispatch::cwdIfEmpty(Call.Arg[0], Call.Arg[1], Flags);
  HeldFile F;
  if (namesFd(Call.Arg[0], Call.Arg[1], Flags, F)) {
    char Path[PathBytes];
    FileDispatch::currentPath(*F, Path);
    return Body(static_cast<const char *>(Path), true);
  }
  if (Change && namesReadOnlyHost(Call.Arg[0], Call.Arg[1], Flags))
    return -EROFS;
  return onPath(
      Call, Call.Arg[0], Call.Arg[1],
      [&](const char *Abs) { return Body(Abs, Follow); }, Follow);
}
} // namespace

long sys::setxattrat(SyscallCall &Call) {
  XattrArgs Args;
  if (long E = xattrArgsIn(Call.Arg[4], Call.Arg[5], Args); E < 0)
    return E;
  return onXattrAt(Call, true, [&](const char *Abs, bool Follow) {
    return xattrSet(Abs, Call.Arg[3], long(Args.Value), long(Args.Size),
                    long(Args.Flags), Follow);
  });
}
long sys::removexattrat(SyscallCall &Call) {
  return onXattrAt(Call, true, [&](const char *Abs, bool Follow) {
    return xattrRemove(Abs, Call.Arg[3], Follow);
  });
}
long sys::getxattrat(SyscallCall &Call) {
  XattrArgs Args;
  if (long E = xattrArgsIn(Call.Arg[4], Call.Arg[5], Args); E < 0)
    return E;
  if (Args.Flags)
    return -EINVAL;
  return onXattrAt(Call, false, [&](const char *Abs, bool Follow) {
    return xattrGet(Abs, Call.Arg[3], long(Args.Value), long(Args.Size),
                    Follow);
  });
}
long sys::listxattrat(SyscallCall &Call) {
  return onXattrAt(Call, false, [&](const char *Abs, bool Follow) {
    return xattrList(Abs, Call.Arg[3], Call.Arg[4], Follow);
  });
}

long sys::flock(SyscallCall &Call) {
  return onFd(Call, Call.Arg[0], 0, [&](OpenFile &F) {
    return FileDispatch::pathOnly(F) ? -EBADF
                                     : FileControl::flock(F, Call.Arg[1]);
  });
}

long sys::fallocate(SyscallCall &Call) {
  return onFd(Call, Call.Arg[0], -ESPIPE, [&](OpenFile &F) -> long {
    long Mode = Call.Arg[1], Offset = Call.Arg[2], Length = Call.Arg[3];
    if (Offset < 0 || Length <= 0)
      return -EINVAL;
    if ((F.Desc->Flags & O_ACCMODE) == O_RDONLY)
      return -EBADF;
    if (F.Desc->IsDir)
      return -EISDIR;
    constexpr long Punch = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE;
    if (Mode != 0 && Mode != FALLOC_FL_KEEP_SIZE && Mode != Punch)
      return -EOPNOTSUPP;
    if (long E = served(F); E < 0)
      return E;
    FileAttr Attr;
    if (long E = FsBridge::fstat(F.Server, Attr); E < 0)
      return E;
    if (!S_ISREG(Attr.Mode))
      return -ENODEV;
    // Past the largest file (tmpfs's s_maxbytes, INT64_MAX), the sum
    // overflowing included: vfs_fallocate's EFBIG (it was the size's
    // EINVAL).
    if (uint64_t(Offset) + uint64_t(Length) > uint64_t(INT64_MAX))
      return -EFBIG;
    if (Mode == Punch) {
      // The description's copy of the file would still hold the bytes.
      F.Desc->dropCache();
      return FsBridge::punchHole(F.Server, uint64_t(Offset), uint64_t(Length));
    }
    // Mode 0 extends the size as Linux does (ftruncate's checks and the
    // description's copy); the server then reserves the space, which the
    // file's blocks count (du).
    uint64_t End = uint64_t(Offset) + uint64_t(Length);
    if (Mode == 0 && End > uint64_t(Attr.Size)) {
      SyscallCall Grow = {};
      Grow.Number = SYS_ftruncate;
      Grow.Arg[0] = Call.Arg[0];
      Grow.Arg[1] = long(End);
      if (long E = sys::ftruncate(Grow); E < 0)
        return E;
    }
    long E = FsBridge::allocate(F.Server, uint64_t(Offset), uint64_t(Length));
    // A server that cannot reserve: the size is set, as before.
    if (E == -EOPNOTSUPP)
      return 0;
    // No room (ENOSPC): the size as it was, as Linux leaves it.
    if (E < 0 && Mode == 0 && End > uint64_t(Attr.Size)) {
      SyscallCall Back = {};
      Back.Number = SYS_ftruncate;
      Back.Arg[0] = Call.Arg[0];
      Back.Arg[1] = long(Attr.Size);
      (void)sys::ftruncate(Back);
    }
    return E;
  });
}

long sys::fadvise64(SyscallCall &Call) {
  return onFd(Call, Call.Arg[0], -ESPIPE, [&](OpenFile &F) -> long {
    if (FileDispatch::pathOnly(F))
      return -EBADF; // no open file (Linux's fdget)
    if (Call.Arg[2] < 0 || Call.Arg[3] < 0 || Call.Arg[3] > 5)
      return -EINVAL;
    return 0; // advice: nothing to do for K42's servers
  });
}
long sys::readahead(SyscallCall &Call) {
  return onFd(Call, Call.Arg[0], -EINVAL, [&](OpenFile &F) -> long {
    if ((F.Desc->Flags & O_ACCMODE) == O_WRONLY || FileDispatch::pathOnly(F))
      return -EBADF;
    return F.Desc->IsDir ? -EINVAL : 0;
  });
}
long sys::sync_file_range(SyscallCall &Call) {
  return onFd(Call, Call.Arg[0], -ESPIPE, [&](OpenFile &F) -> long {
    if (Call.Arg[1] < 0 || Call.Arg[2] < 0 ||
        (Call.Arg[3] & ~long(7)))
      return -EINVAL;
    if (long E = served(F); E < 0)
      return E;
    return FsBridge::fsync(F.Server);
  });
}
long sys::syncfs(SyscallCall &Call) {
  // K42's servers write through: nothing is pending.
  return onFd(Call, Call.Arg[0], 0, [](OpenFile &F) -> long {
    return FileDispatch::pathOnly(F) ? -EBADF : 0;
  });
}

long sys::getdents(SyscallCall &Call) {
  return onFd(Call, Call.Arg[0], -ENOTDIR, [&](OpenFile &F) {
    return oldGetdents(F, Call.Arg[1], Call.Arg[2]);
  });
}

namespace {
/// openat2 under RESOLVE_* rules \p Resolve: the host's rules for a host
/// path; for a K42 one, a walk here that keeps them (ResolveWalk), then an
/// open of what it found. The path is read once: what is classified is
/// what is walked.
long openResolved(SyscallCall &Call, uint64_t Flags, uint64_t Mode,
                  uint64_t Resolve) {
  char Raw[PathBytes];
  if (long E = FileDispatch::copyPath(Call.Arg[1], Raw); E < 0)
    return E;
  if (!Raw[0])
    return -ENOENT;
  // Where the walk starts: the descriptor's folder, or the current one.
  static const char Here[] = ".";
  char Start[PathBytes];
  long StartWhose =
      FileDispatch::path(Call.Arg[0], reinterpret_cast<long>(Here), Start);
  if (StartWhose < 0)
    return StartWhose;
  char Abs[PathBytes];
  if (Raw[0] != '/' || (Resolve & (RESOLVE_BENEATH | RESOLVE_IN_ROOT))) {
    // Within the starting folder: the host's rules for a host one.
    if (StartWhose == 0)
      return passToHost(Call);
  } else {
    // An absolute path is the host's or K42's by its own name; from a
    // host folder, K42's root is another file system (RESOLVE_NO_XDEV).
    long Whose = FileDispatch::path(AT_FDCWD, reinterpret_cast<long>(Raw), Abs);
    if (Whose <= 0)
      return Whose < 0 ? Whose : passToHost(Call);
    if (StartWhose == 0 && (Resolve & RESOLVE_NO_XDEV))
      return -EXDEV;
    if (StartWhose == 0)
      std::strcpy(Start, "/");
  }
  if (long E = ResolveWalk::resolve(
          Start, Raw, Resolve, FileDispatch::opensFollowLast(long(Flags)), Abs);
      E != 0)
    return E;
  SyscallCall Open = {};
  Open.Number = SYS_openat;
  Open.Arg[0] = AT_FDCWD;
  Open.Arg[1] = reinterpret_cast<long>(Abs);
  // The walk followed every symlink it was to: none is left to follow.
  Open.Arg[2] = long(Flags | O_NOFOLLOW);
  Open.Arg[3] = long(Mode);
  return sys::openat(Open);
}

} // namespace

long sys::openat2(SyscallCall &Call) {
  // struct open_how: flags, mode, resolve (u64 each); a larger one from a
  // newer program only with zeros past what this knows (E2BIG).
  uint64_t How[3] = {};
  size_t Size = size_t(Call.Arg[3]);
  if (Size < sizeof(How))
    return -EINVAL;
  if (Size > 4096)
    return -E2BIG;
  if (UserMemory::copyIn(How, reinterpret_cast<void *>(Call.Arg[2]),
                         sizeof(How)) < 0)
    return -EFAULT;
  for (size_t At = sizeof(How); At < Size; ++At) {
    char Byte;
    if (UserMemory::copyIn(&Byte, reinterpret_cast<char *>(Call.Arg[2]) + At,
                           1) < 0)
      return -EFAULT;
    if (Byte)
      return -E2BIG;
  }
  // Linux's checks (build_open_flags, strict for openat2): the kernel's
  // VALID_OPEN_FLAGS, permission bits only, a mode only to create, known
  // RESOLVE_* bits.
  constexpr uint64_t ValidFlags = 03 | 0100 | 0200 | 0400 | 01000 | 02000 |
                                  04000 | 010000 | 020000 | 040000 | 0100000 |
                                  0200000 | 0400000 | 01000000 | 02000000 |
                                  04000000 | 010000000 | 020000000;
  constexpr uint64_t KnownResolve = 0x3f;
  if ((How[0] & ~ValidFlags) || (How[1] & ~uint64_t(07777)) ||
      (How[2] & ~KnownResolve))
    return -EINVAL;
  if (!(How[0] & (O_CREAT | O_TMPFILE)) && How[1])
    return -EINVAL;
  if ((How[2] & RESOLVE_BENEATH) && (How[2] & RESOLVE_IN_ROOT))
    return -EINVAL;
  if (How[2])
    return openResolved(Call, How[0], How[1], How[2]);
  // As openat, which knows a K42 descriptor's name (/proc/self/fd/N,
  // /dev/fd/N: a reopen of its file; the host's would open the
  // placeholder, battery 31) and the host's paths.
  SyscallCall Open = {};
  Open.Number = SYS_openat;
  Open.Arg[0] = Call.Arg[0];
  Open.Arg[1] = Call.Arg[1];
  Open.Arg[2] = long(How[0]);
  Open.Arg[3] = long(How[1]);
  return sys::openat(Open);
}

long sys::fchmodat2(SyscallCall &Call) {
  long Flags = Call.Arg[3];
  if (Flags & ~long(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
    return -EINVAL;
  Call.Arg[1] = FileDispatch::cwdIfEmpty(Call.Arg[0], Call.Arg[1], Flags);
  HeldFile F;
  if (namesFd(Call.Arg[0], Call.Arg[1], Flags, F)) {
    // AT_EMPTY_PATH names the file, an O_PATH descriptor's too (Linux
    // looks it up, where fchmod uses it as an open file: EBADF).
    if (F && FileDispatch::pathOnly(*F)) {
      char Path[PathBytes];
      FileDispatch::currentPath(*F, Path);
      return FileDispatch::chmod(Path, uint32_t(Call.Arg[2]) & 07777);
    }
    SyscallCall Fd = {};
    Fd.Number = SYS_fchmod;
    Fd.Arg[0] = Call.Arg[0];
    Fd.Arg[1] = Call.Arg[2];
    return sys::fchmod(Fd);
  }
  if (namesReadOnlyHost(Call.Arg[0], Call.Arg[1], Flags))
    return -EROFS;
  return onPath(Call, Call.Arg[0], Call.Arg[1], [&](const char *Abs) -> long {
    if (Flags & AT_SYMLINK_NOFOLLOW) {
      FileAttr Attr;
      if (long E = FsBridge::stat(Abs, false, Attr); E < 0)
        return E;
      if (S_ISLNK(Attr.Mode))
        return -EOPNOTSUPP; // as Linux: a symlink has no mode
    }
    return FileDispatch::chmod(Abs, uint32_t(Call.Arg[2]) & 07777);
  });
}

long sys::execveat(SyscallCall &Call) {
  long Flags = Call.Arg[4];
  Call.Arg[1] = FileDispatch::cwdIfEmpty(Call.Arg[0], Call.Arg[1], Flags);
  HeldFile F;
  bool ByFd = namesFd(Call.Arg[0], Call.Arg[1], Flags, F);
  char Abs[PathBytes];
  long Whose = ByFd ? 1 : FileDispatch::path(Call.Arg[0], Call.Arg[1], Abs);
  if (Whose < 0)
    return Whose;
  if (Whose == 0)
    return passToHost(Call);
  if (Flags & ~long(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
    return -EINVAL;
  if (ByFd)
    FileDispatch::currentPath(*F, Abs);
  const char *Path = Abs;
  if (Flags & AT_SYMLINK_NOFOLLOW) {
    FileAttr Attr;
    if (long E = FsBridge::stat(Path, false, Attr); E < 0)
      return E;
    if (S_ISLNK(Attr.Mode))
      return -ELOOP;
  }
  // As execve of the K42 path (ExecCalls: the host's file when hostfs
  // serves it, otherwise a copy).
  SyscallCall Exec = {};
  Exec.Number = SYS_execve;
  Exec.Arg[0] = reinterpret_cast<long>(Path);
  Exec.Arg[1] = Call.Arg[2];
  Exec.Arg[2] = Call.Arg[3];
  return sys::execve(Exec);
}

long sys::inotify_add_watch(SyscallCall &Call) {
  // The instance is the host's (inotify_init passes through), and so is
  // every event: a K42 file is watched through the host file its server
  // names for it (FsBridge::watch: hostfs's own file, ramfs's stand-in,
  // which ramfs changes as the file changes).
  return onPath(
      Call, AT_FDCWD, Call.Arg[1],
      [&](const char *Abs) -> long {
        uint32_t Mask = uint32_t(Call.Arg[2]);
        // Linux checks the mask and the descriptor before the path: the
        // host's answer for an empty path says whether they pass (ENOENT).
        static const char None[] = "";
        long Checked = hostCall(SYS_inotify_add_watch, Call.Arg[0],
                                reinterpret_cast<long>(None), Call.Arg[2]);
        if (Checked != -ENOENT)
          return Checked < 0 ? Checked : -EINVAL;
        bool Follow = !(Mask & IN_DONT_FOLLOW);
        if (Mask & IN_ONLYDIR) {
          FileAttr Attr;
          if (long E = FsBridge::stat(Abs, Follow, Attr); E < 0)
            return E;
          if (!S_ISDIR(Attr.Mode))
            return -ENOTDIR;
        }
        char Host[PathBytes];
        if (long E = FsBridge::watch(Abs, Follow, Host, sizeof(Host)); E < 0)
          return E == -ENOSYS ? -EOPNOTSUPP : E;
        // The host file is the watched one itself, never a symlink to follow.
        return hostCall(SYS_inotify_add_watch, Call.Arg[0],
                        reinterpret_cast<long>(Host),
                        Call.Arg[2] | IN_DONT_FOLLOW);
      },
      !(uint32_t(Call.Arg[2]) & IN_DONT_FOLLOW));
}
long sys::fanotify_mark(SyscallCall &Call) {
  if (!Call.Arg[4]) {
    HeldFile F;
    return FileDispatch::fd(Call.Arg[3], F) == Kind::Host ? passToHost(Call)
                                                          : -EOPNOTSUPP;
  }
  return refuseOnK42(Call, Call.Arg[3], Call.Arg[4], EOPNOTSUPP);
}
long sys::name_to_handle_at(SyscallCall &Call) {
  // A file system without export operations: EOPNOTSUPP (the man page).
  HeldFile F;
  if (namesFd(Call.Arg[0], Call.Arg[1], Call.Arg[4], F))
    return -EOPNOTSUPP;
  return refuseOnK42(Call, Call.Arg[0], Call.Arg[1], EOPNOTSUPP,
                     Call.Arg[4] & AT_SYMLINK_FOLLOW);
}
long sys::open_tree(SyscallCall &Call) {
  // K42's mounts are not the host's: nothing to clone or open (EINVAL, as
  // for a path that is not a mount the caller may see).
  HeldFile F;
  if (namesFd(Call.Arg[0], Call.Arg[1], Call.Arg[2], F))
    return -EINVAL;
  return refuseOnK42(Call, Call.Arg[0], Call.Arg[1], EINVAL);
}
long sys::open_tree_attr(SyscallCall &Call) { return sys::open_tree(Call); }
long sys::fspick(SyscallCall &Call) {
  return isRoot() ? refuseOnK42(Call, Call.Arg[0], Call.Arg[1], EINVAL)
                  : refuseOnK42(Call, Call.Arg[0], Call.Arg[1], EPERM);
}
long sys::move_mount(SyscallCall &Call) {
  char Abs[PathBytes];
  for (int I : {0, 2}) {
    long Whose = FileDispatch::path(Call.Arg[I], Call.Arg[I + 1], Abs);
    if (Whose == 1)
      return isRoot() ? -EINVAL : -EPERM;
  }
  return passToHost(Call);
}
long sys::chroot(SyscallCall &Call) {
  // The personality's root is K42's '/', which it does not move: a change
  // to another folder is EPERM for everyone (documented); to '/' itself,
  // which changes nothing, it is CAP_SYS_CHROOT's, as on Linux (`chroot /
  // CMD` runs CMD).
  return onPath(Call, AT_FDCWD, Call.Arg[0], [](const char *Abs) -> long {
    FileAttr Attr;
    if (long E = FsBridge::stat(Abs, true, Attr); E < 0)
      return E;
    if (!S_ISDIR(Attr.Mode))
      return -ENOTDIR;
    constexpr unsigned CapSysChroot = 18;
    if (Abs[0] == '/' && Abs[1] == 0 && hasCapability(CapSysChroot))
      return 0;
    return -EPERM;
  });
}
long sys::acct(SyscallCall &Call) {
  if (!Call.Arg[0])
    return passToHost(Call); // switching accounting off names no file
  return refuseOnK42(Call, AT_FDCWD, Call.Arg[0], isRoot() ? EACCES : EPERM);
}
long sys::swapon(SyscallCall &Call) {
  return refuseOnK42(Call, AT_FDCWD, Call.Arg[0], isRoot() ? EINVAL : EPERM);
}
long sys::swapoff(SyscallCall &Call) {
  return refuseOnK42(Call, AT_FDCWD, Call.Arg[0], isRoot() ? EINVAL : EPERM);
}
long sys::quotactl(SyscallCall &Call) {
  // The special (block device) argument: K42's file systems have no quota.
  if (!Call.Arg[1])
    return passToHost(Call);
  return refuseOnK42(Call, AT_FDCWD, Call.Arg[1], ENOTBLK);
}
long sys::quotactl_fd(SyscallCall &Call) {
  return onFd(Call, Call.Arg[0], -EINVAL,
              [](OpenFile &) -> long { return -EOPNOTSUPP; });
}
long sys::mount(SyscallCall &Call) {
  // The target (and the source, for a bind mount) on K42: K42's mount
  // table is the name server's, not the host's.
  char Abs[PathBytes];
  if (Call.Arg[0] && FileDispatch::path(AT_FDCWD, Call.Arg[0], Abs) == 1 &&
      (Call.Arg[3] & MS_BIND))
    return isRoot() ? -EINVAL : -EPERM;
  return refuseOnK42(Call, AT_FDCWD, Call.Arg[1], isRoot() ? EINVAL : EPERM);
}
long sys::umount2(SyscallCall &Call) {
  return refuseOnK42(Call, AT_FDCWD, Call.Arg[0], isRoot() ? EINVAL : EPERM,
                     !(Call.Arg[1] & UMOUNT_NOFOLLOW));
}
long sys::pivot_root(SyscallCall &Call) {
  char Abs[PathBytes];
  if (FileDispatch::path(AT_FDCWD, Call.Arg[0], Abs) == 1 ||
      FileDispatch::path(AT_FDCWD, Call.Arg[1], Abs) == 1)
    return isRoot() ? -EINVAL : -EPERM;
  return passToHost(Call);
}

long sys::close_range(SyscallCall &Call) {
  // The K42 descriptors in the range are closed by K42 (their tables, the
  // server handles); from FirstPrivateFd up, only the program's own
  // (ProgramFds) are closed or marked, one at a time, never the
  // personality's; the host closes the rest.
  uint64_t First = uint64_t(uint32_t(Call.Arg[0]));
  uint64_t Last = uint64_t(uint32_t(Call.Arg[1]));
  long Flags = Call.Arg[2];
  if (First > Last ||
      (Flags & ~long(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC)))
    return -EINVAL;
  bool CloseOnExec = Flags & CLOSE_RANGE_CLOEXEC;
  auto Close = [](long Fd) {
    SyscallCall C = {};
    C.Number = SYS_close;
    C.Arg[0] = Fd;
    (void)sys::close(C);
  };
  uint64_t Private = KernelConnection::FirstPrivateFd;
  long Result = 0;
  if (First < Private) {
    uint64_t Low = Last < Private ? Last : Private - 1;
    if (!CloseOnExec) {
      for (uint64_t Fd = First; Fd <= Low; ++Fd) {
        HeldFile F;
        if (FileDispatch::fd(long(Fd), F) != Kind::Host)
          Close(long(Fd));
      }
    }
    Result = hostCall(SYS_close_range, long(First), long(Low), Flags);
  } else if (Flags & CLOSE_RANGE_UNSHARE) {
    // The unshare alone: a range with no descriptor in it.
    Result = hostCall(SYS_close_range, ~0U, ~0U, CLOSE_RANGE_UNSHARE);
  }
  if (isError(Result) || Last < Private)
    return Result;
  ProgramFds::forEach(long(First < Private ? Private : First), long(Last),
                      [&](long Fd) {
                        if (CloseOnExec)
                          (void)hostCall(SYS_fcntl, Fd, F_SETFD, FD_CLOEXEC);
                        else
                          Close(Fd);
                      });
  return 0;
}

long sys::cachestat(SyscallCall &Call) {
  // No page cache of the host's stands for a K42 file.
  return onFd(Call, Call.Arg[0], -ESPIPE,
              [](OpenFile &) -> long { return -EOPNOTSUPP; });
}
long sys::file_getattr(SyscallCall &Call) {
  // No inode flags on K42's file systems (Linux: EOPNOTSUPP).
  return refuseOnK42(Call, Call.Arg[0], Call.Arg[1], EOPNOTSUPP,
                     !(Call.Arg[4] & AT_SYMLINK_NOFOLLOW));
}
long sys::file_setattr(SyscallCall &Call) { return sys::file_getattr(Call); }
long sys::mount_setattr(SyscallCall &Call) {
  return refuseOnK42(Call, Call.Arg[0], Call.Arg[1], isRoot() ? EINVAL : EPERM);
}
long sys::open_by_handle_at(SyscallCall &Call) {
  return onFd(Call, Call.Arg[0], -EOPNOTSUPP,
              [](OpenFile &) -> long { return -EOPNOTSUPP; });
}
long sys::tee(SyscallCall &Call) {
  constexpr long Known = 0xf; // SPLICE_F_MOVE, NONBLOCK, MORE, GIFT
  if (Call.Arg[3] & ~Known)
    return -EINVAL;
  HeldFile F;
  Kind In = FileDispatch::fd(Call.Arg[0], F),
       Out = FileDispatch::fd(Call.Arg[1], F);
  if (In == Kind::Host && Out == Kind::Host)
    return passToHost(Call);
  // Two K42 pipes: their rings. A K42 file, or a K42 pipe with the host's:
  // EINVAL, as tee of anything but two pipes (programs fall back).
  if (In != Kind::Pipe || Out != Kind::Pipe)
    return -EINVAL;
  HeldPipe From(Call.Arg[0]), To(Call.Arg[1]);
  if (!From || !To)
    return -EBADF; // closed meanwhile
  return PipeCalls::tee(*From, *To, size_t(Call.Arg[2]),
                        Call.Arg[3] & SPLICE_F_NONBLOCK);
}
long sys::vmsplice(SyscallCall &Call) {
  HeldFile F;
  switch (FileDispatch::fd(Call.Arg[0], F)) {
  case Kind::File:
    return -EBADF; // not a pipe
  case Kind::Host:
    return passToHost(Call);
  case Kind::Pipe:
    break;
  }
  // A K42 pipe end: the user pages given to the write end (SPLICE_F_GIFT
  // or not) are copied into its ring, as writev; the read end's bytes
  // into the user's, as readv. SPLICE_F_NONBLOCK: EAGAIN where the call
  // would wait, as if the end were O_NONBLOCK.
  constexpr long Known = 0xf; // SPLICE_F_MOVE, NONBLOCK, MORE, GIFT
  if (Call.Arg[3] & ~Known)
    return -EINVAL;
  HeldPipe P(Call.Arg[0]);
  if (!P)
    return -EBADF; // closed meanwhile
  bool NonBlock = Call.Arg[3] & SPLICE_F_NONBLOCK;
  if (P->Writer || P->ReadWrite)
    return PipeCalls::writev(Call.Arg[0], *P, Call.Arg[1], Call.Arg[2],
                             NonBlock);
  return PipeCalls::readv(*P, Call.Arg[1], Call.Arg[2], NonBlock);
}
long sys::io_submit(SyscallCall &Call) {
  // Linux AIO would read the placeholder: a K42 descriptor in any control
  // block refuses the whole call (EINVAL, as for a file without AIO).
  long Count = Call.Arg[1];
  if (Count < 0)
    return -EINVAL;
  for (long I = 0; I < Count && I < 4096; ++I) {
    long Block;
    if (UserMemory::copyIn(&Block, reinterpret_cast<long *>(Call.Arg[2]) + I,
                           sizeof(Block)) < 0)
      return -EFAULT;
    uint32_t Fds[2]; // aio_fildes at 20, aio_resfd at 60 (struct iocb)
    if (UserMemory::copyIn(&Fds[0], reinterpret_cast<char *>(Block) + 20, 4) <
            0 ||
        UserMemory::copyIn(&Fds[1], reinterpret_cast<char *>(Block) + 60, 4) <
            0)
      return -EFAULT;
    HeldFile F;
    if (FileDispatch::fd(long(Fds[0]), F) != Kind::Host)
      return -EINVAL;
  }
  return passToHost(Call);
}
