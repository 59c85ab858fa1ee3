//===- runtime/linux/FileCalls.cpp - Files served by K42 ------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The file and descriptor calls, served through the K42 file servers for
/// paths on K42 mounts and for K42 descriptors (FdTable); host descriptors
/// and host paths (FsBridge::HostOnlyPrefixes, names K42's root lacks)
/// pass through. The current directory is the process's own: a path of
/// K42's once the program changes into one, the host's until then.
///
//===----------------------------------------------------------------------===//

#include "k42/personality/FileState.h"

#include "k42/personality/AsLimit.h"
#include "k42/personality/DescriptionPool.h"
#include "k42/personality/DevFd.h"
#include "k42/personality/ExecEnvironment.h"
#include "k42/personality/FdLimit.h"
#include "k42/personality/FdTable.h"
#include "k42/personality/FileControl.h"
#include "k42/personality/FileDispatch.h"
#include "k42/personality/ForkLocks.h"
#include "k42/personality/FsBridge.h"
#include "k42/personality/GateHeap.h"
#include "k42/personality/Handlers.h"
#include "k42/personality/HeldFile.h"
#include "k42/personality/HeldPipe.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/HostFolder.h"
#include "k42/personality/HostSymlinks.h"
#include "k42/personality/MapsView.h"
#include "k42/personality/MountsView.h"
#include "k42/personality/OwnMemfd.h"
#include "k42/personality/PassedFds.h"
#include "k42/personality/PipeCalls.h"
#include "k42/personality/ProcNames.h"
#include "k42/personality/ProcessBridge.h"
#include "k42/personality/ProcessState.h"
#include "k42/personality/ProgramFds.h"
#include "k42/personality/RefCount.h"
#include "k42/personality/SeccompFilters.h"
#include "k42/personality/SitePatch.h"
#include "k42/personality/SpawnView.h"
#include "k42/personality/StaleFds.h"
#include "k42/personality/SyscallTable.h"
#include "k42/personality/UserMemory.h"

#include <atomic>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstring>

#include <dirent.h>
#include <fcntl.h>
#include <linux/stat.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>

using namespace k42;
using namespace k42::fs;
using namespace k42::personality;

namespace {

constexpr size_t PathBytes = PathMax + 1;

/// The process's current directory, when it is K42's.
GateLock CwdLock;
K42_HELD_ACROSS_FORK(CwdLock);
alignas(TableAlign) char Cwd[PathBytes];
/// The current directory held open (O_PATH, CwdLock) when this process
/// changed to a directory of a mount where directories are renamed: the
/// server tells the process when it, or one above it, moved (its channel's
/// count passes CwdFile.PathSeen), and the path follows (refreshCwd), as a
/// Linux process's current directory is its dentry. A fork child's copy is
/// its parent's (not followed until it changes directory itself); an
/// exec'd program holds none.
ServerFile CwdFile;
/// The key of CwdFile's open (fs::FileAttr::OpenKey; 0: none): how "." of
/// the directory is opened once it is removed (removedCwd).
uint64_t CwdFileKey = 0;
bool CwdHeld = false;
bool CwdIsK42 = false;
/// The current directory (Cwd, this process's own) was removed: its
/// server said so (followCwd), or the image that exec'd this one knew.
bool CwdGone = false;
/// The key of the open that holds the removed current directory in the
/// process this image's exec came from (ExecHeader::CwdKey; 0: none): an
/// exec'd program holds no CwdFile, yet opens and stats "." by it
/// (removedCwd). CwdLock.
uint64_t CarriedCwdKey = 0;
uint32_t Umask = 022;
bool UmaskKnown = false;

FdTable &table() { return FdTable::process(); }

/// The K42 file at \p Fd: the process's table, or in a posix_spawn child
/// its view over its parent's. A look only (is it K42's?): a call that
/// uses the file holds it (HeldFile), since another thread may close
/// \p Fd and free the file meanwhile.
OpenFile *fileAt(long Fd) {
  if (SpawnView *V = SpawnView::current())
    return V->file(Fd);
  return table().get(Fd);
}

/// An O_PATH descriptor only names its file (open(2)): the calls that use
/// it as an open file (read, write, lseek, getdents64, fsync, ftruncate,
/// fchmod) find no file there, EBADF as Linux's fdget.

/// Whether the caller's current directory is K42's and was removed (a
/// posix_spawn child's own, once it changed it, never is: its chdir
/// found it).
bool cwdGone() {
  if (SpawnView *V = SpawnView::current(); V && V->HasCwd)
    return false;
  return CwdIsK42 && CwdGone;
}

/// The current directory as the caller sees it (a spawn child's own once
/// it changed it); null while it is the host's.
const char *k42Cwd() {
  if (SpawnView *V = SpawnView::current(); V && V->HasCwd)
    return V->CwdIsK42 ? V->Cwd : nullptr;
  return CwdIsK42 ? Cwd : nullptr;
}

/// Lets go of \p Old, the current directory's handle before.
void releaseCwd(ServerFile &Old) {
  if (Old.Owner == ProcessState::pid() && Old.Via)
    (void)FsBridge::close(Old);
  else
    FsBridge::drop(Old);
}

/// The current directory's handle becomes \p Fresh (an O_PATH open of it,
/// with the open's \p Key; null: none), the last one let go.
void adoptCwd(const ServerFile *Fresh, uint64_t Key = 0) {
  if (!ProcessState::callerIsThisProcess())
    return; // a posix_spawn child: its parent's state
  ServerFile Old;
  bool HadOld;
  {
    GateLockGuard Guard(CwdLock);
    Old = CwdFile;
    HadOld = CwdHeld;
    CwdFile = Fresh ? *Fresh : ServerFile();
    CwdFileKey = Fresh ? Key : 0;
    CwdHeld = Fresh != nullptr;
  }
  if (HadOld)
    releaseCwd(Old);
}

/// Whether a change of directory to \p Abs should hold it open: this
/// process's own (not a posix_spawn child's), on a mount where
/// directories are renamed.
bool mayHoldCwd(const char *Abs) {
  return ProcessState::callerIsThisProcess() && FsBridge::onWritableMount(Abs);
}

/// The current directory becomes \p Abs (K42's), or the host's (null).
void setCwd(const char *Abs) {
  SpawnView *V = SpawnView::current();
  bool &IsK42 = V ? V->CwdIsK42 : CwdIsK42;
  char *To = V ? V->Cwd : Cwd;
  if (V)
    V->HasCwd = true;
  // For other processes' readlink of /proc/<pid>/cwd (a posix_spawn
  // child's chdir is published by the program it execs, from its state).
  if (!V) {
    DevFd::publishCwd(Abs);
    CwdGone = false;
  }
  if (!Abs) {
    IsK42 = false;
    return;
  }
  GateLockGuard Guard(CwdLock);
  if (!V)
    CarriedCwdKey = 0;
  size_t N = std::strlen(Abs);
  if (N > PathMax)
    N = PathMax;
  std::memcpy(To, Abs, N);
  To[N] = 0;
  while (N > 1 && To[N - 1] == '/')
    To[--N] = 0;
  IsK42 = true;
}

/// Follows the current directory if the server said it, or one above it,
/// moved since (CwdFile's PathSeen). Not inlined: its buffer stays off
/// the path calls' frames (posix_spawn's child execs on a small stack).
[[gnu::noinline]] void followCwd() {
  ServerFile Held;
  {
    GateLockGuard Guard(CwdLock);
    if (!CwdHeld || CwdFile.Owner != ProcessState::pid() || !CwdFile.Via)
      return;
    Held = CwdFile;
    // Another thread's chdir may let CwdFile go meanwhile.
    GateTransport::retain(Held.Via);
  }
  uint32_t Count = Held.Via->notificationCount();
  char Fresh[PathBytes];
  long Found = Count == Held.PathSeen
                   ? 0
                   : FsBridge::filePath(Held, Fresh, sizeof(Fresh));
  GateTransport::release(Held.Via);
  if (Count == Held.PathSeen)
    return;
  {
    GateLockGuard Guard(CwdLock);
    if (!CwdHeld || CwdFile.Handle != Held.Handle)
      return; // changed meanwhile
    CwdFile.PathSeen = Count;
    // Removed: its path is the one it had (Linux's getcwd then says
    // ENOENT, and its dentry's parents are still its '..').
    if (Found == -ENOENT)
      CwdGone = true;
  }
  if (Found == 0)
    setCwd(Fresh);
}

/// followCwd, where a process holds its own (a fork child's copy is its
/// parent's, and a posix_spawn child reads its parent's state): read
/// unlocked as a hint, checked again under CwdLock.
inline void refreshCwd() {
  if (__builtin_expect(CwdHeld, 0) && CwdFile.Owner == ProcessState::pid() &&
      ProcessState::callerIsThisProcess())
    followCwd();
}

long copyPath(long User, char *Out);

/// The key of an open that holds the current directory: this process's
/// CwdFile (a fork child's is its parent's, whose key is as good), else
/// the one its exec carried; 0 if none. With the directory's path into
/// \p Dir (PathBytes) when \p Dir is given.
uint64_t removedCwdKey(char *Dir) {
  GateLockGuard Guard(CwdLock);
  if (!CwdIsK42)
    return 0;
  uint64_t Key = CwdHeld ? CwdFileKey : CarriedCwdKey;
  if (Key && Dir)
    std::memcpy(Dir, Cwd, PathBytes);
  return Key;
}

/// Whether \p Path names the current directory itself (".", "./.") while
/// it is removed and an open holds it (removedCwdKey): Linux still opens
/// and stats it by its dentry, where a walk of its path finds nothing.
/// Then its path into \p Dir (PathBytes) and that open's key (the O_PATH
/// open chdir made) as the answer; 0 otherwise. Asked only where the current
/// directory is gone (cwdGone), and not inlined: the copy's buffer is on
/// the stack of those calls alone.
[[gnu::noinline]] uint64_t removedCwd(long Path, char *Dir) {
  char Raw[PathBytes];
  if (copyPath(Path, Raw) <= 0)
    return 0;
  for (const char *C = Raw; *C; ++C)
    if ((*C != '.' && *C != '/') || (C[0] == '.' && C[1] == '.'))
      return 0; // another name, or its parent's
  return removedCwdKey(Dir);
}

/// What openRemovedCwd and statRemovedCwd answer for a path that is not
/// the removed current directory's ".".
constexpr long NotRemovedCwd = LONG_MIN;

/// An open of "." in a removed current directory (\p Path, removedCwd):
/// a new open of the directory by its held open's key.
[[gnu::noinline]] long openRemovedCwd(long Path, long Flags, long Mode) {
  char Dir[PathBytes];
  uint64_t Key = removedCwd(Path, Dir);
  return Key ? FileDispatch::openPath(Dir, Flags, Mode, Key) : NotRemovedCwd;
}

long putStat(const FileAttr &A, long User);
long putStatx(const FileAttr &A, long User);

/// A stat of "." in a removed current directory (\p Path, removedCwd) into
/// the caller's \p Out: the directory's attributes, from an O_PATH open of
/// it by its held open's key.
[[gnu::noinline]] long statRemovedCwd(long Path, long Out, bool Statx) {
  char Dir[PathBytes];
  uint64_t Key = removedCwd(Path, Dir);
  ServerFile Probe;
  FileAttr Attr;
  if (!Key || FsBridge::reopen(Dir, Key, O_PATH, Probe, Attr) != 0)
    return NotRemovedCwd;
  (void)FsBridge::close(Probe);
  return Statx ? putStatx(Attr, Out) : putStat(Attr, Out);
}

/// A path argument, copied in with EFAULT checks, one page piece at a time.
long copyPath(long User, char *Out) {
  if (!User)
    return -EFAULT;
  size_t N = 0;
  auto At = static_cast<uintptr_t>(User);
  while (N < PathBytes) {
    size_t Piece = 4096 - ((At + N) & 4095);
    if (Piece > PathBytes - N)
      Piece = PathBytes - N;
    if (UserMemory::copyIn(Out + N, reinterpret_cast<const void *>(At + N),
                           Piece) < 0)
      return -EFAULT;
    for (size_t I = 0; I < Piece; ++I)
      if (Out[N + I] == 0)
        return long(N + I);
    N += Piece;
  }
  return -ENAMETOOLONG;
}

/// How many bytes of relative \p Raw its leading '.' and '..' components
/// take; each '..' drops a name of \p Base (its first \p B bytes, no
/// trailing '/'), none above the root.
size_t climb(const char *Base, size_t &B, const char *Raw) {
  size_t I = 0;
  for (;;) {
    size_t N = Raw[I] == '.' ? (Raw[I + 1] == '.' ? 2 : 1) : 0;
    if (!N || (Raw[I + N] != '/' && Raw[I + N] != 0))
      return I;
    if (N == 2) {
      while (B > 0 && Base[B - 1] != '/')
        --B;
      while (B > 1 && Base[B - 1] == '/')
        --B;
    }
    I += N;
    while (Raw[I] == '/')
      ++I;
  }
}

/// Where a path call goes.
enum class Where { Host, K42 };

/// A path relative to a host folder (the host's current directory, or a
/// host directory's descriptor \p DirFd): the host's, unless its leading
/// '..'s climb out of the folder to where K42's names are (from /work,
/// ".." is K42's root and "../tmp" K42's /tmp, not the host's). Then \p To
/// is K42's and \p Abs the path (its '..'s the folder's parents, as the
/// host's lookup takes them from the folder's dentry). \p Rel has no
/// leading '/'; \p Base (2 * PathBytes, not \p Rel's) is the caller's
/// scratch: no buffer more on the stack (resolve's own; posix_spawn's
/// child runs on a small one).
long fromHostFolder(long DirFd, const char *Rel, char *Base, char *Abs,
                    Where &To, bool FollowLast) {
  if (Rel[0] != '.' || Rel[1] != '.' || (Rel[2] != '/' && Rel[2] != 0)) {
    // A symlink in the folder may lead into K42's names all the same.
    if (HostSymlinks::intoK42(DirFd, Rel, FollowLast, Abs))
      To = Where::K42;
    return 0;
  }
  long N = hostFolderPath(DirFd, Base, PathBytes);
  // A folder K42's names hide (a host /tmp/x that k42-exec started in)
  // has no K42 path to climb from: the host's.
  if (N <= 0 || Base[0] != '/' || FsBridge::isK42Path(Base))
    return 0;
  size_t B = size_t(N);
  const char *Rest = Rel + climb(Base, B, Rel);
  Base[B] = '/';
  std::memcpy(Base + B + 1, Rest, std::strlen(Rest) + 1);
  if (FsBridge::normalize(Base, Abs) == 0 &&
      (FsBridge::isK42Path(Abs) ||
       HostSymlinks::intoK42(AT_FDCWD, Abs, FollowLast, Abs)))
    To = Where::K42;
  return 0;
}

/// \p User (relative to \p DirFd) as an absolute path in \p Abs, and
/// whether K42 serves it. An error is a negated errno. A host path that a
/// host symlink leads into K42's names from (HostSymlinks) is K42's, the
/// last component's symlink counted only with \p FollowLast (the calls
/// that follow it: open without O_NOFOLLOW, stat, access, chdir...).
long resolve(long DirFd, long User, char *Abs, Where &To,
             bool FollowLast = false) {
  To = Where::Host;
  char Raw[PathBytes];
  long Len = copyPath(User, Raw);
  if (Len < 0)
    return Len;
  if (Len == 0)
    return 0; // AT_EMPTY_PATH on a host descriptor, or the host's ENOENT
  if (!FsBridge::available()) {
    // Started inside a system that this process cannot reach (no room
    // for its descriptors, a socket that refuses its user): K42's
    // absolute paths fail, never the host's.
    if (long E = Raw[0] == '/' ? FsBridge::unreachable() : 0;
        E && FsBridge::normalize(Raw, Abs) == 0 && !FsBridge::hostOnly(Abs))
      return -E;
    return 0;
  }
  char Joined[2 * PathBytes];
  // A path through a K42 folder's descriptor name (/proc/self/fd/N/REST):
  // REST from that folder, as Linux walks it from the folder's dentry (the
  // host would find the placeholder, a file).
  const char *Rel = Raw;
  HeldFile Dir;
  // A path through the process's own cwd or root link (/proc/self/cwd,
  // /proc/self/root/REST): from K42's current directory or root, which
  // the host's links (the host process's) do not know. The link itself
  // is the folder it names here; lstat and readlink ask for the link
  // before this (ownLinkItself).
  const char *LinkBase = nullptr;
  // Another process's cwd link (/proc/<pid>/cwd/REST): from its K42
  // current directory, read into Joined.
  bool OtherCwd = false;
  if (long Fd; Raw[0] == '/') {
    long Pid = ProcessState::pid();
    const char *Rest = DevFd::underFd(Raw, Pid, Fd);
    if (Rest && Dir.hold(Fd) && Dir->Desc->IsDir) {
      Rel = Rest;
    } else {
      Dir.hold(-1); // a file's or a pipe's name: the host's ENOTDIR
      if (const char *Cwd = DevFd::ownLink(Raw, Pid, "cwd");
          Cwd && (LinkBase = k42Cwd())) {
        Rel = Cwd;
      } else if (const char *Root = DevFd::ownLink(Raw, Pid, "root")) {
        LinkBase = "/";
        Rel = Root;
      } else if (const char *Other = DevFd::otherCwd(Raw, Joined, PathBytes)) {
        OtherCwd = true;
        Rel = Other;
      }
    }
  }
  bool Relative = Rel != Raw || Raw[0] != '/';
  bool CwdRemoved = false;
  if (!Relative) {
    std::memcpy(Joined, Raw, size_t(Len) + 1);
  } else {
    // A directory descriptor's path is copied into Joined itself: no
    // buffer more on the stack (posix_spawn's child execs on a small one).
    const char *Base = nullptr;
    size_t B = 0;
    if (LinkBase) {
      Base = LinkBase;
    } else if (OtherCwd) {
      B = std::strlen(Joined);
      Base = Joined;
    } else if (Dir) {
      B = FileDispatch::currentPath(*Dir, Joined);
      Base = Joined;
    } else if (int(DirFd) == AT_FDCWD) {
      refreshCwd();
      if (!(Base = k42Cwd()))
        return fromHostFolder(DirFd, Rel, Joined, Abs, To, FollowLast);
      CwdRemoved = cwdGone();
    } else if (Dir.hold(DirFd)) {
      B = FileDispatch::currentPath(*Dir, Joined);
      Base = Joined;
    } else {
      return fromHostFolder(DirFd, Rel, Joined, Abs, To, FollowLast);
    }
    if (Base != Joined)
      B = std::strlen(Base);
    size_t RelLen = size_t(Len) - size_t(Rel - Raw);
    // A folder's own path: its leading '..'s are its parents, even once
    // a folder on the path is removed (Linux's dentry parents).
    size_t Skip = 0;
    if (Dir && Dir->Desc->IsDir && Dir->Desc->PathResolved) {
      Skip = climb(Base, B, Rel);
    } else if (CwdRemoved) {
      // A removed current directory has nothing in it, and no path names
      // it now (its name may be another folder's since); its leading
      // '..'s are still its parents (its path was the server's, every
      // symlink resolved).
      size_t Before = B;
      Skip = climb(Base, B, Rel);
      if (B == Before)
        return -ENOENT;
    }
    if (Base != Joined)
      std::memcpy(Joined, Base, B);
    Joined[B] = '/';
    std::memcpy(Joined + B + 1, Rel + Skip, RelLen - Skip + 1);
  }
  if (long E = FsBridge::normalize(Joined, Abs); E < 0)
    return E;
  if (FsBridge::isK42Path(Abs))
    To = Where::K42;
  else if (Relative)
    return FsBridge::LeftK42; // relative to a K42 directory, yet the host's
  else if (HostSymlinks::intoK42(AT_FDCWD, Abs, FollowLast, Abs))
    To = Where::K42;
  return 0;
}

/// Serialises re-authorisations: threads of a fork child (or of an exec'd
/// program) may meet the same inherited file at once.
GateLock AuthoriseLock;
K42_HELD_ACROSS_FORK(AuthoriseLock);

/// Whether \p F's server handle is this process's: Owner is published
/// last (authorise), so a thread that sees it sees the handle and channel.
inline bool authorised(const OpenFile &F) {
  return __atomic_load_n(&F.Server.Owner, __ATOMIC_ACQUIRE) ==
             ProcessState::pid() &&
         __atomic_load_n(&F.Server.Via, __ATOMIC_RELAXED);
}

/// The file's server handle, re-made in a process that did not open it
/// (the paper's lazy re-authorisation after fork, and after exec). Other
/// threads may be using the file meanwhile: the handle is made aside and
/// published whole, once.
long reauthorise(OpenFile &F) {
  GateLockGuard Guard(AuthoriseLock);
  if (authorised(F))
    return 0; // another thread's
  FileAttr Attr;
  uint32_t Flags =
      F.Desc->Flags & ~uint32_t(O_CREAT | O_EXCL | O_TRUNC | O_APPEND);
  ServerFile Fresh;
  // The very file the description's open found, by its key (renamed or
  // unlinked since, as Linux's descriptor names its inode); by its path
  // when the server gives no keys or the key's file was closed by every
  // other holder (ESTALE).
  long E = F.Desc->OpenKey ? FsBridge::reopen(F.Desc->Path, F.Desc->OpenKey,
                                              Flags, Fresh, Attr)
                           : -ESTALE;
  if (E == -ESTALE || E == -ENOSYS)
    E = FsBridge::open(F.Desc->Path, Flags, 0, Fresh, Attr);
  if (E < 0)
    return E == -ENOSYS ? -EIO : E;
  // Until now no thread used F.Server's channel (not this process's, or
  // none): it is let go, and the new one takes its place.
  FsBridge::drop(F.Server);
  F.Server.Handle = Fresh.Handle;
  F.Server.LeaseRing = nullptr;
  F.Server.AttrLeased = false;
  F.Server.Stable = Fresh.Stable;
  F.Server.OpenAttr = Fresh.OpenAttr;
  __atomic_store_n(&F.Server.AttrFresh, Fresh.AttrFresh, __ATOMIC_RELAXED);
  F.Server.Deferred = false;
  F.Server.PathSeen = Fresh.PathSeen;
  __atomic_store_n(&F.Server.Via, Fresh.Via, __ATOMIC_RELEASE);
  __atomic_store_n(&F.Server.Owner, Fresh.Owner, __ATOMIC_RELEASE);
  return 0;
}

long authorise(OpenFile &F) {
  if (authorised(F))
    return 0;
  // The reopen walks the description's path, deep below a light call's
  // frame (a read or write's): HandlerStack finds it the room.
  return HandlerStack::deep(
      [](void *File) { return reauthorise(*static_cast<OpenFile *>(File)); },
      &F);
}

void closeFile(OpenFile *F) {
  FileControl::release(F->LockFd); // the last one: its locks go
  if (F->Server.Owner == ProcessState::pid() && F->Server.Via)
    (void)FsBridge::close(F->Server);
  else
    FsBridge::drop(F->Server); // not this process's handle to end
  FileDescription::detach(F->Desc);
  FdTable::recycle(F);
}

/// Whether \p D's copy is still the file for the process that holds
/// \p F: this process holds the server's lease on it and the server has
/// not revoked it (its count in our channel memory has not moved). Loads
/// only: the cached read path's whole check (paper 4.5).
/// A reader's copy (the open's bytes, fs::WalkData) is also the file only
/// while this process changed no file since the open (another of its
/// opens, a link to the file, writes to it: the server never revokes a
/// process's lease for its own changes); a writer's keeps itself in step.
inline bool copyValid(const OpenFile &F, const FileDescription &D) {
  const NotifyRing *Ring =
      __atomic_load_n(&F.Server.LeaseRing, __ATOMIC_RELAXED);
  return __atomic_load_n(&D.Cached, __ATOMIC_ACQUIRE) && Ring &&
         GateTransport::notificationCount(*Ring) == F.Server.LeaseSeen &&
         ((D.Flags & O_ACCMODE) != O_RDONLY ||
          FsBridge::unchangedSince(F.Server.OwnSeen));
}

/// The hot swap of paper 4.5: the copy in \p F's description is no longer
/// the file (the server revoked this process's lease, or this process
/// never held it: a fork child, a program after exec, each another open
/// of the file for the server), so the description switches to the
/// server-side path for every process that shares it. Nothing is written
/// back: writes went through. Not under the description's lock.
void dropStaleCopy(OpenFile &F) {
  // Threads of this process may race here: each store is whole.
  __atomic_store_n(&F.Server.LeaseRing, nullptr, __ATOMIC_RELAXED);
  if (__atomic_load_n(&F.Desc->Cached, __ATOMIC_ACQUIRE))
    F.Desc->dropCache();
}

/// Whether reads may use \p F's copy, dropping a stale one first (not
/// under the description's lock).
bool holdsCopy(OpenFile &F) {
  if (copyValid(F, *F.Desc))
    return true;
  dropStaleCopy(F);
  return false;
}

/// Drops this process's client copies of the file at \p Abs (another open
/// of it, a truncate by path): the server's copy is then the one read.
/// The descriptors are every thread's, and another thread may close one
/// and free its file meanwhile: each is looked at under the table's lock
/// and a copy dropped under a reference (FdTable::hold), never through a
/// pointer read from the table alone.
void dropCaches(const char *Abs) {
  auto Holds = [&](const OpenFile &F) {
    return __atomic_load_n(&F.Desc->Cached, __ATOMIC_ACQUIRE) &&
           std::strcmp(F.Desc->Path, Abs) == 0;
  };
  // A posix_spawn child's own descriptors: only it changes them.
  if (SpawnView *V = SpawnView::current())
    for (long I = 0; I < SpawnView::MaxFds; ++I)
      if (OpenFile *Own = V->ownFile(I); Own && Holds(*Own))
        Own->Desc->dropCache();
  // Dropped copies no longer match, so a full batch means look again.
  constexpr int Batch = 16;
  OpenFile *Found[Batch];
  int N;
  do {
    N = table().hold(Found, Batch, Holds);
    for (int I = 0; I < N; ++I) {
      Found[I]->Desc->dropCache();
      if (FdTable::release(Found[I]))
        closeFile(Found[I]); // closed meanwhile: the last reference was ours
    }
  } while (N == Batch);
}

/// open of K42 path \p Abs. With \p Key (a description's OpenKey), the
/// file that key's open found, renamed or unlinked since, when the access
/// asked is within that open's (FsBridge::reopen; O_TRUNC then truncates
/// it): a descriptor's name opened anew, as Linux opens the inode it names.
/// The path otherwise.
long openK42(const char *Abs, long Flags, long Mode, uint64_t Key = 0) {
  if (!UmaskKnown) {
    long Old = hostCall(SYS_umask, 022);
    (void)hostCall(SYS_umask, Old);
    Umask = uint32_t(Old);
    UmaskKnown = true;
  }
  OpenFile *F = FdTable::makeFile();
  if (!F)
    return -ENOMEM;
  FileAttr Attr;
  if (Flags & O_PATH) // the other flags mean nothing to it (open(2))
    Flags &= O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC;
  uint32_t Wire = uint32_t(Flags) & ~uint32_t(O_CLOEXEC | O_APPEND);
  // A regular file this open empties, for writing, may be held in the
  // description (paper 4.5) if the server grants this process the lease.
  bool WantCopy = (Flags & O_TRUNC) && (Flags & O_ACCMODE) != O_RDONLY;
  // Opened for reading only, its lease lets fstat answer from the open's
  // attributes while nobody else has the file (ServerFile::AttrLeased).
  bool WantAttrs =
      (Flags & O_ACCMODE) == O_RDONLY &&
      !(Flags & (O_PATH | O_CREAT | O_TRUNC | (O_TMPFILE & ~O_DIRECTORY)));
  // A regular file of a read-only host directory (hostfs's /usr, /etc),
  // opened for reading, is the host's own descriptor: reads, mmap and
  // fstat are the host's, and fork, exec, dup and close need nothing of
  // the personality (runtime/linux/README.md, "Read-only files from the
  // host").
  long HostFd = -1;
  // A folder's path as the server resolved it: what its '..' and
  // /proc/self/fd name (Linux's d_path), whatever path was typed.
  char Resolved[PathBytes];
  Resolved[0] = 0; // a reopen by key walks nothing
  // Opened for reading with the lease, a small file comes whole with the
  // open and is held in the description (paper 4.5): a program that reads
  // it from start to end (cat, sort, wc, grep) makes no read call. The
  // heap's block is GateHeap's 64 KiB class, which reads bounce through.
  OpenBytes Bytes;
  if (WantAttrs)
    Bytes.Buffer = static_cast<char *>(GateHeap::allocate(OpenDataMax));
  struct ReleaseBytes {
    OpenBytes &B;
    ~ReleaseBytes() { GateHeap::release(B.Buffer); }
  } Release{Bytes};
  long E = -ESTALE;
  if (Key && (Flags & O_CREAT) && (Flags & O_EXCL)) {
    FdTable::recycle(F);
    return -EEXIST; // the name's file exists: it is the descriptor's
  }
  if (Key) {
    E = FsBridge::reopen(Abs, Key, Wire, F->Server, Attr);
    if (E == 0 && (Flags & O_TRUNC) && (Flags & O_ACCMODE) != O_RDONLY &&
        S_ISREG(Attr.Mode)) {
      if (long T = FsBridge::ftruncate(F->Server, 0); T < 0) {
        (void)FsBridge::close(F->Server);
        FdTable::recycle(F);
        return T;
      }
      Attr.Size = 0;
    }
  }
  if (E == -ESTALE || E == -ENOSYS || E == -EACCES)
    E = FsBridge::open(Abs, Wire, uint32_t(Mode) & ~Umask & 07777, F->Server,
                       Attr, WantCopy || WantAttrs, Flags, &HostFd, Resolved,
                       Bytes.Buffer ? &Bytes : nullptr);
  if (E < 0 || HostFd >= 0) {
    FdTable::recycle(F);
    return E < 0 ? E : HostFd;
  }
  if (S_ISFIFO(Attr.Mode) && !(Flags & O_PATH)) {
    // A named pipe: the server checked the open; the pipe is the pipe
    // server's (its FIFO rules in PipeCalls::openFifo). An O_PATH open
    // opens no pipe (and never waits for the other end): it names the
    // file, as for any other kind.
    (void)FsBridge::close(F->Server);
    FdTable::recycle(F);
    return PipeCalls::openFifo(Attr.Dev, Attr.Ino, Flags);
  }
  // Another open of a file this process holds in a description: reads
  // through that description must see what the new one writes.
  dropCaches(Abs);
  // The placeholder is the description's memfd, at the lowest free number.
  bool Own = S_ISDIR(Attr.Mode) && Resolved[0];
  // An unnamed file (O_TMPFILE) is named as Linux's link names it,
  // "<folder>/#<inode> (deleted)"; it is reopened by its key.
  bool Unnamed = false;
  if (constexpr long TmpfileBit = 020000000;
      (Flags & TmpfileBit) && !S_ISDIR(Attr.Mode)) {
    size_t N = std::strlen(Abs);
    if (N + 40 < sizeof(Resolved)) {
      Unnamed = true;
      std::memcpy(Resolved, Abs, N);
      char *At = Resolved + N;
      if (N > 1)
        *At++ = '/';
      *At++ = '#';
      At = putDecimal(At, Attr.Ino);
      std::memcpy(At, " (deleted)", sizeof(" (deleted)"));
    }
  }
  // Limit: an openat2 without O_LARGEFILE keeps it too (Linux forces it
  // for open and openat only), since openat2 reaches here as openat.
  uint32_t Kept =
      (uint32_t(Flags) &
       ~uint32_t(O_CLOEXEC | O_CREAT | O_EXCL | O_TRUNC | O_NOCTTY)) |
      ((Flags & O_PATH) ? 0 : FileDescription::KernelLargeFile);
  long Fd = FileDescription::create(Own || Unnamed ? Resolved : Abs, Kept,
                                    S_ISDIR(Attr.Mode), /*Cloexec=*/true,
                                    F->Desc);
  if (!isError(Fd)) {
    F->Desc->PathResolved = Own;
    F->Desc->OpenKey = Attr.OpenKey;
    F->Desc->Dev = Attr.Dev;
    F->Desc->Ino = Attr.Ino;
  }
  SpawnView *V = isError(Fd) ? nullptr : SpawnView::current();
  if (!isError(Fd) && !V)
    StaleFds::drop(Fd); // a pipe end another thread's close left at Fd
  // A spawn child's own, for its exec.
  if (V ? !V->set(Fd, F, nullptr)
        : isError(Fd) || !table().install(Fd, F, FileState::releaseFile)) {
    if (!isError(Fd))
      (void)hostCall(SYS_close, Fd);
    closeFile(F);
    return isError(Fd) ? Fd : -EMFILE;
  }
  // Leased: held in the description from now on, Data starting empty,
  // until the server revokes the lease or the file outgrows the copy.
  if (WantCopy && F->Server.LeaseRing && S_ISREG(Attr.Mode)) {
    F->Desc->CachedSize = 0;
    __atomic_store_n(&F->Desc->Cached, 1, __ATOMIC_RELEASE);
  }
  static_assert(OpenDataMax <= FileDescription::CacheMax, "held whole");
  // A reader's copy: the bytes the open brought (a directory's listing:
  // listingFrom), held while the lease stands and this process changes no
  // file (copyValid). No other process has the description yet.
  if (Bytes.Whole && F->Server.LeaseRing) {
    std::memcpy(F->Desc->Data, Bytes.Buffer, Bytes.Size);
    F->Desc->CachedSize = Bytes.Size;
    __atomic_store_n(&F->Desc->Cached, 1, __ATOMIC_RELEASE);
  }
  // Close-on-exec until the table has it: another thread's exec meanwhile
  // closes it (the open came after the exec), where it handed the new
  // image a description the exec state did not name, a raw memfd at Fd
  // (battery 37).
  if (!(Flags & O_CLOEXEC))
    (void)hostCall(SYS_fcntl, Fd, F_SETFD, 0);
  return Fd;
}

/// read/pread from the description's copy of a small file; false if the
/// description holds none, or none that is still the file (the caller
/// asks the server).
bool readCached(OpenFile &F, void *Buffer, size_t Count, long Offset,
                bool Positioned, long &Result) {
  FileDescription &D = *F.Desc;
  if (!copyValid(F, D)) {
    dropStaleCopy(F);
    return false;
  }
  GateLockGuard Guard(D.Lock);
  if (!D.Cached)
    return false;
  uint64_t At = Positioned ? uint64_t(Offset) : D.Offset;
  size_t N = 0;
  if (At < D.CachedSize)
    N = Count < D.CachedSize - At ? Count : size_t(D.CachedSize - At);
  // A buffer mapped in part takes what fits, as on Linux; none is EFAULT.
  if (N && (N = UserMemory::copyOutSome(Buffer, D.Data + At, N)) == 0) {
    Result = -EFAULT;
    return true;
  }
  if (!Positioned)
    D.Offset += N;
  Result = long(N);
  return true;
}

/// Puts \p Count bytes written at \p At into the description's copy (under
/// its lock), or drops the copy when the file outgrows it.
void writeCached(FileDescription &D, uint64_t At, const char *Bytes,
                 size_t Count) {
  if (!D.Cached)
    return;
  if (At + Count > FileDescription::CacheMax) {
    __atomic_store_n(&D.Cached, 0, __ATOMIC_RELEASE);
    return;
  }
  if (At > D.CachedSize)
    std::memset(D.Data + D.CachedSize, 0, At - D.CachedSize);
  std::memcpy(D.Data + At, Bytes, Count);
  if (At + Count > D.CachedSize)
    D.CachedSize = At + Count;
}

/// The bytes of a server transfer on their way to or from the caller: a
/// small buffer on the stack for small counts, since a program's signal
/// handler may read or write on a small alternate stack (SIGSTKSZ) and the
/// SIGSYS handler runs on whatever stack the program is on; the heap's
/// 64 KiB class for larger ones (a server call each).
class Bounce {
public:
  /// A buffer for \p Count bytes; with \p Large, for a write of a quarter
  /// MiB or more, the process's large buffer when it is free (reads, and
  /// cp's 64 KiB writes, were no faster through it: cat of 256 MiB took 25
  /// to 85 ms where it took 25 to 50).
  explicit Bounce(size_t Count, bool Large = false) {
    if (Large && Count >= BigBytes / 4 && (Big = takeBig()))
      return;
    if (Count > sizeof(Small))
      Heap = static_cast<char *>(GateHeap::allocate(HeapBytes));
  }
  ~Bounce() {
    if (Big)
      BigSpare.store(Big, std::memory_order_release);
    GateHeap::release(Heap);
  }
  Bounce(const Bounce &) = delete;
  Bounce &operator=(const Bounce &) = delete;

  char *data() { return Big ? Big : Heap ? Heap : Small; }
  /// What one transfer may move (the small buffer's if the heap had none).
  size_t size() const {
    return Big ? BigBytes : Heap ? HeapBytes : sizeof(Small);
  }

private:
  /// Fills GateHeap's 64 KiB class with its 16-byte header.
  static constexpr size_t HeapBytes = 65536 - 16;
  /// The process's one large buffer, for a write past the heap's class: a
  /// MiB a server call, where 64 KiB pieces made a `dd bs=1M` into K42's
  /// /tmp sixteen calls a write (256 MiB: 470-530 ms, 220-260 ms so,
  /// natively 45).
  static constexpr size_t BigBytes = size_t(1) << 20;

  /// The large buffer, when no call holds it: the first call that wants it
  /// maps it (its pages made as they are written), later ones take it in
  /// turn; a call that finds it held (another thread's, or the call a
  /// signal handler interrupted) uses the heap's class.
  static char *takeBig() {
    if (char *B = BigSpare.exchange(nullptr, std::memory_order_acquire))
      return B;
    if (BigMade.exchange(true, std::memory_order_relaxed))
      return nullptr;
    long At = hostCall(SYS_mmap, 0, long(BigBytes), PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return isError(At) ? nullptr : reinterpret_cast<char *>(At);
  }
  static inline std::atomic<char *> BigSpare{nullptr};
  static inline std::atomic<bool> BigMade{false};

  char Small[512];
  char *Heap = nullptr;
  char *Big = nullptr;
};

/// Which of the process's own links a path is itself (not a path through
/// it, which is resolve()'s).
enum class OwnLink { None, Cwd, Root, OtherCwd };

/// The caller's absolute path as this process's own cwd link (while K42
/// keeps the current directory) or root link, or None.
OwnLink ownLinkItself(long UserPath) {
  char Raw[PathBytes];
  if (copyPath(UserPath, Raw) <= 0 || Raw[0] != '/')
    return OwnLink::None;
  long Pid = ProcessState::pid();
  if (const char *Rest = DevFd::ownLink(Raw, Pid, "cwd"); Rest && !*Rest)
    return k42Cwd() ? OwnLink::Cwd : OwnLink::None;
  if (const char *Rest = DevFd::ownLink(Raw, Pid, "root"); Rest && !*Rest)
    return OwnLink::Root;
  // Another process's K42 cwd link (a path through it is that folder's);
  // only its first byte is read.
  char Other[2];
  if (const char *Rest = DevFd::otherCwd(Raw, Other, sizeof(Other));
      Rest && !*Rest)
    return OwnLink::OtherCwd;
  return OwnLink::None;
}

/// Linux's limit of symlinks a walk follows (ELOOP past it).
constexpr uint8_t MaxHops = 40;

/// A path call that left K42 (FsBridge::LeftK42): the host makes the same
/// call on absolute \p HostPath, so the directory descriptor or the
/// current directory it was relative to (K42's, which the host does not
/// know) no longer matters. \p HostPath null: the one a symlink named
/// (FsBridge::takeHostPath). A host symlink on the way that names K42's
/// files again (HostSymlinks; the last component's if \p FollowLast) makes
/// it the call on that K42 path, handled as the program's call would be
/// (\p Redone then set, if given).
long onHostInstead(SyscallCall &Call, long UserPath, bool FollowLast,
                   const char *HostPath = nullptr, bool *Redone = nullptr) {
  char Taken[PathBytes];
  if (!HostPath) {
    FsBridge::takeHostPath(Taken);
    HostPath = Taken;
  }
  SyscallCall Copy = Call;
  char Into[PathBytes];
  bool Back = HostPath[0] == '/' &&
              HostSymlinks::intoK42(AT_FDCWD, HostPath, FollowLast, Into);
  if (Back && Call.Hops >= MaxHops)
    return -ELOOP;
  for (long &Arg : Copy.Arg)
    if (Arg == UserPath)
      Arg = reinterpret_cast<long>(Back ? Into : HostPath);
  if (!Back)
    return passToHost(Copy);
  if (Redone)
    *Redone = true;
  ++Copy.Hops;
  unsigned Number = unsigned(Copy.Number);
  long Result =
      SyscallTable::Handlers[SyscallTable::HandlerIndex[Number]](Copy);
  Call.Redirected = Copy.Redirected;
  return Result;
}

/// Whether an open with \p Flags of host path \p Abs (absolute, or empty
/// when not known) reads one of the process's mount tables, which are
/// K42's namespace's (MountsView), not the host's; which one into
/// \p Which.
bool isMountTable(long Flags, const char *Abs, MountsView::Format &Which) {
  return Abs[0] == '/' &&
         (Flags & (O_ACCMODE | O_PATH | O_DIRECTORY | O_CREAT)) == O_RDONLY &&
         MountsView::names(Abs, ProcessState::pid(), Which);
}

/// Whether host path \p Abs, opened with \p Flags, is a /proc file the
/// personality answers with its own text (a mount table: K42's; a maps
/// file: K42's names for its images), the new descriptor or a negated
/// errno then in \p Result.
bool openedView(const char *Abs, long Flags, long &Result) {
  if (MountsView::Format Which; isMountTable(Flags, Abs, Which)) {
    Result = MountsView::open(Which, Flags);
    return true;
  }
  if (MapsView::names(Abs, Flags)) {
    Result = MapsView::open(Abs, Flags);
    return true;
  }
  return false;
}

/// An open the host makes of \p HostPath, where the program's path led
/// out of K42: a mount table is K42's too.
long onHostOpen(SyscallCall &Call, long UserPath, long Flags,
                const char *HostPath) {
  if (long R; openedView(HostPath, Flags, R))
    return R;
  return onHostInstead(Call, UserPath, FileDispatch::opensFollowLast(Flags),
                       HostPath);
}

long doOpen(long DirFd, long Path, long Flags, long Mode, SyscallCall &Call) {
  // /dev/fd/N, /dev/stdin, /proc/self/fd/N of a K42 descriptor, and
  // /proc/self/fdinfo/N.
  if (long Fd = DevFd::k42Fd(Path, true); Fd >= 0)
    return DevFd::open(Fd, Flags, Mode);
  // "N" in a descriptor of the process's own /dev/fd/ folder.
  if (long Fd = DevFd::k42FdAt(DirFd, Path); Fd >= 0)
    return DevFd::open(Fd, Flags, Mode);
  // (Opened for writing: the host's, which refuses the writes.)
  if (long Fd = (Flags & O_ACCMODE) == O_RDONLY ? DevFd::k42InfoFd(Path) : -1;
      Fd >= 0)
    return DevFd::openInfo(Fd, Flags);
  if (long R; DevFd::openOtherInfo(Path, Flags, R))
    return R;
  if (long R; DevFd::openOtherFile(Path, Flags, Mode, R))
    return R;
  // The process's own cwd or root link, not followed: the host's link
  // (ELOOP, or O_PATH's descriptor of it); followed, resolve's folder.
  if ((Flags & O_NOFOLLOW) && ownLinkItself(Path) != OwnLink::None)
    return passToHost(Call);
  char Abs[PathBytes];
  Abs[0] = 0;
  Where To;
  if (long E =
          resolve(DirFd, Path, Abs, To, FileDispatch::opensFollowLast(Flags));
      E == FsBridge::LeftK42) {
    return onHostOpen(Call, Path, Flags, Abs);
  } else if (E < 0) {
    // "." of a removed current directory: the directory itself (ls there
    // lists nothing, as on Linux), which no walk finds.
    if (E == -ENOENT && int(DirFd) == AT_FDCWD && cwdGone())
      if (long R = openRemovedCwd(Path, Flags, Mode); R != NotRemovedCwd)
        return R;
    return E;
  }
  if (To == Where::Host) {
    if (long R; openedView(Abs, Flags, R))
      return R;
    return passToHost(Call);
  }
  // The kernel's __O_TMPFILE bit alone (glibc's __O_TMPFILE includes
  // O_DIRECTORY): an unnamed file in a folder, made by the folder's server
  // (ramfs; hostfs answers EOPNOTSUPP, Linux's for a file system without
  // it), after Linux's own checks (build_open_flags).
  if (constexpr long TmpfileBit = 020000000;
      (Flags & TmpfileBit) && ((Flags & (O_TMPFILE | O_CREAT)) != O_TMPFILE ||
                               (Flags & O_ACCMODE) == O_RDONLY))
    return -EINVAL;
  // O_CREAT with O_DIRECTORY makes nothing (Linux 6.4 on): EINVAL.
  if ((Flags & (O_CREAT | O_DIRECTORY)) == (O_CREAT | O_DIRECTORY) &&
      !(Flags & 020000000))
    return -EINVAL;
  long Result = openK42(Abs, Flags, Mode);
  if (Result != FsBridge::LeftK42)
    return Result;
  FsBridge::takeHostPath(Abs);
  return onHostOpen(Call, Path, Flags, Abs);
}

/// pwritev2's RWF_NOAPPEND (Linux 6.9; older headers lack it).
constexpr long RwfNoAppend = 0x20;
/// RWF_NOSIGNAL (Linux 6.16): no SIGPIPE for this call; a file raises
/// none anyway.
constexpr long RwfNoSignal = 0x100;

/// Linux's rw_verify_area for pread and pwrite: a position that is
/// negative, or whose \p Count bytes would pass the largest one.
bool positionOk(long Offset, long Count) {
  return Offset >= 0 && Count >= 0 &&
         uint64_t(Offset) + uint64_t(Count) <= uint64_t(INT64_MAX);
}

long readFile(OpenFile &F, void *Buffer, size_t Count, long Offset,
              bool Positioned) {
  FileDescription &D = *F.Desc;
  if ((D.Flags & O_ACCMODE) == O_WRONLY || FileDispatch::pathOnly(F))
    return -EBADF;
  if (D.IsDir)
    return -EISDIR;
  // The description's offset as rw_verify_area checks it (pread's is
  // checked by its handler): Count bytes past it would pass the largest
  // position, EINVAL (it read nothing and answered 0).
  if (!Positioned &&
      !positionOk(long(__atomic_load_n(&D.Offset, __ATOMIC_RELAXED)),
                  long(Count)))
    return -EINVAL;
  if (long Result; readCached(F, Buffer, Count, Offset, Positioned, Result))
    return Result;
  if (long E = authorise(F); E < 0)
    return E;
  Bounce Local(Count);
  size_t Done = 0;
  // The offset is the description's, shared with other processes: held
  // across the call so that their reads and writes take turns.
  if (!Positioned)
    D.Lock.lock();
  uint64_t At = Positioned ? uint64_t(Offset) : D.Offset;
  auto Finish = [&](long Result) {
    if (!Positioned) {
      D.Offset += Done;
      D.Lock.unlock();
    }
    return Result;
  };
  while (Done < Count) {
    size_t Want = Count - Done < Local.size() ? Count - Done : Local.size();
    long Got = FsBridge::pread(F.Server, At + Done, Local.data(), Want);
    if (Got < 0)
      return Finish(Done ? long(Done) : Got);
    if (Got == 0)
      break;
    size_t Copied = UserMemory::copyOutSome(static_cast<char *>(Buffer) + Done,
                                            Local.data(), size_t(Got));
    Done += Copied;
    if (Copied < size_t(Got))
      return Finish(Done ? long(Done) : -EFAULT);
    if (size_t(Got) < Want)
      break;
  }
  return Finish(long(Done));
}

/// Linux's RLIMIT_FSIZE rule for a write of \p Count bytes at \p At to a
/// regular file (generic_write_check_limits): at or past the limit,
/// SIGXFSZ and EFBIG; across it, \p Count cut short at it. 0 or -EFBIG.
long writeLimit(uint64_t At, size_t &Count) {
  uint64_t Limit = OwnMemfd::limit();
  if (Limit == RLIM_INFINITY || Count == 0)
    return 0;
  if (At >= Limit) {
    raiseInThisThread(SIGXFSZ);
    return -EFBIG;
  }
  if (Count > Limit - At)
    Count = size_t(Limit - At);
  return 0;
}

/// Linux's RLIMIT_FSIZE rule for a size change to \p Length of a file now
/// \p Size long (inode_newsize_ok): growing past the limit is SIGXFSZ
/// and EFBIG. 0 or -EFBIG.
long sizeLimit(uint64_t Size, uint64_t Length) {
  uint64_t Limit = OwnMemfd::limit();
  if (Limit == RLIM_INFINITY || Length <= Size || Length <= Limit)
    return 0;
  raiseInThisThread(SIGXFSZ);
  return -EFBIG;
}

long writeFile(OpenFile &F, const void *Buffer, size_t Count, long Offset,
               bool Positioned, long Rwf) {
  FileDescription &D = *F.Desc;
  if ((D.Flags & O_ACCMODE) == O_RDONLY || FileDispatch::pathOnly(F))
    return -EBADF;
  (void)holdsCopy(F);
  if (long E = authorise(F); E < 0)
    return E;
  Bounce Local(Count, /*Large=*/true);
  size_t Done = 0;
  // A description holding the file's copy keeps it in step under its lock,
  // for pwrite too (Cached never turns on again once off).
  bool Locked = !Positioned || __atomic_load_n(&D.Cached, __ATOMIC_ACQUIRE);
  if (Locked)
    D.Lock.lock();
  uint64_t At = Positioned ? uint64_t(Offset) : D.Offset;
  // The description's offset as rw_verify_area checks it (pwrite's was,
  // before): Count bytes past it would pass the largest position (an
  // lseek to INT64_MAX, then a write): EINVAL, before any file limit.
  if (!Positioned && !positionOk(long(At), long(Count))) {
    if (Locked)
      D.Lock.unlock();
    return -EINVAL;
  }
  // pwrite too: Linux appends whatever the offset, on an O_APPEND
  // description (pwrite(2), BUGS), and leaves the description's offset.
  // pwritev2's RWF_APPEND appends for this write alone, RWF_NOAPPEND
  // writes at the offset given on an O_APPEND description.
  bool Append = (D.Flags & O_APPEND) || (Rwf & RWF_APPEND);
  if (Rwf & RwfNoAppend)
    Append = false;
  uint64_t End = At;
  auto Finish = [&](long Result) {
    if (!Positioned && Done)
      D.Offset = End;
    if (Locked)
      D.Lock.unlock();
    return Result;
  };
  if (OwnMemfd::limit() != RLIM_INFINITY) {
    // An append is checked at the file's end, as Linux checks it.
    uint64_t From = At;
    if (Append) {
      FileAttr Attr;
      if (long E = FsBridge::fstat(F.Server, Attr); E < 0)
        return Finish(E);
      From = Attr.Size;
    }
    if (long E = writeLimit(From, Count); E < 0)
      return Finish(E);
  }
  while (Done < Count) {
    size_t Want = Count - Done < Local.size() ? Count - Done : Local.size();
    // A buffer readable in part is written as far as it goes, as on Linux.
    Want = UserMemory::copyInSome(
        Local.data(), static_cast<const char *>(Buffer) + Done, Want);
    if (Want == 0)
      return Finish(Done ? long(Done) : -EFAULT);
    long Put = FsBridge::pwrite(F.Server, At, Local.data(), Want, Append, End);
    if (Put < 0)
      return Finish(Done ? long(Done) : Put);
    if (Locked)
      writeCached(D, End - uint64_t(Put), Local.data(), size_t(Put));
    Done += size_t(Put);
    At = End;
    if (size_t(Put) < Want)
      break;
  }
  return Finish(long(Done));
}

/// readv/writev: each piece in turn.
long vectored(OpenFile &F, long Iov, long Count, bool Write) {
  return forEachPiece(Iov, Count, [&](void *Base, size_t Length, long) {
    return Write ? writeFile(F, Base, Length, 0, false, 0)
                 : readFile(F, Base, Length, 0, false);
  });
}

long putStat(const FileAttr &Attr, long User) {
  struct stat S = toStat(Attr);
  return UserMemory::copyOut(reinterpret_cast<void *>(User), &S, sizeof(S));
}

long putStatx(const FileAttr &A, long User) {
  struct statx X = {};
  X.stx_mask = STATX_BASIC_STATS;
  X.stx_blksize = uint32_t(A.Blksize);
  X.stx_nlink = uint32_t(A.Nlink);
  X.stx_uid = A.Uid;
  X.stx_gid = A.Gid;
  X.stx_mode = uint16_t(A.Mode);
  X.stx_ino = A.Ino;
  X.stx_size = uint64_t(A.Size);
  X.stx_blocks = uint64_t(A.Blocks);
  X.stx_atime = {A.AtimeSec, uint32_t(A.AtimeNsec), 0};
  X.stx_mtime = {A.MtimeSec, uint32_t(A.MtimeNsec), 0};
  X.stx_ctime = {A.CtimeSec, uint32_t(A.CtimeNsec), 0};
  if (A.BtimeSec || A.BtimeNsec) {
    // K42's own files know when they were made (tmpfs's do too).
    X.stx_mask |= STATX_BTIME;
    X.stx_btime = {A.BtimeSec, uint32_t(A.BtimeNsec), 0};
  }
  X.stx_rdev_major = uint32_t(A.Rdev >> 8);
  X.stx_rdev_minor = uint32_t(A.Rdev & 0xff);
  X.stx_dev_major = uint32_t(A.Dev >> 8);
  X.stx_dev_minor = uint32_t(A.Dev & 0xff);
  return UserMemory::copyOut(reinterpret_cast<void *>(User), &X, sizeof(X));
}

long fstatFile(OpenFile &F, FileAttr &Attr) {
  // A directory opened without a call: its open's attributes answer the
  // first fstat (glibc's locale loader fstats LC_MESSAGES and closes it).
  if (F.Server.Deferred && F.Server.Owner == ProcessState::pid() &&
      __atomic_exchange_n(&F.Server.AttrFresh, false, __ATOMIC_ACQ_REL)) {
    Attr = F.Server.OpenAttr;
    return 0;
  }
  if (long E = authorise(F); E < 0)
    return E;
  return FsBridge::fstat(F.Server, Attr);
}

/// A path call: host or K42 (\p Body with the absolute path); \p FollowLast
/// for a call that follows the last component's symlink (resolve).
template <typename BodyFn>
long pathCall(SyscallCall &Call, long DirFd, long Path, BodyFn Body,
              bool FollowLast = false) {
  char Abs[PathBytes];
  Where To;
  if (long E = resolve(DirFd, Path, Abs, To, FollowLast);
      E == FsBridge::LeftK42)
    return onHostInstead(Call, Path, FollowLast, Abs);
  else if (E < 0)
    return E;
  if (To == Where::Host)
    return passToHost(Call);
  long Result = Body(Abs);
  return Result == FsBridge::LeftK42 ? onHostInstead(Call, Path, FollowLast)
                                     : Result;
}

/// The permission bits of a /proc fd link in the caller's stat or statx
/// buffer \p Out: r-x for reading, -wx for writing (proc_fd_link).
long setLinkMode(long Out, bool Statx, long Access) {
  uint32_t Mode = S_IFLNK;
  if (Access != O_WRONLY)
    Mode |= S_IRUSR | S_IXUSR;
  if (Access != O_RDONLY)
    Mode |= S_IWUSR | S_IXUSR;
  if (Statx) {
    uint16_t Short = uint16_t(Mode);
    return UserMemory::copyOut(reinterpret_cast<char *>(Out) +
                                   offsetof(struct statx, stx_mode),
                               &Short, sizeof(Short));
  }
  mode_t Full = Mode;
  return UserMemory::copyOut(reinterpret_cast<char *>(Out) +
                                 offsetof(struct stat, st_mode),
                             &Full, sizeof(Full));
}

long statPath(SyscallCall &Call, long DirFd, long Path, long Out, bool Follow,
              bool Statx, bool EmptyPath = false) {
  // fstatat(fd, "", AT_EMPTY_PATH) on a K42 pipe (glibc's fstat). An empty
  // path without AT_EMPTY_PATH goes on to the host's ENOENT.
  bool NamesFd = EmptyPath && FileDispatch::emptyPath(Path);
  if (NamesFd && PipeCalls::get(DirFd))
    return PipeCalls::fstat(DirFd, Out, Statx);
  // fstatat(fd, "", AT_EMPTY_PATH) on a K42 descriptor.
  if (HeldFile F(DirFd); F) {
    if (NamesFd) {
      FileAttr Attr;
      if (long E = fstatFile(*F, Attr); E < 0)
        return E;
      return Statx ? putStatx(Attr, Out) : putStat(Attr, Out);
    }
  }
  // stat of /dev/stdin, /proc/self/fd/N...: what fstat of a K42 descriptor
  // says (lstat: the host's link).
  long Fd = Follow ? DevFd::k42Fd(Path, true) : -1;
  if (Fd < 0 && Follow)
    Fd = DevFd::k42FdAt(DirFd, Path); // "N" in the /dev/fd/ folder
  if (Fd >= 0) {
    if (PipeCalls::get(Fd))
      return PipeCalls::fstat(Fd, Out, Statx);
    HeldFile F(Fd);
    if (!F)
      return -EBADF; // closed meanwhile
    FileAttr Attr;
    if (long E = fstatFile(*F, Attr); E < 0)
      return E;
    return Statx ? putStatx(Attr, Out) : putStat(Attr, Out);
  }
  // stat of another process's /proc/<pid>/fd/N that is a K42 file: the
  // file's (fuser matches st_dev and st_ino), else the host's answer.
  if (char Other[PathBytes];
      Follow && DevFd::otherProcessFile(Path, Other, sizeof(Other))) {
    FileAttr Attr;
    if (FsBridge::stat(Other, true, Attr) == 0)
      return Statx ? putStatx(Attr, Out) : putStat(Attr, Out);
  }
  // lstat of the process's own cwd or root link: the host's link (resolve
  // takes the name for the folder it names).
  if (!Follow && ownLinkItself(Path) != OwnLink::None)
    return passToHost(Call);
  // lstat of a descriptor's name: the host's link, with the descriptor's
  // access in its mode as Linux's proc_fd_link has it (the host's says
  // the placeholder's read-write).
  if (long Access = Follow ? -1 : DevFd::linkAccess(Path); Access >= 0) {
    long Result = passToHost(Call);
    if (Result == 0)
      (void)setLinkMode(Out, Statx, Access);
    return Result;
  }
  long Result = pathCall(
      Call, DirFd, Path,
      [&](const char *Abs) -> long {
        FileAttr Attr;
        if (long E = FsBridge::stat(Abs, Follow, Attr); E < 0)
          return E;
        return Statx ? putStatx(Attr, Out) : putStat(Attr, Out);
      },
      Follow);
  // "." of a removed current directory: the directory's own attributes,
  // which no walk finds.
  if (Result == -ENOENT && int(DirFd) == AT_FDCWD && cwdGone())
    if (long R = statRemovedCwd(Path, Out, Statx); R != NotRemovedCwd)
      return R;
  return Result;
}

/// close of a K42 descriptor (or passes a host one through).
long closeFd(long Fd) {
  if (SpawnView *V = SpawnView::current()) {
    // A spawn child's close: its view changes, its parent's table,
    // counts, mappings and epoll watches stay as they are.
    bool K42 = V->file(Fd) || V->pipe(Fd);
    long Host = hostCall(SYS_close, Fd);
    V->set(Fd, nullptr, nullptr);
    return K42 ? 0 : Host;
  }
  if (PipeCalls::get(Fd))
    return PipeCalls::close(Fd);
  PipeCalls::forgetWatches(Fd); // an epoll set's descriptor
  // The host's descriptor first: another thread's call on Fd meanwhile
  // finds the file (as if it came first), never its placeholder alone (a
  // host call on the description's memfd). The number may be given to
  // another thread's new descriptor before the entry goes: that thread
  // drops the entry (StaleFds), and the file held here meanwhile cannot
  // be recycled and put back at Fd, to be taken out as if it were ours.
  OpenFile *Look = table().hold(Fd, FileState::releaseFile);
  long Host = hostCall(SYS_close, Fd);
  if (OpenFile *F = table().removeIf(Fd, Look))
    FileState::releaseFile(F); // the descriptor's reference
  if (!Look)
    return Host;
  FileControl::closed(*Look); // the process's record locks on it go
  FileState::releaseFile(Look);
  return 0;
}

/// What a descriptor referred to before replaceFd() changed it: the
/// references are the caller's.
struct Replaced {
  OpenFile *File = nullptr;
  PipeEnd *End = nullptr;
};

/// \p To refers in the tables to what \p From does. The new K42 file or
/// pipe end is put at \p To before the old one of the other kind goes
/// (reads ask the pipe table first), so another thread's call on \p To
/// finds the old or the new, never neither. What \p To held before.
Replaced replaceFd(long From, long To) {
  HeldFile F(From);
  HeldPipe P(From);
  Replaced Old;
  if (F) {
    Old.File = table().exchange(To, F.get());
    Old.End = PipeTable::process().exchange(To, nullptr);
  } else {
    Old.End = PipeTable::process().exchange(To, P.get());
    Old.File = table().exchange(To, nullptr);
  }
  return Old;
}

/// Drops what replaceFd() took from a descriptor.
void letGo(const Replaced &Old) {
  if (Old.End)
    PipeCalls::release(Old.End);
  if (Old.File)
    FileState::releaseFile(Old.File);
}

/// \p To now refers to what \p From does (placeholder already dup'd).
void shareFd(long From, long To) {
  if (SpawnView *V = SpawnView::current()) {
    V->set(To, V->file(From), V->pipe(From));
    return;
  }
  Replaced Old = replaceFd(From, To);
  if (Old.File)
    FileControl::closed(*Old.File);
  letGo(Old);
}

/// The host's dup \p To of descriptor \p From (or its error), shared in
/// the tables. A K42 file or pipe end has no number from the personality's
/// own range up (its tables end there): the host's copy of the
/// placeholder there would read a description's memory or a pipe end's
/// socket as the file, so it is closed again and the answer is EMFILE, no
/// number the K42 descriptor can have (valgrind moves its pipe's ends
/// near RLIMIT_NOFILE).
long shareDup(long From, long To) {
  if (isError(To))
    return To;
  if (To >= SpawnView::descriptorLimit() &&
      (fileAt(From) || PipeCalls::get(From))) {
    ProgramFds::lost(To);
    (void)hostCall(SYS_close, To);
    return -EMFILE;
  }
  shareFd(From, To);
  return To;
}

} // namespace

//===-- State across exec
//--------------------------------------------------===//

namespace {
/// The snapshot's fixed descriptor across exec, and its layout.
constexpr long ExecStateFd = 1009;
constexpr uint64_t ExecStateMagic = 0x4b3432'46444553ull;
/// The snapshot's seals, all of them: no other descriptor the new image
/// could find at 1009 (a channel's memfd has three) answers these.
constexpr long ExecStateSeals =
    F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;
struct ExecHeader {
  uint64_t Magic;
  uint32_t Count;
  uint32_t Umask;
  uint32_t CwdIsK42;
  /// The current directory was removed (CwdGone), and the key of an open
  /// that holds it (0: none), by which the new image opens "."
  /// (CarriedCwdKey).
  uint32_t CwdGone;
  uint64_t CwdKey;
  char Cwd[PathBytes];
  /// FsBridge's connections (FsBridge::beforeExec), at BridgeAt.
  uint32_t BridgeBytes;
  uint32_t BridgeAt;
  /// The program's RLIMIT_NOFILE {soft, hard} (FdLimit) and RLIMIT_AS
  /// (AsLimit), kept across exec as Linux keeps them.
  uint64_t Limit[2];
  uint64_t AsLimit[2];
  /// The sites patched in libc (SitePatch::beforeExec), right after
  /// FsBridge's part: the new image patches them at start-up.
  uint32_t SitesBytes;
  /// Non-zero when Fsize is the RLIMIT_FSIZE soft limit OwnMemfd kept
  /// (Linux keeps it across exec), so the new image need not read it.
  uint32_t FsizeKnown;
  uint64_t Fsize;
  /// Non-zero when the process server said it sees reaps itself
  /// (ProcessBridge::seesReaps): the new image's waits then tell it
  /// nothing, without connecting first to hear it again.
  uint32_t ServerSeesReaps;
  /// The program's seccomp filters (SeccompFilters::writeState), at
  /// FiltersAt: Linux keeps them across exec.
  uint32_t FiltersBytes;
  uint32_t FiltersAt;
  /// What the exec put back into the environment (ExecEnvironment), for
  /// the new image to take out again.
  uint32_t EnvAdded;
  /// The K42 path of a program only K42 has (its exec runs a memfd copy),
  /// at ProgramAt with its NUL: the new image's /proc/self/exe.
  uint32_t ProgramAt;
  uint32_t ProgramBytes;
  /// Its name as Linux gives it (the last component of the path the caller
  /// named, 15 bytes at most), with its NUL; empty for none.
  char Comm[16];
  /// The process's record lock files (FileControl::carryRecords), NumRecords
  /// of them at RecordsAt: its record locks outlive the exec, as on Linux.
  uint32_t RecordsAt;
  uint32_t NumRecords;
  /// The program's descriptors from FirstPrivateFd up that the exec keeps
  /// (ProgramFds::beforeExec), NumHigh int32_t numbers at HighAt: the new
  /// image's are the program's as the old image's were.
  uint32_t HighAt;
  uint32_t NumHigh;
  /// Non-zero when another thread of the old image may have opened a K42
  /// file after this state was written (RefCount::threaded()): the host's
  /// exec ends that thread only at the exec itself, so its placeholder
  /// reaches the new image unlisted (adoptUnlisted).
  uint32_t Threaded;
};
/// Room for FsBridge's part of the snapshot, and for SitePatch's.
constexpr size_t BridgeRoom = 16384;
constexpr size_t SitesRoom = 12288;

/// A descriptor the new program keeps (Count of them after the header),
/// and the server handle its file carries across the exec: the process,
/// and so the server's client, stays the same, so the new program uses
/// the handle (and its lease) as the old one did, with no open to make
/// it again, and ends it at its close.
struct ExecFile {
  int32_t Fd;
  /// FsBridge::channelIndex of the handle's channel; -1: no handle (the
  /// new program re-authorises at first use, as a fork child does).
  int32_t Channel;
  ObjectHandle Handle;
  /// ServerFile's lease: LeaseSeen, and what CarriedBits say.
  uint32_t LeaseSeen;
  uint32_t Bits;
  fs::FileAttr OpenAttr;
  /// The description's host lock file descriptor (FileControl), kept
  /// open across the exec; -1: none.
  int32_t LockFd = -1;
  /// The description's access mode, OpenKey, Dev and Ino when the state
  /// was written: the handle is taken only if the placeholder at Fd is
  /// still that description (sameDescription). Another thread may close
  /// Fd before the exec and open another file there, whose description
  /// the handle is not.
  uint32_t DescAccess = 0;
  uint64_t DescKey = 0;
  uint64_t DescDev = 0;
  uint64_t DescIno = 0;
};
/// ExecFile::Bits.
enum CarriedBits : uint32_t {
  /// The open holds the lease (ServerFile::LeaseRing, on the channel).
  CarriedLease = 1,
  /// ServerFile::AttrLeased, with no change of this process's since.
  CarriedAttrs = 2,
};

/// The handles carried so far (at most one descriptor each: dup'd
/// descriptors share one OpenFile, and the rest re-authorise).
constexpr unsigned MaxCarried = 32;

/// What the new program keeps of \p F at \p Fd, its handle if it is this
/// process's; a reader's copy that this process's changes since its open
/// made stale (copyValid) is dropped first, since the count of changes
/// starts again in the new program.
ExecFile carry(long Fd, OpenFile &F, OpenFile **Carried, unsigned &NumCarried) {
  ExecFile X{};
  X.Fd = int32_t(Fd);
  X.Channel = -1;
  bool Unchanged = FsBridge::unchangedSince(F.Server.OwnSeen);
  if (!Unchanged && (F.Desc->Flags & O_ACCMODE) == O_RDONLY &&
      __atomic_load_n(&F.Desc->Cached, __ATOMIC_ACQUIRE))
    F.Desc->dropCache();
  if (!authorised(F) || F.Server.Deferred || NumCarried == MaxCarried)
    return X;
  for (unsigned I = 0; I < NumCarried; ++I)
    if (Carried[I] == &F)
      return X;
  X.Channel = FsBridge::channelIndex(F.Server.Via);
  if (X.Channel < 0)
    return X;
  Carried[NumCarried++] = &F;
  X.Handle = F.Server.Handle;
  X.LeaseSeen = F.Server.LeaseSeen;
  X.Bits =
      (__atomic_load_n(&F.Server.LeaseRing, __ATOMIC_RELAXED) ? CarriedLease
                                                              : 0) |
      (F.Server.AttrLeased && Unchanged ? CarriedAttrs : 0);
  X.OpenAttr = F.Server.OpenAttr;
  X.DescAccess = F.Desc->Flags & O_ACCMODE;
  X.DescKey = F.Desc->OpenKey;
  X.DescDev = F.Desc->Dev;
  X.DescIno = F.Desc->Ino;
  return X;
}

/// Whether \p D, attached at X.Fd in the new program, is the description
/// \p X's handle was carried for.
bool sameDescription(const FileDescription &D, const ExecFile &X) {
  return (D.Flags & O_ACCMODE) == X.DescAccess && D.OpenKey == X.DescKey &&
         D.Dev == X.DescDev && D.Ino == X.DescIno;
}

/// Gives \p F, just installed in the new program, the handle \p X
/// carried, if its channel was taken over (else it re-authorises).
void takeCarried(OpenFile &F, const ExecFile &X) {
  GateTransport *Via = FsBridge::carriedChannel(X.Channel);
  if (!Via)
    return;
  F.Server.Handle = X.Handle;
  F.Server.OpenAttr = X.OpenAttr;
  F.Server.OwnSeen = FsBridge::ownChanges();
  F.Server.AttrLeased = (X.Bits & CarriedAttrs) != 0;
  F.Server.LeaseSeen = X.LeaseSeen;
  F.Server.PathSeen = X.LeaseSeen;
  F.Server.LeaseRing = (X.Bits & CarriedLease) ? Via->ring() : nullptr;
  F.Server.Via = Via;
  F.Server.Owner = ProcessState::pid();
}
} // namespace

void FileState::beforeFork() { refreshCwd(); }

void FileState::beforeExec(const char *K42Program, const char *Comm) {
  // The new image starts where this one is now (a folder renamed since).
  refreshCwd();
  // A posix_spawn child hands on what its host descriptors are, listed
  // before this exec's own state opens any.
  SpawnView *View = SpawnView::current();
  if (View)
    View->listKept();
  PipeCalls::beforeExec();
  // Not on the stack: posix_spawn's child execs on a small one.
  long Bridge =
      hostCall(SYS_mmap, 0, BridgeRoom + SitesRoom, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  size_t BridgeBytes =
      isError(Bridge)
          ? 0
          : FsBridge::beforeExec(reinterpret_cast<void *>(Bridge), BridgeRoom);
  // Written right after FsBridge's part, read back with it in one go.
  size_t SitesBytes =
      isError(Bridge)
          ? 0
          : SitePatch::beforeExec(
                reinterpret_cast<char *>(Bridge) + BridgeBytes, SitesRoom);
  // The program's descriptors from 1000 up that stay open, if any.
  size_t NumHigh = 0;
  ProgramFds::forEach(ProgramFds::First,
                      ProgramFds::First + ProgramFds::Covered - 1,
                      [&](long) { ++NumHigh; });
  auto *High = NumHigh ? static_cast<int32_t *>(
                             GateHeap::allocate(NumHigh * sizeof(int32_t)))
                       : nullptr;
  NumHigh = High ? ProgramFds::beforeExec(High, NumHigh) : 0;
  auto Done = [&] {
    GateHeap::release(High);
    if (!isError(Bridge))
      (void)hostCall(SYS_munmap, Bridge, BridgeRoom + SitesRoom);
  };
  // A posix_spawn child writes its own view: its descriptors and cwd.
  const char *Dir = k42Cwd();
  size_t FiltersBytes = SeccompFilters::stateBytes();
  bool Threaded = !View && RefCount::threaded();
  if (!View && !Threaded && table().count() == 0 && !Dir && !BridgeBytes &&
      !SitesBytes && !FiltersBytes && !ExecEnvironment::added() &&
      !FdLimit::differsFromHost() && !AsLimit::differsFromHost() &&
      !FileControl::anyRecords() && !K42Program && !NumHigh)
    return Done();
  static const char Name[] = "k42-exec-state";
  // Close-on-exec until its dup2 to ExecStateFd: at its low number
  // meanwhile it is no descriptor the program keeps.
  long Mem = hostCall(SYS_memfd_create, reinterpret_cast<long>(Name),
                      MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (isError(Mem)) {
    FileControl::execFailed();
    FsBridge::execFailed();
    return Done();
  }
  ExecHeader H{};
  H.Magic = ExecStateMagic;
  H.Umask = Umask;
  H.CwdIsK42 = Dir != nullptr;
  H.CwdGone = Dir && cwdGone();
  H.CwdKey = H.CwdGone ? removedCwdKey(nullptr) : 0;
  FdLimit::get(H.Limit);
  AsLimit::get(H.AsLimit);
  H.FsizeKnown = OwnMemfd::known(H.Fsize);
  H.ServerSeesReaps = ProcessBridge::seesReaps();
  H.EnvAdded = ExecEnvironment::added();
  H.Threaded = Threaded;
  if (Dir)
    std::memcpy(H.Cwd, Dir, std::strlen(Dir) + 1);
  // The numbers and the handles: each placeholder is its description,
  // which the exec keeps (offset, flags and path included).
  long At = sizeof(H);
  OpenFile *Carried[MaxCarried];
  unsigned NumCarried = 0;
  for (long Fd = 0, End = View ? View->keptEnd() : table().end(); Fd < End;
       ++Fd) {
    ExecFile X;
    if (View) {
      // A posix_spawn child hands on the K42 files its host descriptors
      // are, not what the tables of the memory it shares say of their
      // numbers by then: its parent's other threads may have closed them
      // since the clone (8 threads spawning while each held a file open
      // around its spawn: 300-470 children of 800 found a description's
      // bytes at an inherited descriptor). Its files are its parent's, and
      // so their handles.
      if (!View->keeps(Fd) || !FileDescription::heldAt(Fd))
        continue;
      X = ExecFile{int32_t(Fd), -1, {}, 0, 0, {}};
      OpenFile *F = View->file(Fd);
      X.LockFd = F ? FileControl::carry(F->LockFd) : -1;
    } else {
      // fileAt() without asking again, per descriptor, who the caller is.
      // Held while it is read: another thread may close Fd meanwhile, and
      // a file it let go of could be recycled as another open's under the
      // read (a handle from one open with the description of the next).
      OpenFile *F = table().hold(Fd, FileState::releaseFile);
      if (!F)
        continue;
      if (hostCall(SYS_fcntl, Fd, F_GETFD) & FD_CLOEXEC) {
        // The exec closes it: the process's record locks on its file go
        // with it, as on Linux.
        FileControl::closesAtExec(*F);
        FileState::releaseFile(F);
        continue;
      }
      X = carry(Fd, *F, Carried, NumCarried);
      // Its locks (flock, OFD) are the description's and outlive the exec,
      // as on Linux (record locks: carryRecords below).
      X.LockFd = FileControl::carry(F->LockFd);
      FileState::releaseFile(F);
    }
    (void)OwnMemfd::write(Mem, &X, sizeof(X), uint64_t(At));
    At += sizeof(X);
    ++H.Count;
  }
  // The process's record locks, but on files a close-on-exec descriptor
  // named.
  if (FileControl::anyRecords()) {
    using RecordFile = FileControl::RecordFile;
    if (auto *Records = static_cast<RecordFile *>(GateHeap::allocate(
            FileControl::MaxRecordFiles * sizeof(RecordFile)))) {
      unsigned N = FileControl::carryRecords(Records);
      size_t Bytes = N * sizeof(RecordFile);
      if (N &&
          OwnMemfd::write(Mem, Records, Bytes, uint64_t(At)) == long(Bytes)) {
        H.RecordsAt = uint32_t(At);
        H.NumRecords = N;
        At += long(Bytes);
      }
      GateHeap::release(Records);
    }
  }
  if (BridgeBytes || SitesBytes) {
    H.BridgeAt = uint32_t(At);
    H.BridgeBytes = uint32_t(BridgeBytes);
    H.SitesBytes = uint32_t(SitesBytes);
    (void)OwnMemfd::write(Mem, reinterpret_cast<const void *>(Bridge),
                          BridgeBytes + SitesBytes, uint64_t(At));
    At += long(BridgeBytes + SitesBytes);
  }
  if (FiltersBytes && SeccompFilters::writeState(Mem, At)) {
    H.FiltersAt = uint32_t(At);
    H.FiltersBytes = uint32_t(FiltersBytes);
    At += long(FiltersBytes);
  }
  if (NumHigh) {
    size_t Bytes = NumHigh * sizeof(int32_t);
    if (OwnMemfd::write(Mem, High, Bytes, uint64_t(At)) == long(Bytes)) {
      H.HighAt = uint32_t(At);
      H.NumHigh = uint32_t(NumHigh);
      At += long(Bytes);
    }
  }
  if (K42Program) {
    size_t Bytes = std::strlen(K42Program) + 1;
    if (OwnMemfd::write(Mem, K42Program, Bytes, uint64_t(At)) == long(Bytes)) {
      H.ProgramAt = uint32_t(At);
      H.ProgramBytes = uint32_t(Bytes);
    }
    for (size_t I = 0; Comm && I + 1 < sizeof(H.Comm) && Comm[I]; ++I)
      H.Comm[I] = Comm[I];
  }
  (void)OwnMemfd::write(Mem, &H, sizeof(H), 0);
  // Every seal: what the new image asks of descriptor 1009 (startFiles).
  (void)hostCall(SYS_fcntl, Mem, F_ADD_SEALS, ExecStateSeals);
  OwnMemfd::moveTo(Mem, ExecStateFd);
  Done();
}

void FileState::execFailed() {
  PipeCalls::execFailed();
  FileControl::execFailed();
  (void)hostCall(SYS_close, ExecStateFd);
  FsBridge::execFailed();
}

void FileState::start() {
  ProgramFds::started(); // the marks say whose a number is from here on
  uint64_t Limit[4];
  bool Carried = startFiles(Limit);
  FdLimit::start(Carried ? Limit : nullptr);
  AsLimit::start(Carried ? Limit + 2 : nullptr);
}

namespace {
/// The K42 files and pipe ends an exec raced: placeholders below the
/// private numbers (at most \p SoftLimit, the program's RLIMIT_NOFILE, of
/// them) that the state does not list. Another thread of the old image
/// opened them after its state was written and before the host's exec
/// ended that thread; on Linux the open came first and the new image has
/// the file. Each is learnt as a descriptor another process passed
/// (PassedFds::adopt: a file with no handle, which the new image
/// re-authorises at its first use by its description's key and path, as a
/// fork child does). The old image's handle is left to the server until
/// the process ends. Only after an exec from a threaded process: one poll
/// of the numbers, then a look at each open one the new image does not
/// know.
void adoptUnlisted(uint64_t SoftLimit) {
  size_t Slots = SoftLimit < uint64_t(ProgramFds::First)
                     ? size_t(SoftLimit)
                     : size_t(ProgramFds::First);
  auto *Fds = static_cast<pollfd *>(
      GateHeap::allocate((Slots ? Slots : 1) * sizeof(pollfd)));
  if (!Fds)
    return;
  for (size_t I = 0; I < Slots; ++I)
    Fds[I] = pollfd{int(I), 0, 0};
  if (hostCall(SYS_poll, reinterpret_cast<long>(Fds), long(Slots), 0) >= 0) {
    for (size_t I = 0; I < Slots; ++I) {
      long Fd = long(I);
      if ((Fds[I].revents & POLLNVAL) || table().get(Fd) || PipeCalls::get(Fd))
        continue;
      // As a descriptor passed by another process is learnt (a pipe end
      // another thread made is one too), its lock let go of as a listed
      // file's is.
      PassedFds::adopt(Fd);
      if (OpenFile *F = table().get(Fd))
        F->Desc->Lock.releaseIfHeldBy(int32_t(ProcessState::pid()));
    }
  }
  GateHeap::release(Fds);
}

/// The exec state's \p Count items of \p T at \p At, handed to \p Use in
/// a buffer of the heap's; nothing if they cannot be read.
template <typename T, typename Fn>
void readSection(uint32_t Count, uint32_t At, Fn &&Use) {
  size_t Bytes = Count * sizeof(T);
  auto *Items = static_cast<T *>(GateHeap::allocate(Bytes));
  if (!Items)
    return;
  if (hostCall(SYS_pread64, ExecStateFd, reinterpret_cast<long>(Items),
               long(Bytes), long(At)) == long(Bytes))
    Use(Items);
  GateHeap::release(Items);
}
} // namespace

bool FileState::startFiles(uint64_t (&Limit)[4]) {
  PipeCalls::start();
  // The exec state is a memfd sealed every way, at 1009: one fcntl says
  // so (EBADF: no descriptor; EINVAL: no memfd), where the readlink of
  // /proc/self/fd/1009 cost a path walk through /proc; the header's magic
  // then says whose it is.
  if (hostCall(SYS_fcntl, ExecStateFd, F_GET_SEALS) != ExecStateSeals)
    return false;
  ExecHeader H;
  if (hostCall(SYS_pread64, ExecStateFd, reinterpret_cast<long>(&H), sizeof(H),
               0) != sizeof(H) ||
      H.Magic != ExecStateMagic) {
    (void)hostCall(SYS_close, ExecStateFd);
    return false;
  }
  Limit[0] = H.Limit[0];
  Limit[1] = H.Limit[1];
  Limit[2] = H.AsLimit[0];
  Limit[3] = H.AsLimit[1];
  if (H.FsizeKnown)
    OwnMemfd::keep(H.Fsize);
  if (H.ServerSeesReaps)
    ProcessBridge::knowSeesReaps();
  Umask = H.Umask;
  UmaskKnown = true;
  CwdIsK42 = H.CwdIsK42;
  CwdGone = H.CwdGone != 0;
  CarriedCwdKey = CwdGone ? H.CwdKey : 0;
  std::memcpy(Cwd, H.Cwd, sizeof(Cwd));
  Cwd[PathBytes - 1] = 0;
  // The connections first: the files' carried handles name their
  // channels.
  if ((H.BridgeBytes || H.SitesBytes) && H.BridgeBytes <= BridgeRoom &&
      H.SitesBytes <= SitesRoom) {
    // In the heap, at the record's own size: a mapping of the most it
    // may be was two host calls and a page fault more at every start.
    long Bytes = long(H.BridgeBytes + H.SitesBytes);
    char *Bridge = static_cast<char *>(GateHeap::allocate(size_t(Bytes)));
    if (Bridge) {
      if (hostCall(SYS_pread64, ExecStateFd, reinterpret_cast<long>(Bridge),
                   Bytes, long(H.BridgeAt)) == Bytes) {
        if (H.BridgeBytes)
          FsBridge::afterExec(Bridge, H.BridgeBytes);
        if (H.SitesBytes)
          SitePatch::afterExec(Bridge + H.BridgeBytes, H.SitesBytes);
      }
      GateHeap::release(Bridge);
    }
  }
  if (H.FiltersBytes)
    SeccompFilters::readState(ExecStateFd, H.FiltersAt, H.FiltersBytes);
  if (H.EnvAdded)
    ExecEnvironment::restore(environ, H.EnvAdded);
  if (H.NumRecords && H.NumRecords <= FileControl::MaxRecordFiles)
    readSection<FileControl::RecordFile>(
        H.NumRecords, H.RecordsAt, [&](const FileControl::RecordFile *In) {
          FileControl::adoptRecords(In, H.NumRecords);
        });
  if (H.NumHigh && H.NumHigh <= uint32_t(ProgramFds::Covered))
    readSection<int32_t>(H.NumHigh, H.HighAt, [&](const int32_t *High) {
      ProgramFds::afterExec(High, H.NumHigh);
    });
  if (H.ProgramBytes > 1 && H.ProgramBytes <= PathBytes) {
    char Program[PathBytes];
    if (hostCall(SYS_pread64, ExecStateFd, reinterpret_cast<long>(Program),
                 long(H.ProgramBytes), long(H.ProgramAt)) == H.ProgramBytes &&
        Program[H.ProgramBytes - 1] == 0)
      ProcessState::setProgram(Program);
    // The host's exec of the copy (a traced process, a threaded one's,
    // K42_HOST_EXEC) named the process after /proc/self/fd/1008: ps,
    // pgrep and killall looked for "1008". The overlay's gave the name.
    H.Comm[sizeof(H.Comm) - 1] = 0;
    if (H.Comm[0])
      (void)hostCall(SYS_prctl, PR_SET_NAME, reinterpret_cast<long>(H.Comm));
  }
  long At = sizeof(H);
  for (uint32_t I = 0; I < H.Count; ++I, At += sizeof(ExecFile)) {
    ExecFile X;
    if (hostCall(SYS_pread64, ExecStateFd, reinterpret_cast<long>(&X),
                 sizeof(X), At) != sizeof(X))
      break;
    OpenFile *F = FdTable::makeFile();
    if (!F)
      break;
    // dup'd descriptors hold one description: one OpenFile for them all
    // would be closer to the old process, but one each is also right
    // (offset and flags are the description's); one of them takes the
    // handle carried.
    if (FileDescription::attach(X.Fd, F->Desc) < 0) {
      FdTable::recycle(F);
      continue;
    }
    // A thread of this process's previous image may have held its lock
    // when the exec ended it (the host ends the other threads wherever
    // they are): no thread of this image holds it yet.
    F->Desc->Lock.releaseIfHeldBy(int32_t(ProcessState::pid()));
    if (X.Channel >= 0 && sameDescription(*F->Desc, X))
      takeCarried(*F, X);
    F->LockFd = FileControl::adopt(X.LockFd);
    if (!table().install(X.Fd, F))
      closeFile(F); // its handle, if carried, ends here
  }
  if (H.Threaded)
    adoptUnlisted(H.Limit[0]);
  (void)hostCall(SYS_close, ExecStateFd);
  return true;
}

long FileState::copyToMemfd(const char *Abs, const char *Name, bool Share,
                            char *Canonical, bool Named) {
  ServerFile File;
  FileAttr Attr;
  if (Canonical)
    Canonical[0] = 0;
  if (long E = FsBridge::open(Abs, O_RDONLY, 0, File, Attr, false, 0, nullptr,
                              Canonical);
      E < 0)
    return E;
  // The server's walk names the file itself, every symlink followed;
  // where it did not say, the path as given.
  if (Canonical && !Canonical[0])
    std::memcpy(Canonical, Abs, std::strlen(Abs) + 1);
  // ramfs hands out the file's own memory (File::memory): no copy, and
  // the pages are the ones every process mapping the file shares, as a
  // host file's page cache is. A server whose files are not memory
  // (hostfs: ENODEV) is read into a memfd of this process's.
  if (long Own = Share ? FsBridge::openMemory(File, O_RDONLY) : -ENODEV;
      Own >= 0) {
    (void)FsBridge::close(File);
    return Own;
  }
  // A memfd's name is at most 249 bytes: the path only where it fits
  // whole (a reader takes what follows Name for the path).
  char Full[250];
  size_t NameLength = std::strlen(Name);
  const char *Path = Canonical && Canonical[0] ? Canonical : Abs;
  size_t PathLength = std::strlen(Path);
  if (Named && NameLength + PathLength < sizeof(Full)) {
    std::memcpy(Full, Name, NameLength);
    std::memcpy(Full + NameLength, Path, PathLength + 1);
    Name = Full;
  }
  long Mem = hostCall(SYS_memfd_create, reinterpret_cast<long>(Name), 0);
  // Not on the stack: posix_spawn's child execs on a small one.
  constexpr long Chunk = 65536;
  long Buffer = hostCall(SYS_mmap, 0, Chunk, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  long Result = isError(Buffer) ? Buffer : Mem;
  char *Local = reinterpret_cast<char *>(Buffer);
  for (uint64_t At = 0; !isError(Result);) {
    long Got = FsBridge::pread(File, At, Local, Chunk);
    if (Got <= 0) {
      Result = Got;
      break;
    }
    if (OwnMemfd::write(Mem, Local, size_t(Got), At) != Got) {
      Result = -EIO;
      break;
    }
    At += uint64_t(Got);
  }
  (void)FsBridge::close(File);
  if (!isError(Buffer))
    (void)hostCall(SYS_munmap, Buffer, Chunk);
  if (isError(Result)) {
    if (!isError(Mem))
      (void)hostCall(SYS_close, Mem);
    return Result;
  }
  return Mem;
}

namespace {
/// Whether the process may use a file of \p Attr for \p Mode (R_OK,
/// W_OK, X_OK) by its bits, as the real ids (access) or the effective ones
/// (\p Effective: faccessat2's AT_EACCESS, chdir's search, exec) see it: 0 or
/// EACCES. Root may do all but run a file with no execute bit.
long permitted(const FileAttr &Attr, long Mode, bool Effective) {
  long Uid = hostCall(Effective ? SYS_geteuid : SYS_getuid);
  if (Uid == 0)
    return (Mode & X_OK) && !(Attr.Mode & 0111) && !S_ISDIR(Attr.Mode) ? -EACCES
                                                                       : 0;
  uint32_t Bits = Attr.Uid == uint32_t(Uid) ? (Attr.Mode >> 6) & 7
                  : FileDispatch::inGroup(Attr.Gid, Effective)
                      ? (Attr.Mode >> 3) & 7
                      : Attr.Mode & 7;
  return (uint32_t(Mode) & ~Bits) ? -EACCES : 0;
}
} // namespace

long FileState::hostImage(long UserPath, char *HostPath, char *K42Path) {
  // A child sharing its parent's memory (posix_spawn's) asks through its
  // parent's connection, made before the clone (SpawnView::cloning), and
  // under its locks; what it opens it closes, and the image descriptor is
  // in its own table.
  char Abs[PathBytes];
  Where To;
  if (long E = resolve(AT_FDCWD, UserPath, Abs, To, /*FollowLast=*/true); E < 0)
    return E;
  if (To == Where::Host)
    return 0;
  FileAttr Attr;
  if (long E = FsBridge::stat(Abs, true, Attr); E == FsBridge::LeftK42) {
    FsBridge::takeHostPath(HostPath); // a symlink to a host program
    return 1;
  } else if (E < 0) {
    return E;
  }
  struct stat Host;
  if (hostCall(SYS_stat, reinterpret_cast<long>(Abs),
               reinterpret_cast<long>(&Host)) == 0 &&
      Host.st_dev == Attr.Dev && Host.st_ino == Attr.Ino) {
    std::memcpy(HostPath, Abs, std::strlen(Abs) + 1);
    return 1;
  }
  if (!S_ISREG(Attr.Mode))
    return -EACCES;
  // Execute permission, as the host would check its own file's (a
  // posix_spawn child execs the copy without the overlay's check, and a
  // memfd may always be run: spawned mode-644 K42 files ran, battery 40).
  if (long E = permitted(Attr, X_OK, /*Effective=*/true); E < 0)
    return E;
  // A copy: Linux refuses writes to a running program (ETXTBSY), which
  // ramfs cannot tell, and a program rewritten in place under a shared
  // memfd would fault; with a copy it runs on as it started.
  // K42Path: the program's own path, symlinks followed, as Linux's
  // /proc/self/exe names it and ld.so takes $ORIGIN from it.
  long Mem = copyToMemfd(Abs, DevFd::ImageName, /*Share=*/false, K42Path,
                         /*Named=*/true);
  if (Mem < 0)
    return Mem;
  OwnMemfd::moveTo(Mem, ImageFd);
  static const char Image[] = "/proc/self/fd/1008";
  std::memcpy(HostPath, Image, sizeof(Image));
  return 2;
}

void FileState::releaseFile(OpenFile *File) {
  if (FdTable::release(File))
    closeFile(File);
}

//===-- The handlers
//-------------------------------------------------------===//

namespace {
/// An open's \p Fd (K42 file, K42 pipe end or the host's) past the
/// program's soft limit (FdLimit): closed again, EMFILE as Linux. Limit:
/// Linux finds no number before it opens, so an O_CREAT open refused so
/// creates nothing; here the file may have been made.
long withinLimit(long Fd) {
  if (Fd < 0)
    return Fd;
  if (uint64_t(Fd) < FdLimit::soft()) {
    // Off the exec's numbers (ProgramFds::place); a K42 file's entry in
    // the tables moves with its placeholder.
    if (ProgramFds::isExecFd(Fd) && (fileAt(Fd) || PipeCalls::get(Fd))) {
      long To = ProgramFds::copyPastExecFds(Fd);
      long Limit = SpawnView::descriptorLimit(); // a K42 file's
      if (To >= Limit)
        (void)hostCall(SYS_close, To);
      else if (!isError(To))
        shareFd(Fd, To);
      (void)closeFd(Fd);
      if (isError(To) || To >= Limit)
        return isError(To) ? To : -EMFILE;
      Fd = To;
    }
    return ProgramFds::place(Fd);
  }
  (void)closeFd(Fd);
  return -EMFILE;
}
} // namespace

long sys::open(SyscallCall &Call) {
  return withinLimit(
      doOpen(AT_FDCWD, Call.Arg[0], Call.Arg[1], Call.Arg[2], Call));
}
long sys::openat(SyscallCall &Call) {
  return withinLimit(
      doOpen(Call.Arg[0], Call.Arg[1], Call.Arg[2], Call.Arg[3], Call));
}
long sys::creat(SyscallCall &Call) {
  char Abs[PathBytes];
  Where To;
  if (long E = resolve(AT_FDCWD, Call.Arg[0], Abs, To, /*FollowLast=*/true);
      E < 0)
    return E;
  if (To == Where::Host)
    return passToHost(Call);
  return withinLimit(openK42(Abs, O_CREAT | O_WRONLY | O_TRUNC, Call.Arg[1]));
}

long sys::close(SyscallCall &Call) {
  long Fd = Call.Arg[0];
  if (!ProgramFds::holds(Fd))
    return -EBADF; // the personality's own, or none
  ProgramFds::lost(Fd);
  return closeFd(Fd);
}

long sys::read(SyscallCall &Call) {
  if (HeldPipe P(Call.Arg[0]); P)
    return PipeCalls::read(*P, reinterpret_cast<void *>(Call.Arg[1]),
                           size_t(Call.Arg[2]));
  HeldFile F(Call.Arg[0]);
  if (!F)
    return passToHost(Call);
  return readFile(*F, reinterpret_cast<void *>(Call.Arg[1]),
                  size_t(Call.Arg[2]), 0, false);
}
long sys::write(SyscallCall &Call) {
  if (HeldPipe P(Call.Arg[0]); P)
    return PipeCalls::write(Call.Arg[0], *P,
                            reinterpret_cast<const void *>(Call.Arg[1]),
                            size_t(Call.Arg[2]));
  HeldFile F(Call.Arg[0]);
  if (!F)
    return passToHost(Call);
  return writeFile(*F, reinterpret_cast<const void *>(Call.Arg[1]),
                   size_t(Call.Arg[2]), 0, false, 0);
}
long sys::pread64(SyscallCall &Call) {
  if (PipeCalls::get(Call.Arg[0]))
    return -ESPIPE;
  HeldFile F(Call.Arg[0]);
  if (!F)
    return passToHost(Call);
  if (!positionOk(Call.Arg[3], Call.Arg[2]))
    return -EINVAL;
  return readFile(*F, reinterpret_cast<void *>(Call.Arg[1]),
                  size_t(Call.Arg[2]), Call.Arg[3], true);
}
long sys::pwrite64(SyscallCall &Call) {
  if (PipeCalls::get(Call.Arg[0]))
    return -ESPIPE;
  HeldFile F(Call.Arg[0]);
  if (!F)
    return passToHost(Call);
  if (!positionOk(Call.Arg[3], Call.Arg[2]))
    return -EINVAL;
  return writeFile(*F, reinterpret_cast<const void *>(Call.Arg[1]),
                   size_t(Call.Arg[2]), Call.Arg[3], true, 0);
}
long sys::readv(SyscallCall &Call) {
  if (HeldPipe P(Call.Arg[0]); P)
    return PipeCalls::readv(*P, Call.Arg[1], Call.Arg[2]);
  HeldFile F(Call.Arg[0]);
  return F ? vectored(*F, Call.Arg[1], Call.Arg[2], false) : passToHost(Call);
}
long sys::writev(SyscallCall &Call) {
  if (HeldPipe P(Call.Arg[0]); P)
    return PipeCalls::writev(Call.Arg[0], *P, Call.Arg[1], Call.Arg[2]);
  HeldFile F(Call.Arg[0]);
  return F ? vectored(*F, Call.Arg[1], Call.Arg[2], true) : passToHost(Call);
}

namespace {
/// preadv, pwritev, preadv2 and pwritev2 of a K42 file or pipe at
/// \p Offset (-1: the description's, for the v2 calls alone) with the v2
/// calls' \p Rwf flags. A K42 file is tmpfs's: RWF_HIPRI, RWF_DSYNC and
/// RWF_SYNC ask nothing it does not do anyway, RWF_APPEND and
/// RWF_NOAPPEND are a write's (a read ignores them), RWF_NOSIGNAL asks
/// nothing of a file, and RWF_NOWAIT (like any flag it does not know) is
/// EOPNOTSUPP. A pipe takes RWF_NOWAIT as O_NONBLOCK for the call (not
/// RWF_NOSIGNAL: EOPNOTSUPP), and any offset but -1 is ESPIPE.
long vectoredAt(SyscallCall &Call, long Offset, long Rwf, bool Write, bool V2) {
  constexpr long FileFlags =
      RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_APPEND | RwfNoAppend | RwfNoSignal;
  long Fd = Call.Arg[0], Iov = Call.Arg[1], Count = Call.Arg[2];
  if (HeldPipe P(Fd); P) {
    if (Rwf & ~((FileFlags & ~RwfNoSignal) | RWF_NOWAIT))
      return -EOPNOTSUPP;
    if (!V2 || Offset != -1)
      return -ESPIPE;
    bool NonBlock = Rwf & RWF_NOWAIT;
    return Write ? PipeCalls::writev(Fd, *P, Iov, Count, NonBlock)
                 : PipeCalls::readv(*P, Iov, Count, NonBlock);
  }
  HeldFile F(Fd);
  if (!F)
    return passToHost(Call);
  if (Rwf & ~FileFlags)
    return -EOPNOTSUPP;
  bool Current = V2 && Offset == -1;
  if (Offset < 0 && !Current)
    return -EINVAL;
  return forEachPiece(
      Iov, Count, [&](void *Base, size_t Length, long Done) -> long {
        if (Current)
          return Write ? writeFile(*F, Base, Length, 0, false, Rwf)
                       : readFile(*F, Base, Length, 0, false);
        if (!positionOk(Offset + Done, long(Length)))
          return -EINVAL;
        return Write ? writeFile(*F, Base, Length, Offset + Done, true, Rwf)
                     : readFile(*F, Base, Length, Offset + Done, true);
      });
}
} // namespace

// On x86_64 the offset is whole in the low register (the high one is 0).
long sys::preadv(SyscallCall &Call) {
  return vectoredAt(Call, Call.Arg[3], 0, false, false);
}
long sys::pwritev(SyscallCall &Call) {
  return vectoredAt(Call, Call.Arg[3], 0, true, false);
}
long sys::preadv2(SyscallCall &Call) {
  return vectoredAt(Call, Call.Arg[3], Call.Arg[5], false, true);
}
long sys::pwritev2(SyscallCall &Call) {
  return vectoredAt(Call, Call.Arg[3], Call.Arg[5], true, true);
}

long sys::lseek(SyscallCall &Call) {
  if (PipeCalls::get(Call.Arg[0]))
    return -ESPIPE;
  HeldFile F(Call.Arg[0]);
  if (!F)
    return passToHost(Call);
  if (FileDispatch::pathOnly(*F))
    return -EBADF;
  long Offset = Call.Arg[1];
  (void)holdsCopy(*F);
  GateLockGuard Guard(F->Desc->Lock);
  long Base = 0;
  if (F->Desc->IsDir) {
    // A directory's place is its server's cookie (seekdir goes back to a
    // telldir's d_off); the end has no meaning, as on tmpfs.
    if (Call.Arg[2] == SEEK_CUR)
      Base = long(F->Desc->DirCookie);
    else if (Call.Arg[2] != SEEK_SET)
      return -EINVAL;
    if (Base + Offset < 0)
      return -EINVAL;
    F->Desc->DirCookie = uint64_t(Base + Offset);
    F->Desc->Offset = F->Desc->DirCookie;
    return long(F->Desc->DirCookie);
  }
  // The file's size, from its copy if the description holds one.
  auto Size = [&](long &Out) -> long {
    if (F->Desc->Cached) {
      Out = long(F->Desc->CachedSize);
      return 0;
    }
    if (long E = authorise(*F); E < 0)
      return E;
    FileAttr Attr;
    if (long E = FsBridge::fstat(F->Server, Attr); E < 0)
      return E;
    Out = long(Attr.Size);
    return 0;
  };
  switch (Call.Arg[2]) {
  case SEEK_SET:
    break;
  case SEEK_CUR:
    Base = long(F->Desc->Offset);
    break;
  case SEEK_END:
    if (long E = Size(Base); E < 0)
      return E;
    break;
  case SEEK_DATA:
  case SEEK_HOLE: {
    if (Offset < 0)
      return -ENXIO;
    // The server's map of the file's holes (ramfs's memfd, the host
    // file's), so that cp, tar --sparse and the like copy a sparse file
    // sparse; a file held in the description is all data, as Linux
    // answers for a file system that keeps no map of its holes
    // (generic_file_llseek_size): a hole at its end, ENXIO at or past it.
    long Found = -ENOSYS;
    if (!F->Desc->Cached) {
      if (long E = authorise(*F); E < 0)
        return E;
      Found = FsBridge::seekData(F->Server, uint64_t(Offset),
                                 uint32_t(Call.Arg[2]));
    }
    if (Found == -ENOSYS) {
      long End = 0;
      if (long E = Size(End); E < 0)
        return E;
      if (Offset >= End)
        return -ENXIO;
      Found = Call.Arg[2] == SEEK_DATA ? Offset : End;
    }
    if (Found < 0)
      return Found;
    F->Desc->Offset = uint64_t(Found);
    return Found;
  }
  default:
    return -EINVAL;
  }
  if (Base + Offset < 0)
    return -EINVAL;
  F->Desc->Offset = uint64_t(Base + Offset);
  return long(F->Desc->Offset);
}

long sys::stat(SyscallCall &Call) {
  return statPath(Call, AT_FDCWD, Call.Arg[0], Call.Arg[1], true, false);
}
long sys::lstat(SyscallCall &Call) {
  return statPath(Call, AT_FDCWD, Call.Arg[0], Call.Arg[1], false, false);
}
long sys::newfstatat(SyscallCall &Call) {
  long Flags = Call.Arg[3];
  return statPath(Call, Call.Arg[0],
                  FileDispatch::cwdIfEmpty(Call.Arg[0], Call.Arg[1], Flags),
                  Call.Arg[2], !(Flags & AT_SYMLINK_NOFOLLOW), false,
                  Flags & AT_EMPTY_PATH);
}
long sys::statx(SyscallCall &Call) {
  // Linux's checks before any lookup (fs/stat.c): unknown flags, both
  // sync types at once, the reserved mask bit.
  long Flags = Call.Arg[2];
  if ((Flags & ~long(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH |
                     AT_STATX_SYNC_TYPE)) ||
      (Flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE ||
      (uint32_t(Call.Arg[3]) & STATX__RESERVED))
    return -EINVAL;
  return statPath(Call, Call.Arg[0],
                  FileDispatch::cwdIfEmpty(Call.Arg[0], Call.Arg[1], Flags),
                  Call.Arg[4], !(Flags & AT_SYMLINK_NOFOLLOW), true,
                  Flags & AT_EMPTY_PATH);
}
long sys::fstat(SyscallCall &Call) {
  if (PipeCalls::get(Call.Arg[0]))
    return PipeCalls::fstat(Call.Arg[0], Call.Arg[1], false);
  HeldFile F(Call.Arg[0]);
  if (!F)
    return passToHost(Call);
  FileAttr Attr;
  if (long E = fstatFile(*F, Attr); E < 0)
    return E;
  return putStat(Attr, Call.Arg[1]);
}

namespace {

/// getdents64 from a directory's listing held in its description (it came
/// with the open): the whole records after \p Cookie's that fit in
/// \p Size, into \p Out, and \p Next the last one's d_off; 0 at the end.
/// NotInListing when the copy does not hold \p Cookie (a seekdir
/// elsewhere): the server answers. Under the description's lock, Cached
/// checked.
constexpr long NotInListing = LONG_MIN;
long listingFrom(const FileDescription &D, uint64_t Cookie, char *Out,
                 size_t Size, uint64_t &Next) {
  constexpr size_t Head = 19; // d_ino, d_off, d_reclen, d_type
  auto Record = [&](size_t At, uint64_t &Off, uint16_t &Length) {
    if (At + Head > D.CachedSize)
      return false;
    std::memcpy(&Off, D.Data + At + 8, 8);
    std::memcpy(&Length, D.Data + At + 16, 2);
    return Length >= Head && At + Length <= D.CachedSize;
  };
  size_t At = 0;
  uint64_t Off = 0;
  uint16_t Length = 0;
  while (Cookie != 0) {
    if (!Record(At, Off, Length))
      return NotInListing;
    At += Length;
    if (Off == Cookie)
      break;
  }
  size_t Given = 0;
  while (Record(At, Off, Length) && Given + Length <= Size) {
    std::memcpy(Out + Given, D.Data + At, Length);
    Given += Length;
    At += Length;
    Next = Off;
  }
  if (Given == 0 && At < D.CachedSize)
    return -EINVAL; // the buffer cannot hold one record, as on Linux
  return long(Given);
}

} // namespace

long sys::getdents64(SyscallCall &Call) {
  if (PipeCalls::get(Call.Arg[0]))
    return -ENOTDIR;
  HeldFile F(Call.Arg[0]);
  if (!F)
    return DevFd::getdents(Call); // /proc/self/fd without the personality's
  if (FileDispatch::pathOnly(*F))
    return -EBADF;
  if (!F->Desc->IsDir)
    return -ENOTDIR;
  // The listing the open brought (a holder of it is authorised: it made
  // the handle, or took it across exec, so authorise() makes no call).
  bool Held = holdsCopy(*F);
  // At most 32 KiB a call (the README's limit).
  size_t Want = size_t(Call.Arg[2]);
  if (Want > 32768)
    Want = 32768;
  Bounce Local(Want);
  if (Want > Local.size())
    Want = Local.size();
  // The records read, to the caller, and the position past them; under
  // the description's lock.
  auto Deliver = [&](long Got, uint64_t Next) -> long {
    if (Got <= 0)
      return Got;
    if (UserMemory::copyOut(reinterpret_cast<void *>(Call.Arg[1]), Local.data(),
                            size_t(Got)) < 0)
      return -EFAULT;
    F->Desc->DirCookie = Next;
    return Got;
  };
  // A folder of a read-only host directory opened without a call
  // (Deferred): its listing is the host's, read here, with no handle made
  // for it (FsBridge::readdirOnHost); where the host cannot answer, the
  // server's after all.
  if (!Held && __atomic_load_n(&F->Server.Deferred, __ATOMIC_ACQUIRE)) {
    GateLockGuard Guard(F->Desc->Lock);
    uint64_t Next = F->Desc->DirCookie;
    if (long Got; FsBridge::readdirOnHost(F->Desc->Path, F->Server.OpenAttr,
                                          F->Desc->DirCookie, Local.data(),
                                          Want, Next, Got))
      return Deliver(Got, Next);
  }
  if (long E = authorise(*F); E < 0)
    return E;
  GateLockGuard Guard(F->Desc->Lock);
  uint64_t Next = F->Desc->DirCookie;
  long Got = Held && F->Desc->Cached ? listingFrom(*F->Desc, F->Desc->DirCookie,
                                                   Local.data(), Want, Next)
                                     : NotInListing;
  if (Got == NotInListing)
    Got = FsBridge::readdir(F->Server, F->Desc->DirCookie, Local.data(), Want,
                            Next);
  return Deliver(Got, Next);
}

long sys::mkdir(SyscallCall &Call) {
  return pathCall(Call, AT_FDCWD, Call.Arg[0], [&](const char *Abs) {
    return FsBridge::mkdir(Abs, uint32_t(Call.Arg[1]) & ~Umask & 07777);
  });
}
long sys::mkdirat(SyscallCall &Call) {
  return pathCall(Call, Call.Arg[0], Call.Arg[1], [&](const char *Abs) {
    return FsBridge::mkdir(Abs, uint32_t(Call.Arg[2]) & ~Umask & 07777);
  });
}
namespace {
/// What a path's last component is, as Linux's lookup of the parent sorts
/// it (trailing slashes dropped): a name, ".", "..", or the root itself.
enum class Last { Name, Dot, DotDot, Root };

Last lastComponent(long User) {
  char Raw[PathBytes];
  long Length = copyPath(User, Raw);
  if (Length <= 0)
    return Last::Name; // the call's own lookup answers
  while (Length > 1 && Raw[Length - 1] == '/')
    --Length;
  if (Length == 1 && Raw[0] == '/')
    return Last::Root;
  long Start = Length;
  while (Start > 0 && Raw[Start - 1] != '/')
    --Start;
  if (Length - Start == 1 && Raw[Start] == '.')
    return Last::Dot;
  if (Length - Start == 2 && Raw[Start] == '.' && Raw[Start + 1] == '.')
    return Last::DotDot;
  return Last::Name;
}

/// Linux's \p Error for removing or renaming a path whose last component
/// is not a name (rmdir("d/.") is EINVAL, never d's removal: the
/// normalised path no longer shows the dot), after the path's own lookup
/// errors. A host path goes to the host, which answers the same.
long refuseLast(SyscallCall &Call, long DirFd, long Path, long Error) {
  return pathCall(Call, DirFd, Path, [&](const char *Abs) -> long {
    FileAttr Attr;
    long E = FsBridge::stat(Abs, true, Attr);
    return E < 0 ? E : Error;
  });
}

/// rmdir and unlink of \p Path from \p DirFd.
long removePath(SyscallCall &Call, long DirFd, long Path, bool Dir) {
  switch (lastComponent(Path)) {
  case Last::Name:
    return pathCall(Call, DirFd, Path, [&](const char *Abs) {
      return Dir ? FsBridge::rmdir(Abs) : FsBridge::unlink(Abs);
    });
  case Last::Dot:
    return refuseLast(Call, DirFd, Path, Dir ? -EINVAL : -EISDIR);
  case Last::DotDot:
    return refuseLast(Call, DirFd, Path, Dir ? -ENOTEMPTY : -EISDIR);
  case Last::Root:
    return refuseLast(Call, DirFd, Path, Dir ? -EBUSY : -EISDIR);
  }
  return -EINVAL;
}
} // namespace

long sys::rmdir(SyscallCall &Call) {
  return removePath(Call, AT_FDCWD, Call.Arg[0], true);
}
long sys::unlink(SyscallCall &Call) {
  return removePath(Call, AT_FDCWD, Call.Arg[0], false);
}
long sys::unlinkat(SyscallCall &Call) {
  if (Call.Arg[2] & ~long(AT_REMOVEDIR))
    return -EINVAL;
  return removePath(Call, Call.Arg[0], Call.Arg[1], Call.Arg[2] & AT_REMOVEDIR);
}

/// Two path calls: both K42's, or both the host's (EXDEV otherwise).
template <typename BodyFn>
long twoPaths(SyscallCall &Call, long DirA, long PathA, long DirB, long PathB,
              BodyFn Body) {
  char A[PathBytes], B[PathBytes];
  Where ToA, ToB;
  if (long E = resolve(DirA, PathA, A, ToA); E < 0)
    return E;
  if (long E = resolve(DirB, PathB, B, ToB); E < 0)
    return E;
  // An empty name is no file (a caller's AT_EMPTY_PATH is seen before
  // this): not one of the host's either, which EXDEV would say.
  if (FileDispatch::emptyPath(PathA) || FileDispatch::emptyPath(PathB))
    return -ENOENT;
  if (ToA == Where::Host && ToB == Where::Host)
    return passToHost(Call);
  if (ToA != ToB)
    return -EXDEV;
  return FileDispatch::twoLeftK42(Call, PathA, A, PathB, B, Body(A, B));
}

namespace {
/// rename of \p PathA (from \p DirA) to \p PathB (from \p DirB) with
/// renameat2's \p Flags: Linux's EINVAL for flags it does not know or
/// that exclude each other, EBUSY for "." or ".." as either last component
/// (the normalised paths would rename the folder itself, or its parent).
long renamePaths(SyscallCall &Call, long DirA, long PathA, long DirB,
                 long PathB, long Flags) {
  constexpr long Known = RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT;
  if ((Flags & ~Known) || ((Flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)) &&
                           (Flags & RENAME_EXCHANGE)))
    return -EINVAL;
  if (lastComponent(PathA) != Last::Name)
    return refuseLast(Call, DirA, PathA, -EBUSY);
  if (lastComponent(PathB) != Last::Name)
    return refuseLast(Call, DirB, PathB, -EBUSY);
  return twoPaths(Call, DirA, PathA, DirB, PathB,
                  [&](const char *A, const char *B) -> long {
                    // K42's file systems make no whiteouts (tmpfs makes
                    // them for overlayfs alone): a file system's EINVAL.
                    if (Flags & RENAME_WHITEOUT)
                      return -EINVAL;
                    return FsBridge::rename(
                        A, B,
                        ((Flags & RENAME_NOREPLACE) ? RenameNoReplace : 0) |
                            ((Flags & RENAME_EXCHANGE) ? RenameExchange : 0));
                  });
}
} // namespace

long sys::rename(SyscallCall &Call) {
  return renamePaths(Call, AT_FDCWD, Call.Arg[0], AT_FDCWD, Call.Arg[1], 0);
}
long sys::renameat(SyscallCall &Call) {
  return renamePaths(Call, Call.Arg[0], Call.Arg[1], Call.Arg[2], Call.Arg[3],
                     0);
}
long sys::renameat2(SyscallCall &Call) {
  return renamePaths(Call, Call.Arg[0], Call.Arg[1], Call.Arg[2], Call.Arg[3],
                     Call.Arg[4]);
}
long sys::link(SyscallCall &Call) {
  return twoPaths(
      Call, AT_FDCWD, Call.Arg[0], AT_FDCWD, Call.Arg[1],
      [](const char *A, const char *B) { return FsBridge::link(A, B); });
}
long sys::symlink(SyscallCall &Call) {
  char Target[PathBytes];
  if (long E = copyPath(Call.Arg[0], Target); E < 0)
    return E;
  return pathCall(Call, AT_FDCWD, Call.Arg[1], [&](const char *Abs) {
    return FsBridge::symlink(Target, Abs);
  });
}
long sys::symlinkat(SyscallCall &Call) {
  char Target[PathBytes];
  if (long E = copyPath(Call.Arg[0], Target); E < 0)
    return E;
  return pathCall(Call, Call.Arg[1], Call.Arg[2], [&](const char *Abs) {
    return FsBridge::symlink(Target, Abs);
  });
}

long readlinkTo(const char *Abs, long User, long Size) {
  if (Size <= 0)
    return -EINVAL;
  char Target[PathBytes];
  long N = FsBridge::readlink(Abs, Target,
                              size_t(Size) < sizeof(Target) ? size_t(Size)
                                                            : sizeof(Target));
  if (N < 0)
    return N;
  return DevFd::linkText(Target, size_t(N), User, Size);
}

/// readlink of the process's own /proc/.../exe when k42-exec loaded it:
/// the program's path, not k42-exec's. -ENOENT's opposite: 1 if answered.
bool readlinkExe(long UserPath, long User, long Size, long &Result) {
  const char *Exe = ProcessState::programAt(UserPath);
  if (!Exe)
    return false;
  Result = DevFd::linkText(Exe, std::strlen(Exe), User, Size);
  return true;
}

/// readlink of the process's own /proc/.../cwd or root link: K42's
/// current directory (where the host's link names the host process's
/// folder, which never moves), or "/". True, and \p Result, when it was
/// such a name.
bool readlinkOwnLink(long UserPath, long User, long Size, long &Result) {
  OwnLink Link = ownLinkItself(UserPath);
  if (Link == OwnLink::None || Link == OwnLink::OtherCwd)
    return false;
  if (Link == OwnLink::Cwd)
    refreshCwd();
  GateLockGuard Guard(CwdLock); // as getcwd reads it
  const char *Target = Link == OwnLink::Cwd ? k42Cwd() : "/";
  if (!Target)
    return false; // another thread's chdir to a host folder: the host's
  size_t Length = std::strlen(Target);
  // A removed one, as Linux's d_path names it.
  char Named[PathBytes + sizeof(DevFd::Deleted)];
  if (Link == OwnLink::Cwd && cwdGone()) {
    std::memcpy(Named, Target, Length);
    Length = DevFd::markDeleted(Named, Length, sizeof(Named));
    Target = Named;
  }
  Result = DevFd::linkText(Target, Length, User, Size);
  return true;
}

long sys::readlink(SyscallCall &Call) {
  if (long Fd = DevFd::k42Fd(Call.Arg[0], false); Fd >= 0)
    return DevFd::readlink(Fd, Call.Arg[1], Call.Arg[2]);
  if (long R; readlinkExe(Call.Arg[0], Call.Arg[1], Call.Arg[2], R))
    return R;
  if (long R; readlinkOwnLink(Call.Arg[0], Call.Arg[1], Call.Arg[2], R))
    return R;
  if (long R; DevFd::otherProcessLink(Call.Arg[0], Call.Arg[1], Call.Arg[2], R))
    return R;
  return pathCall(Call, AT_FDCWD, Call.Arg[0], [&](const char *Abs) {
    return readlinkTo(Abs, Call.Arg[1], Call.Arg[2]);
  });
}
long sys::readlinkat(SyscallCall &Call) {
  if (long Fd = DevFd::k42Fd(Call.Arg[1], false); Fd >= 0)
    return DevFd::readlink(Fd, Call.Arg[2], Call.Arg[3]);
  if (long Fd = DevFd::k42FdAt(Call.Arg[0], Call.Arg[1]); Fd >= 0)
    return DevFd::readlink(Fd, Call.Arg[2], Call.Arg[3]);
  if (long R; readlinkExe(Call.Arg[1], Call.Arg[2], Call.Arg[3], R))
    return R;
  if (long R; readlinkOwnLink(Call.Arg[1], Call.Arg[2], Call.Arg[3], R))
    return R;
  if (long R; DevFd::otherProcessLink(Call.Arg[1], Call.Arg[2], Call.Arg[3], R))
    return R;
  // An empty path: the symlink an O_PATH | O_NOFOLLOW descriptor opened.
  if (HeldFile F(Call.Arg[0]); F) {
    char First = 1;
    if (Call.Arg[1] &&
        UserMemory::copyIn(&First, reinterpret_cast<void *>(Call.Arg[1]), 1) ==
            0 &&
        First == 0) {
      // Of a descriptor that is not a symlink: Linux's ENOENT (an empty
      // name found nothing to read). Its path may name a symlink it was
      // opened through, so what it is decides, not its path.
      FileAttr Attr;
      if (long E = fstatFile(*F, Attr); E < 0)
        return E;
      if (!S_ISLNK(Attr.Mode))
        return Call.Arg[3] > 0 ? -ENOENT : -EINVAL;
      return readlinkTo(F->Desc->Path, Call.Arg[2], Call.Arg[3]);
    }
  }
  return pathCall(Call, Call.Arg[0], Call.Arg[1], [&](const char *Abs) {
    return readlinkTo(Abs, Call.Arg[2], Call.Arg[3]);
  });
}

/// access, faccessat and faccessat2 of a K42 path: Linux's checks of
/// \p Mode and \p Flags, then the file's permission bits against the
/// real ids (the effective ones with AT_EACCESS) and groups, as
/// do_faccessat does; root reads and writes anything and executes what
/// has an execute bit, or a folder.
long accessAt(SyscallCall &Call, long DirFd, long Path, long Mode, long Flags) {
  if (Mode & ~long(F_OK | R_OK | W_OK | X_OK))
    return -EINVAL;
  if (Flags & ~long(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
    return -EINVAL;
  Path = FileDispatch::cwdIfEmpty(DirFd, Path, Flags);
  return pathCall(
      Call, DirFd, Path,
      [&](const char *Abs) -> long {
        FileAttr Attr;
        if (long E = FsBridge::stat(Abs, !(Flags & AT_SYMLINK_NOFOLLOW), Attr);
            E < 0)
          return E;
        if (Mode == F_OK)
          return 0;
        // A read-only mount's file, folder or link is EROFS for writing, root
        // or not, before its bits (Linux's sb_permission).
        if ((Mode & W_OK) &&
            (S_ISREG(Attr.Mode) || S_ISDIR(Attr.Mode) || S_ISLNK(Attr.Mode)) &&
            !FsBridge::onWritableMount(Abs))
          return -EROFS;
        return permitted(Attr, Mode, Flags & AT_EACCESS);
      },
      !(Flags & AT_SYMLINK_NOFOLLOW));
}
long sys::access(SyscallCall &Call) {
  return accessAt(Call, AT_FDCWD, Call.Arg[0], Call.Arg[1], 0);
}
long sys::faccessat(SyscallCall &Call) {
  return accessAt(Call, Call.Arg[0], Call.Arg[1], Call.Arg[2], 0);
}
long sys::faccessat2(SyscallCall &Call) {
  return accessAt(Call, Call.Arg[0], Call.Arg[1], Call.Arg[2], Call.Arg[3]);
}

long sys::truncate(SyscallCall &Call) {
  if (Call.Arg[1] < 0)
    return -EINVAL;
  // A K42 file's descriptor name (/proc/self/fd/N, /dev/fd/N): the file
  // it names, as Linux follows the link, by its path now (the host would
  // truncate the placeholder: EPERM, battery 41).
  if (long Fd = DevFd::k42Fd(Call.Arg[0], true); Fd >= 0) {
    HeldFile F;
    if (FileDispatch::fd(Fd, F) == FileDispatch::FdKind::File) {
      if (F->Desc->IsDir)
        return -EISDIR;
      char Abs[PathBytes];
      FileDispatch::currentPath(*F, Abs);
      SyscallCall ByName = Call;
      ByName.Arg[0] = reinterpret_cast<long>(Abs);
      return sys::truncate(ByName);
    }
  }
  return pathCall(
      Call, AT_FDCWD, Call.Arg[0],
      [&](const char *Abs) -> long {
        if (OwnMemfd::limit() != RLIM_INFINITY) {
          FileAttr Attr;
          if (FsBridge::stat(Abs, true, Attr) == 0 && S_ISREG(Attr.Mode))
            if (long E = sizeLimit(Attr.Size, uint64_t(Call.Arg[1])); E < 0)
              return E;
        }
        dropCaches(Abs);
        return FsBridge::truncate(Abs, uint64_t(Call.Arg[1]));
      },
      /*FollowLast=*/true);
}
long sys::ftruncate(SyscallCall &Call) {
  if (PipeCalls::get(Call.Arg[0]))
    return -EINVAL;
  HeldFile F(Call.Arg[0]);
  if (!F)
    return passToHost(Call);
  if (FileDispatch::pathOnly(*F))
    return -EBADF;
  if (Call.Arg[1] < 0)
    return -EINVAL;
  if ((F->Desc->Flags & O_ACCMODE) == O_RDONLY)
    return -EINVAL;
  (void)holdsCopy(*F);
  if (long E = authorise(*F); E < 0)
    return E;
  FileDescription &D = *F->Desc;
  GateLockGuard Guard(D.Lock);
  if (OwnMemfd::limit() != RLIM_INFINITY) {
    FileAttr Attr;
    if (long E = FsBridge::fstat(F->Server, Attr); E < 0)
      return E;
    if (long E = sizeLimit(Attr.Size, uint64_t(Call.Arg[1])); E < 0)
      return E;
  }
  long E = FsBridge::ftruncate(F->Server, uint64_t(Call.Arg[1]));
  if (E >= 0 && D.Cached) {
    uint64_t Len = uint64_t(Call.Arg[1]);
    if (Len > FileDescription::CacheMax)
      __atomic_store_n(&D.Cached, 0, __ATOMIC_RELEASE);
    else {
      if (Len > D.CachedSize)
        std::memset(D.Data + D.CachedSize, 0, Len - D.CachedSize);
      D.CachedSize = Len;
    }
  }
  return E;
}
long sys::fsync(SyscallCall &Call) {
  if (PipeCalls::get(Call.Arg[0]))
    return -EINVAL;
  HeldFile F(Call.Arg[0]);
  if (!F)
    return passToHost(Call);
  if (FileDispatch::pathOnly(*F))
    return -EBADF;
  if (long E = authorise(*F); E < 0)
    return E;
  return FsBridge::fsync(F->Server);
}
long sys::fdatasync(SyscallCall &Call) { return sys::fsync(Call); }

namespace {
/// chmod of \p Path (from \p DirFd) to \p Mode. A K42 file's descriptor
/// name (/proc/self/fd/N, /dev/fd/N) changes that file, as Linux follows
/// the link: glibc's fchmodat(AT_SYMLINK_NOFOLLOW) opens the file O_PATH
/// and chmods /proc/self/fd/N, which the host took for the placeholder
/// (Python's os.chmod(follow_symlinks=False), shutil's copystat of a tree:
/// the mode silently unchanged).
long chmodPath(SyscallCall &Call, long DirFd, long Path, uint32_t Mode) {
  if (long Fd = DevFd::k42Fd(Path, true); Fd >= 0) {
    HeldFile F;
    if (FileDispatch::fd(Fd, F) == FileDispatch::FdKind::File) {
      char Abs[PathBytes];
      FileDispatch::currentPath(*F, Abs);
      return FileDispatch::chmod(Abs, Mode);
    }
  }
  return pathCall(
      Call, DirFd, Path,
      [&](const char *Abs) { return FileDispatch::chmod(Abs, Mode); },
      /*FollowLast=*/true);
}
} // namespace

long sys::chmod(SyscallCall &Call) {
  return chmodPath(Call, AT_FDCWD, Call.Arg[0], uint32_t(Call.Arg[1]) & 07777);
}
long sys::fchmodat(SyscallCall &Call) {
  return chmodPath(Call, Call.Arg[0], Call.Arg[1],
                   uint32_t(Call.Arg[2]) & 07777);
}
long sys::fchmod(SyscallCall &Call) {
  HeldFile F(Call.Arg[0]);
  if (!F && !PipeCalls::get(Call.Arg[0]) &&
      FsBridge::readOnlyHostFile(Call.Arg[0]))
    return -EROFS; // read from the host, the mount's file all the same
  if (!F)
    return passToHost(Call);
  if (FileDispatch::pathOnly(*F))
    return -EBADF;
  if (long E = authorise(*F); E < 0)
    return E;
  uint32_t Mode = uint32_t(Call.Arg[1]) & 07777;
  if (Mode & S_ISGID) {
    FileAttr Attr;
    if (FsBridge::fstat(F->Server, Attr) == 0)
      Mode = FileDispatch::chmodMode(Mode, Attr.Gid);
  }
  return FsBridge::fchmod(F->Server, Mode);
}

long sys::umask(SyscallCall &Call) {
  // The host keeps it too, for the host paths.
  long Old = hostCall(SYS_umask, Call.Arg[0] & 0777);
  Umask = uint32_t(Call.Arg[0] & 0777);
  UmaskKnown = true;
  return Old;
}

long sys::chdir(SyscallCall &Call) {
  char Abs[PathBytes];
  Where To;
  long E = resolve(AT_FDCWD, Call.Arg[0], Abs, To, /*FollowLast=*/true);
  bool Left = E == FsBridge::LeftK42;
  if (E < 0 && !Left)
    return E;
  if (Left || To == Where::Host) {
    bool Redone = false;
    long Done = Left ? onHostInstead(Call, Call.Arg[0], true, Abs, &Redone)
                     : passToHost(Call);
    if (Redone)
      return Done; // a K42 folder after all: that chdir's own
    if (Done == 0) {
      setCwd(nullptr);
      adoptCwd(nullptr);
    }
    return Done;
  }
  FileAttr Attr;
  // The folder's own path, every symlink on the way resolved, where the
  // walk says it (a ramfs walk): getcwd answers it, as Linux's d_path of
  // the folder does (`cd link; pwd -P`); the path as typed otherwise.
  char Canonical[PathBytes];
  // Where directories are renamed the folder is held open (O_PATH), the
  // current directory's handle (followCwd), by the one call that also
  // answers what a stat would (O_DIRECTORY: ENOTDIR for a file).
  ServerFile Held;
  bool Hold = mayHoldCwd(Abs);
  if (long E = Hold ? FsBridge::open(Abs, O_PATH | O_DIRECTORY, 0, Held, Attr,
                                     false, 0, nullptr, Canonical)
                    : FsBridge::stat(Abs, true, Attr, Canonical);
      E == FsBridge::LeftK42) {
    // A symlink to the host's (and perhaps from there back to K42's).
    bool Redone = false;
    long Done = onHostInstead(Call, Call.Arg[0], true, nullptr, &Redone);
    if (Redone)
      return Done;
    if (Done == 0) {
      setCwd(nullptr);
      adoptCwd(nullptr);
    }
    return Done;
  } else if (E < 0) {
    return E;
  }
  if (!S_ISDIR(Attr.Mode)) {
    if (Hold)
      releaseCwd(Held);
    return -ENOTDIR;
  }
  // Linux's chdir asks for search permission on the folder itself.
  if (long E = permitted(Attr, X_OK, /*Effective=*/true); E < 0) {
    if (Hold)
      releaseCwd(Held);
    return E;
  }
  setCwd(Canonical[0] ? Canonical : Abs);
  adoptCwd(Hold ? &Held : nullptr, Attr.OpenKey);
  return 0;
}
long sys::fchdir(SyscallCall &Call) {
  if (PipeCalls::get(Call.Arg[0]))
    return -ENOTDIR;
  HeldFile F(Call.Arg[0]);
  if (!F) {
    long Done = passToHost(Call);
    if (Done == 0) {
      setCwd(nullptr);
      adoptCwd(nullptr);
    }
    return Done;
  }
  if (!F->Desc->IsDir)
    return -ENOTDIR;
  char Dir[PathBytes];
  FileDispatch::currentPath(*F, Dir);
  // Search permission on the folder, as chdir (root has it: no call).
  if (hostCall(SYS_geteuid) != 0) {
    FileAttr Now;
    if (long E = FsBridge::stat(Dir, true, Now); E == 0)
      if (long P = permitted(Now, X_OK, /*Effective=*/true); P < 0)
        return P;
  }
  setCwd(Dir);
  ServerFile Held;
  FileAttr Attr;
  bool Hold = mayHoldCwd(Dir) &&
              FsBridge::open(Dir, O_PATH | O_DIRECTORY, 0, Held, Attr) == 0;
  adoptCwd(Hold ? &Held : nullptr, Attr.OpenKey);
  return 0;
}
long sys::getcwd(SyscallCall &Call) {
  refreshCwd();
  const char *Dir = k42Cwd();
  if (!Dir)
    return passToHost(Call);
  if (cwdGone())
    return -ENOENT; // Linux's for an unlinked current directory
  GateLockGuard Guard(CwdLock);
  size_t N = std::strlen(Dir) + 1;
  if (size_t(Call.Arg[1]) < N)
    return -ERANGE;
  if (UserMemory::copyOut(reinterpret_cast<void *>(Call.Arg[0]), Dir, N) < 0)
    return -EFAULT;
  return long(N);
}

namespace {

/// dup, dup2 and dup3: the host makes the new descriptor (its number, and
/// the placeholder's references), and the table shares the old one's file
/// with it.
long duplicate(SyscallCall &Call) {
  return shareDup(Call.Arg[0], passToHost(Call));
}

/// dup2 and dup3 of a K42 descriptor, whose new number is known: the
/// tables change first, then the host's placeholder, so that another
/// thread's call on the number (a program replacing a descriptor its
/// threads use, as a close and an open would) finds the old file or pipe
/// end or the new one, never a placeholder the tables do not know (the
/// host's call on a description's memfd); put back if the host refuses.
/// Anything else as duplicate().
long duplicateOnto(SyscallCall &Call) {
  long From = Call.Arg[0], To = Call.Arg[1];
  if (SpawnView::current() || (!fileAt(From) && !PipeCalls::get(From))) {
    // A host descriptor onto a K42 pipe end: its placeholder goes with
    // the host's dup2, kept first for a call under way on the end.
    if (HeldPipe P(To); P && From != To)
      PipeCalls::keepForCalls(To, *P, 2);
    return duplicate(Call);
  }
  Replaced Old = replaceFd(From, To);
  // The end taken off To: its reference is ours now.
  if (Old.End && From != To)
    PipeCalls::keepForCalls(To, *Old.End, 1);
  long Result = passToHost(Call);
  if (isError(Result))
    letGo({table().exchange(To, Old.File),
           PipeTable::process().exchange(To, Old.End)});
  else if (Old.File)
    FileControl::closed(*Old.File);
  letGo(Old);
  return Result;
}

/// dup2 and dup3 onto \p Call's new number, once the numbers are the
/// program's to use: one at or past the soft limit is EBADF, as Linux. One
/// of the personality's own descriptors is EBUSY (Linux's answer for a
/// number that is not the caller's to replace yet): replacing it would
/// cut the process off from K42 (a `exec 1000>file` in bash). The new
/// number is the program's (ProgramFds).
long duplicateOntoNumber(SyscallCall &Call) {
  long From = Call.Arg[0], To = Call.Arg[1];
  if (To < 0 || uint64_t(To) >= FdLimit::soft() || !ProgramFds::holds(From))
    return -EBADF;
  if (ProgramFds::isExecFd(To) || ProgramFds::isPrivate(To))
    return -EBUSY;
  // No K42 file or pipe end at a number past the tables (shareDup).
  if (To >= SpawnView::descriptorLimit() &&
      (fileAt(From) || PipeCalls::get(From)))
    return -EMFILE;
  long Result = duplicateOnto(Call);
  ProgramFds::gained(Result);
  return Result;
}
} // namespace

// dup's new descriptor past the program's soft limit is closed by
// passToHost (FdLimit::check); dup2 and dup3 to a number at or past it
// are EBADF, as Linux (dup2 of a descriptor onto itself excepted).
long sys::dup(SyscallCall &Call) {
  if (!ProgramFds::holds(Call.Arg[0]))
    return -EBADF;
  return duplicate(Call);
}
long sys::dup2(SyscallCall &Call) {
  if (Call.Arg[0] == Call.Arg[1])
    return ProgramFds::holds(Call.Arg[0]) ? passToHost(Call) : -EBADF;
  return duplicateOntoNumber(Call);
}
long sys::dup3(SyscallCall &Call) {
  if (Call.Arg[0] == Call.Arg[1] || (Call.Arg[2] & ~long(O_CLOEXEC)))
    return passToHost(Call); // the host's EINVAL
  return duplicateOntoNumber(Call);
}
namespace {
/// F_GETFL and F_SETFL of a K42 file (or the host's).
long fileFlags(OpenFile *F, SyscallCall &Call) {
  if (!F)
    return passToHost(Call);
  if (Call.Arg[1] == F_GETFL)
    return long(F->Desc->Flags);
  if (FileDispatch::pathOnly(*F))
    return -EBADF;
  // O_ASYNC is not kept: a K42 file has no fasync (tmpfs's files none
  // either, whose F_SETFL drops it).
  constexpr uint32_t Settable = O_APPEND | O_NONBLOCK | O_DIRECT | O_NOATIME;
  uint32_t Want = uint32_t(Call.Arg[2]) & Settable;
  // O_NOATIME is the owner's to set (or root's), as Linux's setfl asks.
  if ((Want & O_NOATIME) && !(F->Desc->Flags & O_NOATIME)) {
    if (long Euid = hostCall(SYS_geteuid); Euid != 0) {
      if (long E = authorise(*F); E < 0)
        return E;
      FileAttr Attr;
      if (long E = FsBridge::fstat(F->Server, Attr); E < 0)
        return E;
      if (Attr.Uid != uint32_t(Euid))
        return -EPERM;
    }
  }
  F->Desc->Flags = (F->Desc->Flags & ~Settable) | Want;
  return 0;
}
} // namespace

long sys::fcntl(SyscallCall &Call) {
  if (!ProgramFds::holds(Call.Arg[0]))
    return -EBADF; // the personality's own, or none
  HeldFile F(Call.Arg[0]);
  // An O_PATH descriptor takes only these (Linux's check_fcntl_cmd); the
  // rest would reach its placeholder, a memfd the host takes them for.
  if (F && FileDispatch::pathOnly(*F) && Call.Arg[1] != F_DUPFD &&
      Call.Arg[1] != F_DUPFD_CLOEXEC && Call.Arg[1] != F_GETFD &&
      Call.Arg[1] != F_SETFD && Call.Arg[1] != F_GETFL)
    return -EBADF;
  switch (Call.Arg[1]) {
  case F_DUPFD:
  case F_DUPFD_CLOEXEC: {
    // Linux: a start at or past the soft limit is EINVAL, no number left
    // below it EMFILE; a descriptor not open is EBADF before either
    // (dash's `exec 9>x` under `ulimit -n 10` took EINVAL as fatal).
    uint64_t Limit = FdLimit::soft();
    if (uint64_t(Call.Arg[2]) >= Limit && Call.Arg[2] >= 0) {
      if (!F && !PipeCalls::get(Call.Arg[0]) &&
          isError(hostCall(SYS_fcntl, Call.Arg[0], F_GETFD)))
        return -EBADF;
      return -EINVAL;
    }
    return shareDup(Call.Arg[0], FdLimit::check(passToHost(Call)));
  }
  case F_GETFL:
  case F_SETFL:
  case F_GETPIPE_SZ:
  case F_SETPIPE_SZ:
    if (HeldPipe P(Call.Arg[0]); P)
      return PipeCalls::fcntl(*P, Call.Arg[1], Call.Arg[2]);
    if (Call.Arg[1] == F_GETPIPE_SZ || Call.Arg[1] == F_SETPIPE_SZ)
      break;
    return fileFlags(F.get(), Call);
  case F_SETLK:
  case F_SETLKW:
  case F_GETLK:
  case F_OFD_SETLK:
  case F_OFD_SETLKW:
  case F_OFD_GETLK:
    // Record locks of a K42 file: the host lock file's (FileControl), never
    // the placeholder's.
    if (F)
      return FileDispatch::pathOnly(*F)
                 ? -EBADF
                 : FileControl::fcntl(*F, Call.Arg[1], Call.Arg[2]);
    break;
  case F_ADD_SEALS:
  case F_GET_SEALS:
    // A K42 file is no memfd to the program (its placeholder's seals are
    // the personality's).
    if (F)
      return -EINVAL;
    break;
  case F_GETFD:
  case F_SETFD:
  case F_GETOWN:
  case F_GETOWN_EX:
  case F_GETSIG:
  case F_GETLEASE:
  case F_GET_RW_HINT:
  case F_GET_FILE_RW_HINT:
    break;
  default:
    // What the host keeps with the placeholder's open (its owner, signal,
    // lease, hints): not for the pool's next open to inherit.
    if (F)
      DescriptionPool::hostStateChanged(F->Desc);
    break;
  }
  // F_GETFD/F_SETFD are the placeholder's own; the rest too.
  return passToHost(Call);
}

namespace {
/// A private copy of \p F read from the server, for a server whose files
/// are not memory (hostfs's, where the host's own descriptor cannot be
/// had): what dlopen, ld and friends need of such a file.
long mapCopy(OpenFile &F, long Addr, long Len, long Prot, long Flags,
             long Offset) {
  constexpr long SharingBits = MAP_SHARED | MAP_PRIVATE | MAP_SHARED_VALIDATE;
  long At =
      hostCall(SYS_mmap, Addr, Len, PROT_READ | PROT_WRITE,
               (Flags & ~SharingBits) | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (isError(At))
    return At;
  for (long Done = 0; Done < Len;) {
    long Want = Len - Done < 65536 ? Len - Done : 65536;
    long Got =
        FsBridge::pread(F.Server, uint64_t(Offset + Done),
                        reinterpret_cast<char *>(At + Done), size_t(Want));
    if (Got < 0) {
      (void)hostCall(SYS_munmap, At, Len);
      return Got;
    }
    if (Got == 0)
      break; // past the end: zeros (Linux would raise SIGBUS there)
    Done += Got;
  }
  if (Prot != (PROT_READ | PROT_WRITE))
    (void)hostCall(SYS_mprotect, At, Len, Prot);
  return At;
}
} // namespace

// A K42 descriptor's placeholder is its description's memfd: a host call
// on it would read or map the description, not the file. mmap maps the
// file's own memory (ramfs's memfd of it) or makes a private copy; the
// others are refused and their callers fall back to read and write (as
// for a file system that cannot splice).
long sys::mmap(SyscallCall &Call) {
  if (!(Call.Arg[3] & MAP_ANONYMOUS) && PipeCalls::get(Call.Arg[4]))
    return -ENODEV;
  HeldFile F;
  if (!(Call.Arg[3] & MAP_ANONYMOUS))
    F.hold(Call.Arg[4]);
  if (!F)
    return passToHost(Call);
  long Addr = Call.Arg[0], Len = Call.Arg[1], Prot = Call.Arg[2];
  long Flags = Call.Arg[3], Offset = Call.Arg[5];
  long Sharing = Flags & (MAP_SHARED | MAP_PRIVATE | MAP_SHARED_VALIDATE);
  bool Shared = Sharing == MAP_SHARED || Sharing == MAP_SHARED_VALIDATE;
  uint32_t Access = F->Desc->Flags & O_ACCMODE;
  if (FileDispatch::pathOnly(*F))
    return -EBADF;
  // Linux's order: the arguments, the access mode (EACCES), then what the
  // file is; lengths and offsets beyond what memory allows are the host's.
  if ((Offset & 4095) || Len == 0 || (Sharing != MAP_PRIVATE && !Shared))
    return -EINVAL;
  if (Access == O_WRONLY || (Shared && (Prot & PROT_WRITE) && Access != O_RDWR))
    return -EACCES;
  if (F->Desc->IsDir)
    return -ENODEV;
  if (long E = authorise(*F); E < 0)
    return E;
  // The file's memory, shared with the server and every other mapping: a
  // shared mapping writable later (mprotect) needs it opened for writing,
  // as the host checks for its own files.
  long Mem = FsBridge::openMemory(
      F->Server, Shared && Access == O_RDWR ? O_RDWR : O_RDONLY);
  if (!isError(Mem)) {
    // Stores through the mapping never pass the server, which revoked the
    // file's lease: this description's copy is no longer the file.
    dropStaleCopy(*F);
    long At = hostCall(SYS_mmap, Addr, Len, Prot, Flags, Mem, Offset);
    (void)hostCall(SYS_close, Mem);
    return At;
  }
  // No memory object, or one this process may not open (its server's
  // /proc/<pid>/fd is not another user's to open: a process that became
  // nobody): a private copy; a shared mapping that could write would have
  // to see later writes, which no copy can.
  if (Mem != -ENODEV && Mem != -EACCES)
    return Mem;
  if (Shared && (Prot & PROT_WRITE))
    return -ENODEV;
  if (Len < 0 || Offset < 0)
    return -ENOMEM;
  return mapCopy(*F, Addr, Len, Prot, Flags, Offset);
}

//===-- The dispatch other file handlers share (FileDispatch.h) ----------===//

long FileDispatch::copyPath(long User, char *Out) {
  return ::copyPath(User, Out);
}

long FileDispatch::path(long DirFd, long UserPath, char *Abs, bool FollowLast) {
  Where To;
  if (long E = resolve(DirFd, UserPath, Abs, To, FollowLast); E < 0)
    return E;
  return To == Where::K42 ? 1 : 0;
}

long FileDispatch::twoLeftK42(SyscallCall &Call, long PathA, const char *A,
                              long PathB, const char *B, long Result) {
  if (Result != FsBridge::LeftK42 && Result != -ENOENT)
    return Result;
  char HostA[PathBytes], HostB[PathBytes];
  bool LeftA = FsBridge::hostFolderOf(A, HostA);
  bool LeftB = FsBridge::hostFolderOf(B, HostB);
  if (LeftA && LeftB) {
    SyscallCall Copy = Call;
    for (long &Arg : Copy.Arg)
      if (Arg == PathA)
        Arg = reinterpret_cast<long>(HostA);
      else if (Arg == PathB)
        Arg = reinterpret_cast<long>(HostB);
    return passToHost(Copy);
  }
  return LeftA || LeftB || Result == FsBridge::LeftK42 ? -EXDEV : Result;
}

FileDispatch::FdKind FileDispatch::fd(long Fd, HeldFile &File) {
  File.hold(-1);
  if (PipeCalls::get(Fd))
    return FdKind::Pipe;
  if (File.hold(Fd))
    return FdKind::File;
  return FdKind::Host;
}

bool FileDispatch::inGroup(uint32_t Gid, bool Effective) {
  if (Gid == uint32_t(hostCall(Effective ? SYS_getegid : SYS_getgid)))
    return true;
  gid_t Groups[256];
  long N = hostCall(SYS_getgroups, 256, reinterpret_cast<long>(Groups));
  for (long I = 0; I < N; ++I)
    if (Groups[I] == Gid)
      return true;
  return false;
}

bool FileDispatch::mayKeepSetgid(uint32_t FileGid) {
  return hostCall(SYS_geteuid) == 0 || inGroup(FileGid);
}

long FileDispatch::chmod(const char *Abs, uint32_t Mode) {
  if (Mode & S_ISGID) {
    FileAttr Attr;
    if (FsBridge::stat(Abs, true, Attr) == 0)
      Mode = chmodMode(Mode, Attr.Gid);
  }
  return FsBridge::chmod(Abs, Mode);
}

bool FileDispatch::emptyPath(long UserPath) {
  char First = 1;
  return UserPath &&
         UserMemory::copyIn(&First, reinterpret_cast<void *>(UserPath), 1) ==
             0 &&
         First == 0;
}

long FileDispatch::cwdIfEmpty(long DirFd, long UserPath, long Flags) {
  static const char Here[] = ".";
  // The kernel reads an int: a variadic syscall() leaves the upper half.
  return int(DirFd) == AT_FDCWD && (Flags & AT_EMPTY_PATH) &&
                 emptyPath(UserPath)
             ? reinterpret_cast<long>(Here)
             : UserPath;
}

namespace {
/// Asks the server where \p File is now if it said something open here
/// moved since (ServerFile::PathSeen), into the shared description. Not
/// inlined: its path buffer stays off the frames of the path calls that
/// do not need it (posix_spawn's child execs on a small stack).
[[gnu::noinline]] void refreshPath(OpenFile &File) {
  ServerFile &S = File.Server;
  GateTransport *Via = __atomic_load_n(&S.Via, __ATOMIC_ACQUIRE);
  if (!Via || S.Deferred ||
      __atomic_load_n(&S.Owner, __ATOMIC_ACQUIRE) != ProcessState::pid())
    return;
  // Counted before the call: a rename told after it moves it again.
  uint32_t Count = Via->notificationCount();
  if (Count == __atomic_load_n(&S.PathSeen, __ATOMIC_ACQUIRE))
    return;
  char Fresh[FileDispatch::PathBytes];
  if (FsBridge::filePath(S, Fresh, sizeof(Fresh)) == 0) {
    GateLockGuard Guard(File.Desc->Lock);
    std::memcpy(File.Desc->Path, Fresh, std::strlen(Fresh) + 1);
    if (File.Desc->IsDir)
      File.Desc->PathResolved = 1;
  }
  // Removed (ENOENT) or unknown: the last path stands, asked no more until
  // the count moves again.
  __atomic_store_n(&S.PathSeen, Count, __ATOMIC_RELEASE);
}
} // namespace

size_t FileDispatch::currentPath(OpenFile &File, char *Out) {
  // A posix_spawn child runs in its parent's memory, under its locks
  // (SpawnView): it reads the path as it is.
  bool Own = ProcessState::callerIsThisProcess();
  if (Own) {
    refreshPath(File);
    File.Desc->Lock.lock();
  }
  size_t N = strnlen(File.Desc->Path, PathBytes - 1);
  std::memcpy(Out, File.Desc->Path, N);
  Out[N] = 0;
  if (Own)
    File.Desc->Lock.unlock();
  return N;
}

long FileDispatch::authorise(OpenFile &File) { return ::authorise(File); }

long FileDispatch::openPath(const char *Abs, long Flags, long Mode,
                            uint64_t Key) {
  return openK42(Abs, Flags, Mode, Key);
}
