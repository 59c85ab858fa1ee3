//===- servers/ramfs/RamFileSystem.cpp - The in-memory file system --------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "RamFileSystem.h"
#include "Access.h"
#include "File.k42.h"
#include "RamClock.h"
#include "RamFile.h"
#include "RamShadow.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <mutex>
#include <sys/sysinfo.h>
#include <time.h>
#include <unistd.h>

using namespace k42;
using namespace k42::fs;
using namespace k42::ramfs;

namespace {

/// What walkPath needs, for one caller's walk.
struct RamWalk {
  using Node = RamFileSystem::Node;
  RamFileSystem &Fs;
  const Badge &Caller;

  Node root() { return Fs.root(); }
  Status lookup(const Node &Dir, std::string_view Name, Node &Child,
                bool &Found) {
    if (!Dir->isDir())
      return Status::error(ENOTDIR);
    if (!mayAccess(Dir->Attr, Caller, WantExec))
      return Status::error(EACCES);
    auto It = Dir->Names.find(Name);
    Found = It != Dir->Names.end();
    if (Found)
      Child = It->second.Node;
    return Status::ok();
  }
  bool isDir(const Node &N) { return N->isDir(); }
  bool isSymlink(const Node &N) { return N->isSymlink(); }
  Status readlink(const Node &N, std::string &Target) {
    Target = N->Target;
    return Status::ok();
  }
};

void touch(RamInode &N, bool Modified) { RamClock::changed(N, Modified); }

/// Whether \p Caller may make a new name in the directory \p R ends in:
/// write and search permission on it, and it not removed since.
Status mayCreateIn(const fs::WalkResult<RamFileSystem::Node> &R,
                   const Badge &Caller) {
  if (!mayAccess(R.Parent->Attr, Caller, WantWrite | WantExec))
    return Status::error(EACCES);
  if (R.Parent->Attr.Nlink == 0)
    return Status::error(ENOENT); // The directory was removed.
  return Status::ok();
}

} // namespace

RamFileSystem::RamFileSystem(OpenFileTable &Files)
    : Files(Files), Leases(std::make_shared<LeaseTable>(
                        [&Files](const Badge &Holder, uint32_t) {
                          return Files.notify(Holder);
                        })) {
  Root = make(S_IFDIR | 0755, Badge{});
  Root->Attr.Nlink = 2;
}

RamFileSystem::Node RamFileSystem::make(uint32_t Mode, const Badge &Caller) {
  auto N = std::make_shared<RamInode>();
  N->Attr.Dev = 0x4b42; // "KB": any number stat users can compare.
  N->Attr.Ino = NextIno.fetch_add(1);
  N->Attr.Mode = Mode;
  N->Attr.Uid = Caller.Uid;
  N->Attr.Gid = Caller.Gid;
  N->Attr.Nlink = 1;
  timespec T = RamClock::coarse();
  N->Attr.AtimeSec = N->Attr.MtimeSec = N->Attr.CtimeSec = N->Attr.BtimeSec =
      T.tv_sec;
  N->Attr.AtimeNsec = N->Attr.MtimeNsec = N->Attr.CtimeNsec =
      N->Attr.BtimeNsec = T.tv_nsec;
  return N;
}

RamFileSystem::Node RamFileSystem::makeIn(const RamInode &Dir, uint32_t Mode,
                                          const Badge &Caller) {
  Node N = make(Mode, Caller);
  if (Dir.Attr.Mode & S_ISGID) {
    N->Attr.Gid = Dir.Attr.Gid;
    if (S_ISDIR(Mode))
      N->Attr.Mode |= S_ISGID;
  }
  if (!S_ISDIR(Mode) &&
      (N->Attr.Mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP) &&
      Caller.Uid != 0 && Caller.Gid != N->Attr.Gid)
    N->Attr.Mode &= ~uint32_t(S_ISGID);
  return N;
}

namespace {
/// A directory's size as tmpfs counts it (BOGO_DIRENT_SIZE): 40 for
/// itself, 20 for each entry, so `du -b` and `ls -ld` of a tree in
/// K42's /tmp say what they say on tmpfs (they said 4096, ext4's).
constexpr int64_t DirBaseSize = 40;
constexpr int64_t DirEntrySize = 20;
} // namespace

FileAttr RamFileSystem::attributes(RamInode &N) {
  std::lock_guard<std::mutex> Guard(N.DataLock);
  // Stores through a client's mapping never pass the server: the host's
  // time of the first one since the server last looked is the file's
  // modification and change time, as tmpfs moves a mapped file's (they
  // stayed, battery 41).
  if (timespec When; N.isRegular() && N.Data.storedThrough(When)) {
    N.Attr.MtimeSec = N.Attr.CtimeSec = When.tv_sec;
    N.Attr.MtimeNsec = N.Attr.CtimeNsec = When.tv_nsec;
  }
  FileAttr A = N.Attr;
  if (N.isRegular())
    A.Size = int64_t(N.Data.size());
  else if (N.isSymlink())
    A.Size = int64_t(N.Target.size());
  else if (N.isDir())
    A.Size = DirBaseSize + DirEntrySize * int64_t(N.Names.size());
  else
    A.Size = 0; // a FIFO's bytes are its pipe's, never the file's
  // Space as tmpfs counts it (st_blocks, 512-byte units): whole 4 KiB
  // pages, so `du` and `ls -s` of a small file say 4 as on the host, and
  // none for a hole (RamData::blocks); a symlink's target of under 128
  // bytes is kept in its inode, no page.
  constexpr int64_t Page = 4096;
  int64_t Pages = (A.Size + Page - 1) / Page;
  if (N.isSymlink() && A.Size < 128)
    Pages = 0;
  A.Blocks = N.isRegular() ? int64_t(N.Data.blocks())
             : N.isDir()   ? 0 // its entries live in the inodes
                           : Pages * (Page / 512);
  return A;
}

Status RamFileSystem::resize(RamInode &N, uint64_t Size, bool Tell) {
  if (Size > FileMax)
    return Status::error(EFBIG);
  if (Status E = N.Data.resize(Size); !E)
    return E;
  touch(N, true);
  if (Tell)
    RamShadow::tell(N, RamShadow::Event::Modified);
  return Status::ok();
}

void RamFileSystem::modified(RamInode &N) {
  touch(N, true);
  RamShadow::tell(N, RamShadow::Event::Modified);
}

void RamFileSystem::setTimes(RamInode &N, const FileTimes &Times) {
  if (Times.AtimeNsec == UTIME_OMIT && Times.MtimeNsec == UTIME_OMIT)
    return; // Linux's utimensat changes nothing, not even the change time.
  std::lock_guard<std::mutex> Guard(N.DataLock);
  // Linux's setattr: the change time as any change takes it, and "now"
  // for the others is that same time.
  timespec T = RamClock::changed(N, false);
  if (Times.AtimeNsec != UTIME_OMIT) {
    bool Now = Times.AtimeNsec == UTIME_NOW;
    N.Attr.AtimeSec = Now ? T.tv_sec : Times.AtimeSec;
    N.Attr.AtimeNsec = Now ? T.tv_nsec : Times.AtimeNsec;
  }
  if (Times.MtimeNsec != UTIME_OMIT) {
    bool Now = Times.MtimeNsec == UTIME_NOW;
    N.Attr.MtimeSec = Now ? T.tv_sec : Times.MtimeSec;
    N.Attr.MtimeNsec = Now ? T.tv_nsec : Times.MtimeNsec;
  }
  // As Linux's fsnotify_change tells it: both times IN_ATTRIB, one alone
  // IN_ACCESS or IN_MODIFY.
  RamShadow::tell(N, Times.MtimeNsec == UTIME_OMIT ? RamShadow::Event::Accessed
                     : Times.AtimeNsec == UTIME_OMIT
                         ? RamShadow::Event::Modified
                         : RamShadow::Event::Attributes);
}

void RamFileSystem::enter(RamInode &Dir, const std::string &Name,
                          const Node &Child, const Badge &Caller,
                          bool Renaming) {
  Leases->changed(Dir.Attr.Ino, Caller);
  uint64_t Cookie = Dir.NextCookie++;
  Dir.Names[Name] = {Child, Cookie};
  Dir.ByCookie[Cookie] = Name;
  if (Child->isDir())
    ++Dir.Attr.Nlink;
  touch(Dir, true);
  // A new name of a file that had one is a link (its count moved).
  if (!Renaming)
    RamShadow::entered(Dir, Name, *Child,
                       !Child->isDir() && Child->Attr.Nlink > 1);
}

void RamFileSystem::remove(RamInode &Dir, std::string_view Name,
                           const Badge &Caller, bool Renaming) {
  auto It = Dir.Names.find(Name);
  if (It == Dir.Names.end())
    return;
  Node Child = It->second.Node;
  Leases->changed(Dir.Attr.Ino, Caller);
  Leases->changed(Child->Attr.Ino, Caller);
  Dir.ByCookie.erase(It->second.Cookie);
  Dir.Names.erase(It);
  if (Child->isDir()) {
    --Dir.Attr.Nlink;
    Child->Attr.Nlink = 0;
  } else {
    --Child->Attr.Nlink;
  }
  std::lock_guard<std::mutex> Guard(Child->DataLock);
  touch(*Child, false);
  touch(Dir, true);
  if (!Renaming)
    RamShadow::removed(Dir, std::string(Name), *Child,
                       Leases->openers(Child->Attr.Ino) != 0);
}

namespace {
/// Whether \p Caller may move \p N to another parent: a folder's '..'
/// changes, so it must be writable (vfs_rename's check); anything else may.
bool mayReparent(const RamInode &N, const Badge &Caller) {
  return !N.isDir() || mayAccess(N.Attr, Caller, WantWrite);
}
} // namespace

int RamFileSystem::unlinkRefusal(RamInode &Dir, RamInode &Victim,
                                 const Badge &Caller) {
  if (!mayAccess(Dir.Attr, Caller, WantWrite | WantExec))
    return EACCES;
  bool Sticky = (Dir.Attr.Mode & S_ISVTX) && Caller.Uid != 0 &&
                Caller.Uid != Dir.Attr.Uid && Caller.Uid != Victim.Attr.Uid;
  return Sticky ? EPERM : 0;
}

Status RamFileSystem::walk(const Badge &Caller, std::string_view Path,
                           uint32_t Walk, Walked &R, std::string &Restart,
                           Outcome Which) {
  RamWalk Ops{*this, Caller};
  return walkOrRestart(Ops, Path, Walk, R, Restart, Which);
}

template <typename TreeLockKind, typename Fn>
Status RamFileSystem::onFile(const Badge &Caller, std::string_view Path,
                             uint32_t Walk, std::string &Restart, Fn &&Do) {
  TreeLockKind Tree(TreeLock);
  Walked R;
  Status S = walk(Caller, Path, Walk, R, Restart);
  if (!S || S.value() != Done)
    return S;
  if (Status E = R.mustExist(); !E)
    return E;
  if (Status E = Do(*R.Last); !E)
    return E;
  return S;
}

Status RamFileSystem::open(const Badge &Caller, std::string_view Path,
                           uint32_t Flags, uint32_t Mode, uint32_t Walk,
                           ObjectHandle &File, FileAttr &Attr,
                           std::vector<uint8_t> &Data, std::string &Restart) {
  Data.clear();
  // O_PATH names the file and opens it for nothing (open(2)): no access
  // mode, no permission asked of the file, nothing created or truncated,
  // and with O_NOFOLLOW a symlink is the handle's file itself.
  bool PathOnly = Flags & O_PATH;
  if (PathOnly)
    Flags &= O_PATH | O_NOFOLLOW | O_DIRECTORY;
  uint32_t Access = Flags & O_ACCMODE;
  if (Access == O_ACCMODE)
    return Status::error(EINVAL);
  bool Reads = !PathOnly && Access != O_WRONLY;
  bool Writes = !PathOnly && Access != O_RDONLY;
  if (Flags & O_NOFOLLOW || (Flags & O_CREAT && Flags & O_EXCL))
    Walk |= WalkNoFollow;
  std::unique_lock<std::shared_mutex> Tree(TreeLock);
  Walked R;
  Status S = walk(Caller, Path, Walk, R, Restart);
  if (!S || S.value() != Done)
    return S;
  Node N = R.Last;
  // O_TMPFILE (the kernel's bit): an unnamed file in the folder Path
  // names, linked nowhere until linkOpen names it.
  constexpr uint32_t TmpfileBit = 020000000;
  bool Unnamed = (Flags & TmpfileBit) && !PathOnly;
  bool Truncated = false; // an existing file emptied by O_TRUNC
  if (Unnamed) {
    if (!R.Exists)
      return Status::error(ENOENT);
    if (!N->isDir())
      return Status::error(ENOTDIR);
    if (!Writes)
      return Status::error(EINVAL);
    if (!mayAccess(N->Attr, Caller, WantWrite | WantExec))
      return Status::error(EACCES);
    Node Dir = N;
    N = makeIn(*Dir, S_IFREG | (Mode & 07777), Caller);
    N->Attr.Nlink = 0;
    N->Linkable = !(Flags & O_EXCL);
  } else if (!R.Exists) {
    if (!(Flags & O_CREAT))
      return Status::error(ENOENT);
    if (R.MustBeDir || Flags & O_DIRECTORY)
      return Status::error(EISDIR);
    if (Status E = mayCreateIn(R, Caller); !E)
      return E;
    N = makeIn(*R.Parent, S_IFREG | (Mode & 07777), Caller);
    enter(*R.Parent, R.Name, N, Caller);
  } else {
    if (Flags & O_CREAT && Flags & O_EXCL)
      return Status::error(EEXIST);
    // A folder is not a file to create (Linux: EISDIR for O_CREAT on one),
    // and O_DIRECTORY's ENOTDIR comes before a symlink's ELOOP.
    if (N->isDir() && (Flags & O_CREAT))
      return Status::error(EISDIR);
    if ((R.MustBeDir || Flags & O_DIRECTORY) && !N->isDir())
      return Status::error(ENOTDIR);
    if (N->isSymlink() && !PathOnly)
      return Status::error(ELOOP);
    if (S_ISSOCK(N->Attr.Mode) && !PathOnly)
      return Status::error(ENXIO); // open(2): a socket is connected to

    // O_TRUNC asks for writing, whatever the access mode (Linux's
    // acc_mode): O_RDONLY | O_TRUNC empties a file the caller may write.
    bool Truncates = (Flags & O_TRUNC) && !PathOnly;
    if (N->isDir() && (Writes || Truncates))
      return Status::error(EISDIR);
    if ((Reads && !mayAccess(N->Attr, Caller, WantRead)) ||
        ((Writes || Truncates) && !mayAccess(N->Attr, Caller, WantWrite)))
      return Status::error(EACCES);
    // O_NOATIME is the owner's (or root's), as Linux's may_open asks.
    if ((Flags & O_NOATIME) && !PathOnly && !mayOwn(N->Attr, Caller))
      return Status::error(EPERM);
    if (Truncates && N->isRegular()) {
      std::lock_guard<std::mutex> Guard(N->DataLock);
      // Told after the open below, whose stand-in open is IN_OPEN: Linux
      // opens, then truncates (IN_OPEN before IN_MODIFY).
      (void)resize(*N, 0, /*Tell=*/false);
      removePrivileges(N->Attr, Caller.Uid); // as truncate's
      Truncated = true;
    }
  }
  RightsMask Rights = (Reads ? MetaFile::Rights::read : 0) |
                      (Writes ? MetaFile::Rights::write : 0);
  // Revokes another client's lease before this open is answered; a lease
  // for this one only if nobody else has the file open.
  // A mapped file's stores never pass the server, so no client may hold a
  // copy of it: no lease once a client was handed its memfd (RamData).
  // A reader's lease (an open for reading only, of a file or a directory)
  // lets its client answer fstat from this open's attributes while nobody
  // else opens or changes it (enter and remove revoke a directory's).
  // A watched file's changes must pass the server (RamShadow): no lease.
  bool Leasable = (Writes ? N->isRegular() : N->isRegular() || N->isDir()) &&
                  !N->Shadow.load(std::memory_order_relaxed);
  uint32_t Lease = Leases->opened(N->Attr.Ino, Caller,
                                  (Walk & WalkLease) && (Writes || Reads) &&
                                      Leasable && !N->Data.mapped(),
                                  PathOnly);
  auto Opened =
      std::make_shared<RamFile>(*this, N, Leases, Caller.Pid, Caller.Uid);
  if (PathOnly)
    Opened->markPathOnly();
  if (Flags & O_NOATIME)
    Opened->markNoAtime();
  if (!Unnamed)
    Opened->openedAs(R.Parent, R.Name); // a file's path follows this name
  uint64_t Key = Keys->add(N, PathOnly ? uint32_t(O_PATH) : Access);
  Opened->keep(Keys, Key);
  if (Truncated)
    RamShadow::tell(*N, RamShadow::Event::Modified);
  Result<ObjectHandle> H = Files.add(Opened, Rights, Caller.Pid);
  if (!H)
    return H.status();
  File = *H;
  // A small file its only reader holds (WalkData): its bytes come with the
  // open, read as a pread of them all would (the access time moves), so
  // the client's first read needs no call. The lease keeps them current:
  // any other client's open or change revokes it first.
  if (Lease && Reads && !Writes && (Walk & WalkData) && N->isRegular() &&
      N->Data.size() <= OpenDataMax) {
    std::lock_guard<std::mutex> Guard(N->DataLock);
    if (N->Data.size() != 0 && !(Flags & O_NOATIME))
      RamClock::accessed(*N);
    if (!N->Data.read(0, N->Data.size(), Data))
      Data.clear(); // not whole: the client reads by calls instead
  }
  // A directory its only reader holds: its whole listing, if it fits, as
  // the first readdir from 0 would give it (the access time moves). Read
  // under the shared tree lock, as readdir is: a change meanwhile by
  // another client revokes the lease, counted by the client from before
  // this open.
  if (Lease && Reads && (Walk & WalkData) && N->isDir()) {
    Tree.unlock();
    Opened->listAll(Data);
    std::shared_lock<std::shared_mutex> Again(TreeLock);
    Attr = attributes(*N);
    Attr.Lease = Lease;
    Attr.OpenKey = Key;
    return Status::ok(Done);
  }
  Attr = attributes(*N);
  Attr.Lease = Lease;
  Attr.OpenKey = Key;
  return Status::ok(Done);
}

Status RamFileSystem::reopen(const Badge &Caller, uint64_t Key, uint32_t Flags,
                             ObjectHandle &File, FileAttr &Attr) {
  bool PathOnly = Flags & O_PATH;
  uint32_t Access = PathOnly ? uint32_t(O_PATH) : Flags & O_ACCMODE;
  if (Access == O_ACCMODE)
    return Status::error(EINVAL);
  bool Reads = !PathOnly && Access != O_WRONLY;
  bool Writes = !PathOnly && Access != O_RDONLY;
  // As open takes it: another client's lease is revoked before this open
  // is answered (the file now has a second process).
  std::unique_lock<std::shared_mutex> Tree(TreeLock);
  bool Denied = false;
  Node N = Keys->hold(Key, Access, Denied);
  if (Denied) {
    // More than the key's open had (a write-only descriptor's
    // /proc/self/fd link opened for reading, an O_PATH one's for either):
    // as Linux opens the file such a link names, the file's own mode
    // decides, for the caller.
    N = Keys->hold(Key, uint32_t(O_PATH), Denied);
    if (N && ((N->isDir() && Writes) ||
              (Reads && !mayAccess(N->Attr, Caller, WantRead)) ||
              (Writes && !mayAccess(N->Attr, Caller, WantWrite)))) {
      Keys->drop(Key);
      return Status::error(N->isDir() && Writes ? EISDIR : EACCES);
    }
  }
  if (!N)
    return Status::error(ESTALE);
  (void)Leases->opened(N->Attr.Ino, Caller, false, PathOnly);
  auto Opened =
      std::make_shared<RamFile>(*this, N, Leases, Caller.Pid, Caller.Uid);
  if (PathOnly)
    Opened->markPathOnly();
  Opened->keep(Keys, Key); // the hold taken above
  RightsMask Rights = (Reads ? MetaFile::Rights::read : 0) |
                      (Writes ? MetaFile::Rights::write : 0);
  Result<ObjectHandle> H = Files.add(Opened, Rights, Caller.Pid);
  if (!H)
    return H.status();
  File = *H;
  Attr = attributes(*N);
  Attr.OpenKey = Key;
  return Status::ok();
}

Status RamFileSystem::stat(const Badge &Caller, std::string_view Path,
                           uint32_t Walk, FileAttr &Attr,
                           std::string &Restart) {
  return onFile(Caller, Path, Walk, Restart, [&](RamInode &N) {
    Attr = attributes(N);
    RamClock::queried(N);
    return Status::ok();
  });
}

Status RamFileSystem::mkdir(const Badge &Caller, std::string_view Path,
                            uint32_t Mode, uint32_t Walk,
                            std::string &Restart) {
  std::unique_lock<std::shared_mutex> Tree(TreeLock);
  Walked R;
  Status S = walk(Caller, Path, Walk | WalkNoFollow | WalkLastAsIs, R, Restart);
  if (!S || S.value() != Done)
    return S;
  if (R.Exists)
    return Status::error(EEXIST);
  if (Status E = mayCreateIn(R, Caller); !E)
    return E;
  Node N = makeIn(*R.Parent, S_IFDIR | (Mode & 07777), Caller);
  N->Attr.Nlink = 2;
  N->Parent = R.Parent;
  enter(*R.Parent, R.Name, N, Caller);
  return S;
}

Status RamFileSystem::mknod(const Badge &Caller, std::string_view Path,
                            uint32_t Mode, uint32_t Walk,
                            std::string &Restart) {
  std::unique_lock<std::shared_mutex> Tree(TreeLock);
  Walked R;
  Status S = walk(Caller, Path, Walk | WalkNoFollow | WalkLastAsIs, R, Restart);
  if (!S || S.value() != Done)
    return S;
  if (R.Exists)
    return Status::error(EEXIST);
  if (R.MustBeDir)
    return Status::error(ENOENT); // "fifo/" names no directory to make
  // Regular files (no open: no IN_OPEN or IN_CLOSE for a watcher, as
  // Linux's mknod), FIFOs, and sockets (as tmpfs: the personality's bind
  // makes its name so, and mknod may); no device nodes.
  if (!S_ISREG(Mode) && !S_ISFIFO(Mode) && !S_ISSOCK(Mode))
    return Status::error(EPERM);
  if (Status E = mayCreateIn(R, Caller); !E)
    return E;
  enter(*R.Parent, R.Name,
        makeIn(*R.Parent, (Mode & S_IFMT) | (Mode & 07777), Caller), Caller);
  return S;
}

Status RamFileSystem::rmdir(const Badge &Caller, std::string_view Path,
                            uint32_t Walk, std::string &Restart) {
  std::unique_lock<std::shared_mutex> Tree(TreeLock);
  Walked R;
  Status S = walk(Caller, Path, Walk | WalkNoFollow | WalkLastAsIs, R, Restart);
  if (!S || S.value() != Done)
    return S;
  if (Status E = R.mustExist(); !E)
    return E;
  if (R.Name.empty())
    return Status::error(R.Last->isDir() ? EBUSY : ENOTDIR);
  if (R.Dotted)
    return Status::error(EINVAL);
  // Linux's order (may_delete): the parent's permission and the sticky
  // rule, then the victim's kind, then its contents.
  if (int E = unlinkRefusal(*R.Parent, *R.Last, Caller))
    return Status::error(E);
  if (!R.Last->isDir())
    return Status::error(ENOTDIR);
  if (!R.Last->Names.empty())
    return Status::error(ENOTEMPTY);
  // A process whose current directory this is follows it (its getcwd is
  // then ENOENT, as Linux's): told, as a rename tells.
  tellOpenersBelow({R.Last.get()});
  remove(*R.Parent, R.Name, Caller);
  return S;
}

Status RamFileSystem::unlink(const Badge &Caller, std::string_view Path,
                             uint32_t Walk, std::string &Restart) {
  std::unique_lock<std::shared_mutex> Tree(TreeLock);
  Walked R;
  Status S = walk(Caller, Path, Walk | WalkNoFollow | WalkLastAsIs, R, Restart);
  if (!S || S.value() != Done)
    return S;
  if (!R.Exists)
    return Status::error(ENOENT);
  // A trailing slash is the path's error (do_unlinkat), before any
  // permission; then may_delete's: the parent's permission and the sticky
  // rule, then the victim's kind.
  if (R.MustBeDir)
    return Status::error(R.Last->isDir() ? EISDIR : ENOTDIR);
  if (int E = unlinkRefusal(*R.Parent, *R.Last, Caller))
    return Status::error(E);
  if (R.Last->isDir())
    return Status::error(EISDIR);
  Leases->changed(R.Last->Attr.Ino, Caller);
  remove(*R.Parent, R.Name, Caller);
  return S;
}

Status RamFileSystem::rename(const Badge &Caller, std::string_view From,
                             std::string_view To, uint32_t Flags, uint32_t Walk,
                             std::string &Restart) {
  if (!validRenameFlags(Flags))
    return Status::error(EINVAL);
  std::unique_lock<std::shared_mutex> Tree(TreeLock);
  Walked A, B;
  Status S = walk(Caller, From, Walk | WalkNoFollow | WalkLastAsIs, A, Restart);
  if (!S || S.value() != Done)
    return S;
  S = walk(Caller, To, Walk | WalkNoFollow | WalkLastAsIs, B, Restart,
           RestartSecond);
  if (!S || S.value() != Done)
    return S;
  if (Status E = checkRenamePaths(A, B); !E)
    return E;
  if (Flags & RenameExchange) {
    if (Status E = exchange(Caller, A, B); !E)
      return E;
    return S;
  }
  Node Moving = A.Last;
  if ((A.MustBeDir || B.MustBeDir) && !Moving->isDir())
    return Status::error(ENOTDIR);
  if (B.Exists && (Flags & RenameNoReplace))
    return Status::error(EEXIST); // also a name onto itself, as Linux
  if (B.Exists && B.Last == Moving)
    return S; // Two names of one file: nothing to do.
  // Not into itself or below it: Linux's EINVAL before what the target's
  // kind or contents would say (rename("a", "a/b") with a/b a full folder).
  if (Moving->isDir())
    for (Node D = B.Parent; D; D = D->Parent.lock())
      if (D == Moving)
        return Status::error(EINVAL);
  // vfs_rename's order: may_delete of the source, may_create or
  // may_delete of the target (its kind after its permission), a folder
  // moved to another parent writable itself (its '..' changes), then
  // the target folder's contents.
  if (int E = unlinkRefusal(*A.Parent, *Moving, Caller))
    return Status::error(E);
  if (!B.Exists && B.Parent->Attr.Nlink == 0)
    return Status::error(ENOENT);
  if (!B.Exists && !mayAccess(B.Parent->Attr, Caller, WantWrite | WantExec))
    return Status::error(EACCES);
  if (B.Exists) {
    if (int E = unlinkRefusal(*B.Parent, *B.Last, Caller))
      return Status::error(E);
    if (Moving->isDir() && !B.Last->isDir())
      return Status::error(ENOTDIR);
    if (!Moving->isDir() && B.Last->isDir())
      return Status::error(EISDIR);
  }
  if (B.Parent != A.Parent && !mayReparent(*Moving, Caller))
    return Status::error(EACCES);
  if (B.Exists && B.Last->isDir() && !B.Last->Names.empty())
    return Status::error(ENOTEMPTY);
  if (B.Parent->Attr.Nlink == 0)
    return Status::error(ENOENT);
  // Nothing fails from here. The opens made by the name moved follow it;
  // every process holding the moved file open, or (a directory moved)
  // anything below it, is told (its descriptors' paths changed:
  // File::path) before this call returns, as a lease is taken back (and
  // its leases go with it: the revocations below then tell it nothing
  // twice).
  opensFollow(*Moving, *A.Parent, A.Name, B.Parent, B.Name);
  tellOpenersBelow({Moving.get()});
  Leases->changed(Moving->Attr.Ino, Caller);
  Node Replaced = B.Exists ? B.Last : nullptr;
  if (B.Exists) {
    Leases->changed(B.Last->Attr.Ino, Caller);
    remove(*B.Parent, B.Name, Caller, /*Renaming=*/true);
  }
  // Keep the moving inode's count: it leaves one name for another.
  Leases->changed(A.Parent->Attr.Ino, Caller);
  auto It = A.Parent->Names.find(A.Name);
  A.Parent->ByCookie.erase(It->second.Cookie);
  A.Parent->Names.erase(It);
  if (Moving->isDir())
    --A.Parent->Attr.Nlink;
  touch(*A.Parent, true);
  enter(*B.Parent, B.Name, Moving, Caller, /*Renaming=*/true);
  if (Moving->isDir())
    Moving->Parent = B.Parent;
  RamShadow::renamed(*A.Parent, A.Name, *B.Parent, B.Name, *Moving,
                     Replaced.get());
  std::lock_guard<std::mutex> Guard(Moving->DataLock);
  touch(*Moving, false);
  return S;
}

void RamFileSystem::opensFollow(RamInode &N, const RamInode &FromDir,
                                const std::string &FromName, const Node &ToDir,
                                const std::string &ToName) {
  if (N.isDir())
    return;
  std::lock_guard<std::mutex> Guard(N.OpensLock);
  for (RamFile *F : N.Opens)
    F->moved(FromDir, FromName, ToDir, ToName);
}

void RamFileSystem::tellOpenersBelow(std::initializer_list<RamInode *> Roots) {
  std::vector<ProcessId> Told;
  std::vector<RamInode *> Below(Roots);
  while (!Below.empty()) {
    RamInode *D = Below.back();
    Below.pop_back();
    Leases->tellOpeners(D->Attr.Ino, Told);
    for (auto &[Name, Entry] : D->Names)
      Below.push_back(Entry.Node.get());
  }
}

Status RamFileSystem::exchange(const Badge &Caller, Walked &A, Walked &B) {
  // Linux's order (do_renameat2): the second name exists, a trailing
  // slash only on a folder, one of them not above the other.
  if (!B.Exists)
    return Status::error(ENOENT);
  Node X = A.Last, Y = B.Last;
  if ((A.MustBeDir && !X->isDir()) || (B.MustBeDir && !Y->isDir()))
    return Status::error(ENOTDIR);
  if (X == Y)
    return Status::ok();
  for (Node D = B.Parent; D; D = D->Parent.lock())
    if (D == X)
      return Status::error(EINVAL);
  for (Node D = A.Parent; D; D = D->Parent.lock())
    if (D == Y)
      return Status::error(EINVAL);
  if (int E = unlinkRefusal(*A.Parent, *X, Caller))
    return Status::error(E);
  if (int E = unlinkRefusal(*B.Parent, *Y, Caller))
    return Status::error(E);
  // A folder that changes parent is written ('..'), as vfs_rename asks.
  if (A.Parent != B.Parent &&
      (!mayReparent(*X, Caller) || !mayReparent(*Y, Caller)))
    return Status::error(EACCES);
  // Nothing fails from here. As rename's: the opens of each file follow
  // its new name, and every process holding one of them (or anything
  // below a folder) open is told.
  opensFollow(*X, *A.Parent, A.Name, B.Parent, B.Name);
  opensFollow(*Y, *B.Parent, B.Name, A.Parent, A.Name);
  tellOpenersBelow({X.get(), Y.get()});
  for (RamInode *N : {X.get(), Y.get(), A.Parent.get(), B.Parent.get()})
    Leases->changed(N->Attr.Ino, Caller);
  // Each name keeps its place in its folder's listing (its cookie).
  std::swap(A.Parent->Names.find(A.Name)->second.Node,
            B.Parent->Names.find(B.Name)->second.Node);
  if (A.Parent != B.Parent) {
    if (X->isDir()) {
      X->Parent = B.Parent;
      --A.Parent->Attr.Nlink;
      ++B.Parent->Attr.Nlink;
    }
    if (Y->isDir()) {
      Y->Parent = A.Parent;
      --B.Parent->Attr.Nlink;
      ++A.Parent->Attr.Nlink;
    }
  }
  touch(*A.Parent, true);
  if (B.Parent != A.Parent)
    touch(*B.Parent, true);
  RamShadow::exchanged(*A.Parent, A.Name, *B.Parent, B.Name, *X, *Y);
  for (RamInode *N : {X.get(), Y.get()}) {
    std::lock_guard<std::mutex> Guard(N->DataLock);
    touch(*N, false);
  }
  return Status::ok();
}

Status RamFileSystem::link(const Badge &Caller, std::string_view Existing,
                           std::string_view NewPath, uint32_t Walk,
                           std::string &Restart) {
  std::unique_lock<std::shared_mutex> Tree(TreeLock);
  Walked A, B;
  // The existing name is looked up as a whole (a trailing slash follows
  // it, as Linux's filename_lookup); the new one by its parent.
  Status S = walk(Caller, Existing, Walk | WalkNoFollow, A, Restart);
  if (!S || S.value() != Done)
    return S;
  S = walk(Caller, NewPath, Walk | WalkNoFollow | WalkLastAsIs, B, Restart,
           RestartSecond);
  if (!S || S.value() != Done)
    return S;
  if (Status E = A.mustExist(); !E)
    return E;
  if (Status E = addLink(A.Last, B, Caller); !E)
    return E;
  return S;
}

namespace {
/// The host's fs.protected_hardlinks, read once: K42's files follow the
/// host's rule.
bool protectedHardlinks() {
  static const bool On = [] {
    char C = '0';
    int Fd = ::open("/proc/sys/fs/protected_hardlinks", O_RDONLY | O_CLOEXEC);
    if (Fd >= 0) {
      if (::read(Fd, &C, 1) != 1)
        C = '0';
      ::close(Fd);
    }
    return C != '0';
  }();
  return On;
}

/// Linux's may_linkat under protected_hardlinks: a file \p Caller does
/// not own is linked only if it is a regular file that is neither
/// set-user-id nor set-group-id executable and that \p Caller may read
/// and write.
bool mayLinkFrom(const RamInode &N, const Badge &Caller) {
  if (!protectedHardlinks() || mayOwn(N.Attr, Caller))
    return true;
  const FileAttr &A = N.Attr;
  return N.isRegular() && !(A.Mode & S_ISUID) &&
         (A.Mode & (S_ISGID | S_IXGRP)) != (S_ISGID | S_IXGRP) &&
         mayAccess(A, Caller, WantRead | WantWrite);
}
} // namespace

Status RamFileSystem::addLink(const Node &N, Walked &B, const Badge &Caller) {
  // Before the new name's checks, as do_linkat asks it.
  if (!mayLinkFrom(*N, Caller))
    return Status::error(EPERM);
  if (N->isDir())
    return Status::error(EPERM);
  if (B.Exists)
    return Status::error(EEXIST);
  if (B.MustBeDir)
    return Status::error(ENOENT);
  if (!mayAccess(B.Parent->Attr, Caller, WantWrite | WantExec))
    return Status::error(EACCES);
  if (B.Parent->Attr.Nlink == 0)
    return Status::error(ENOENT);
  // Its link count and ctime change: a lease holder's attributes go.
  Leases->changed(N->Attr.Ino, Caller);
  ++N->Attr.Nlink;
  N->Linkable = false;
  enter(*B.Parent, B.Name, N, Caller);
  std::lock_guard<std::mutex> Guard(N->DataLock);
  touch(*N, false);
  return Status::ok();
}

namespace {
/// The namespaces of extended attributes ramfs keeps.
enum class XattrSpace { User, Trusted, Other };

XattrSpace xattrSpace(std::string_view Name) {
  if (Name.size() > 5 && Name.substr(0, 5) == "user.")
    return XattrSpace::User;
  if (Name.size() > 8 && Name.substr(0, 8) == "trusted.")
    return XattrSpace::Trusted;
  return XattrSpace::Other;
}

/// Linux's limits: a name of 1 to 255 bytes (ERANGE), a value of at most
/// 64 KiB (E2BIG); and, as tmpfs bounds them, the values of one file
/// together (ENOSPC).
constexpr size_t XattrNameMax = 255;
constexpr size_t XattrValueMax = 65536;
constexpr size_t XattrTotalMax = size_t(1) << 20;

/// Linux's xattr_permission for \p Caller on \p N in namespace \p Space,
/// to write or read: 0 or the errno. `trusted.` is root's (others do not
/// see it); `user.` only on regular files and folders, a sticky folder's
/// written only by its owner or root, then the file's permission bits.
int xattrAccess(const RamInode &N, const Badge &Caller, XattrSpace Space,
                bool Write) {
  if (Space == XattrSpace::Trusted)
    return Caller.Uid == 0 ? 0 : (Write ? EPERM : ENODATA);
  if (!N.isRegular() && !N.isDir())
    return Write ? EPERM : ENODATA;
  if (Write && N.isDir() && (N.Attr.Mode & S_ISVTX) && Caller.Uid != 0 &&
      Caller.Uid != N.Attr.Uid)
    return EPERM;
  return mayAccess(N.Attr, Caller, Write ? WantWrite : WantRead) ? 0 : EACCES;
}

/// A name's own errors, before the file is looked at.
int xattrName(std::string_view Name) {
  if (Name.empty() || Name.size() > XattrNameMax)
    return ERANGE;
  return xattrSpace(Name) == XattrSpace::Other ? EOPNOTSUPP : 0;
}
} // namespace

Status RamFileSystem::setxattr(const Badge &Caller, std::string_view Path,
                               std::string_view Name,
                               std::span<const uint8_t> Value, uint32_t Flags,
                               uint32_t Walk, std::string &Restart) {
  constexpr uint32_t Create = 1, Replace = 2; // XATTR_CREATE, XATTR_REPLACE
  if (Flags & ~(Create | Replace))
    return Status::error(EINVAL);
  if (Value.size() > XattrValueMax)
    return Status::error(E2BIG);
  if (int E = xattrName(Name))
    return Status::error(E);
  return onFile(Caller, Path, Walk, Restart, [&](RamInode &N) {
    if (int E = xattrAccess(N, Caller, xattrSpace(Name), true))
      return Status::error(E);
    std::lock_guard<std::mutex> Guard(N.DataLock);
    auto It = N.Xattrs.find(Name);
    if ((Flags & Create) && It != N.Xattrs.end())
      return Status::error(EEXIST);
    if ((Flags & Replace) && It == N.Xattrs.end())
      return Status::error(ENODATA);
    size_t Total = Value.size() + Name.size();
    for (const auto &[Key, Bytes] : N.Xattrs)
      if (It == N.Xattrs.end() || Key != It->first)
        Total += Key.size() + Bytes.size();
    if (Total > XattrTotalMax)
      return Status::error(ENOSPC);
    if (It == N.Xattrs.end())
      It = N.Xattrs.emplace(std::string(Name), std::vector<uint8_t>()).first;
    It->second.assign(Value.begin(), Value.end());
    touch(N, false);
    Leases->changed(N.Attr.Ino, Caller);
    // Linux's fsnotify_xattr: IN_ATTRIB to the file's watchers.
    RamShadow::tell(N, RamShadow::Event::Attributes);
    return Status::ok();
  });
}

Status RamFileSystem::getxattr(const Badge &Caller, std::string_view Path,
                               std::string_view Name, uint32_t Walk,
                               std::vector<uint8_t> &Value,
                               std::string &Restart) {
  Value.clear();
  if (int E = xattrName(Name))
    return Status::error(E == EOPNOTSUPP ? ENODATA : E);
  return onFile(Caller, Path, Walk, Restart, [&](RamInode &N) {
    if (int E = xattrAccess(N, Caller, xattrSpace(Name), false))
      return Status::error(E);
    std::lock_guard<std::mutex> Guard(N.DataLock);
    auto It = N.Xattrs.find(Name);
    if (It == N.Xattrs.end())
      return Status::error(ENODATA);
    Value = It->second;
    return Status::ok();
  });
}

Status RamFileSystem::listxattr(const Badge &Caller, std::string_view Path,
                                uint32_t Walk, std::vector<uint8_t> &Names,
                                std::string &Restart) {
  Names.clear();
  return onFile(Caller, Path, Walk, Restart, [&](RamInode &N) {
    std::lock_guard<std::mutex> Guard(N.DataLock);
    for (const auto &[Key, Bytes] : N.Xattrs) {
      if (xattrSpace(Key) == XattrSpace::Trusted && Caller.Uid != 0)
        continue;
      Names.insert(Names.end(), Key.begin(), Key.end());
      Names.push_back(0);
    }
    return Status::ok();
  });
}

Status RamFileSystem::removexattr(const Badge &Caller, std::string_view Path,
                                  std::string_view Name, uint32_t Walk,
                                  std::string &Restart) {
  if (int E = xattrName(Name))
    return Status::error(E);
  return onFile(Caller, Path, Walk, Restart, [&](RamInode &N) {
    if (int E = xattrAccess(N, Caller, xattrSpace(Name), true))
      return Status::error(E);
    std::lock_guard<std::mutex> Guard(N.DataLock);
    auto It = N.Xattrs.find(Name);
    if (It == N.Xattrs.end())
      return Status::error(ENODATA);
    N.Xattrs.erase(It);
    touch(N, false);
    Leases->changed(N.Attr.Ino, Caller);
    RamShadow::tell(N, RamShadow::Event::Attributes);
    return Status::ok();
  });
}

Status RamFileSystem::linkOpen(const Badge &Caller, std::string_view Path,
                               uint64_t Key, uint32_t Walk,
                               std::string &Restart) {
  std::unique_lock<std::shared_mutex> Tree(TreeLock);
  Walked B;
  Status S = walk(Caller, Path, Walk | WalkNoFollow | WalkLastAsIs, B, Restart);
  if (!S || S.value() != Done)
    return S;
  bool Denied = false;
  Node N = Keys->hold(Key, uint32_t(O_PATH), Denied);
  if (!N)
    return Status::error(ESTALE);
  Keys->drop(Key); // the hold was only to find the file
  if (!N->isDir() && N->Attr.Nlink == 0 && !N->Linkable)
    return Status::error(ENOENT);
  if (Status E = addLink(N, B, Caller); !E)
    return E;
  return S;
}

Status RamFileSystem::symlink(const Badge &Caller, std::string_view Target,
                              std::string_view Path, uint32_t Walk,
                              std::string &Restart) {
  if (Target.empty())
    return Status::error(ENOENT);
  if (Target.size() > PathMax)
    return Status::error(ENAMETOOLONG);
  if (Target.find('\0') != std::string_view::npos)
    return Status::error(EINVAL);
  std::unique_lock<std::shared_mutex> Tree(TreeLock);
  Walked R;
  Status S = walk(Caller, Path, Walk | WalkNoFollow | WalkLastAsIs, R, Restart);
  if (!S || S.value() != Done)
    return S;
  if (R.Exists)
    return Status::error(EEXIST);
  if (R.MustBeDir)
    return Status::error(ENOENT);
  if (Status E = mayCreateIn(R, Caller); !E)
    return E;
  Node N = makeIn(*R.Parent, S_IFLNK | 0777, Caller);
  N->Target = std::string(Target);
  enter(*R.Parent, R.Name, N, Caller);
  return S;
}

Status RamFileSystem::readlink(const Badge &Caller, std::string_view Path,
                               uint32_t Walk, std::string &Target,
                               std::string &Restart) {
  return onFile(Caller, Path, Walk | WalkNoFollow, Restart, [&](RamInode &N) {
    if (!N.isSymlink())
      return Status::error(EINVAL);
    Target = N.Target;
    // Linux's readlink moves the link's access time (touch_atime), by
    // the relatime rule.
    std::lock_guard<std::mutex> Guard(N.DataLock);
    RamClock::accessed(N);
    return Status::ok();
  });
}

Status RamFileSystem::chmod(const Badge &Caller, std::string_view Path,
                            uint32_t Mode, uint32_t Walk,
                            std::string &Restart) {
  return onFile<Exclusive>(Caller, Path, Walk, Restart, [&](RamInode &N) {
    if (!mayOwn(N.Attr, Caller))
      return Status::error(EPERM);
    if (N.isSymlink())
      return Status::error(EOPNOTSUPP); // As Linux: a symlink has no mode.
    Leases->changed(N.Attr.Ino, Caller);
    std::lock_guard<std::mutex> Guard(N.DataLock);
    N.Attr.Mode = (N.Attr.Mode & S_IFMT) | (Mode & 07777);
    touch(N, false);
    RamShadow::tell(N, RamShadow::Event::Attributes);
    return Status::ok();
  });
}

Status RamFileSystem::truncate(const Badge &Caller, std::string_view Path,
                               uint64_t Size, uint32_t Walk,
                               std::string &Restart) {
  return onFile(Caller, Path, Walk, Restart, [&](RamInode &N) {
    if (N.isDir())
      return Status::error(EISDIR);
    if (!N.isRegular())
      return Status::error(EINVAL);
    if (!mayAccess(N.Attr, Caller, WantWrite))
      return Status::error(EACCES);
    std::lock_guard<std::mutex> Guard(N.DataLock);
    if (Status E = resize(N, Size); !E)
      return E;
    removePrivileges(N.Attr, Caller.Uid);
    Leases->changed(N.Attr.Ino, Caller);
    return Status::ok();
  });
}

Status RamFileSystem::utimens(const Badge &Caller, std::string_view Path,
                              const FileTimes &Times, uint32_t Walk,
                              std::string &Restart) {
  return onFile<Exclusive>(Caller, Path, Walk, Restart, [&](RamInode &N) {
    bool OnlyNow = Times.AtimeNsec == UTIME_NOW && Times.MtimeNsec == UTIME_NOW;
    if (!mayOwn(N.Attr, Caller) &&
        !(OnlyNow && mayAccess(N.Attr, Caller, WantWrite)))
      return Status::error(OnlyNow ? EACCES : EPERM);
    Leases->changed(N.Attr.Ino, Caller);
    setTimes(N, Times);
    return Status::ok();
  });
}

Status RamFileSystem::chownNode(RamInode &N, const Badge &Caller, uint32_t Uid,
                                uint32_t Gid) {
  if (int E = mayChown(N.Attr, Caller, Uid, Gid))
    return Status::error(E);
  std::lock_guard<std::mutex> Guard(N.DataLock);
  applyChown(N.Attr, Uid, Gid);
  touch(N, false);
  RamShadow::tell(N, RamShadow::Event::Attributes);
  return Status::ok();
}

Status RamFileSystem::chown(const Badge &Caller, std::string_view Path,
                            uint32_t Uid, uint32_t Gid, uint32_t Walk,
                            std::string &Restart) {
  return onFile<Exclusive>(Caller, Path, Walk, Restart, [&](RamInode &N) {
    Leases->changed(N.Attr.Ino, Caller);
    return chownNode(N, Caller, Uid, Gid);
  });
}

Status RamFileSystem::watch(const Badge &Caller, std::string_view Path,
                            uint32_t Walk, std::string &HostPath,
                            std::string &Restart) {
  return onFile<Exclusive>(Caller, Path, Walk, Restart, [&](RamInode &N) {
    if (!mayAccess(N.Attr, Caller, WantRead))
      return Status::error(EACCES);
    int Error = 0;
    RamShadow *Shadow = RamShadow::ensure(N, ShadowFolder, Error);
    if (!Shadow)
      return Status::error(Error == ENOSPC ? ENOSPC : ENOMEM);
    // From now on every change of it (and of a directory's entries, which
    // got stand-ins of their own) passes the server: a client serving one
    // from its own copy gives it up first.
    Leases->revoke(N.Attr.Ino);
    for (auto &[Name, Entry] : N.Names)
      Leases->revoke(Entry.Node->Attr.Ino);
    HostPath = Shadow->hostPath();
    if (HostPath.empty())
      return Status::error(ENOENT);
    return Status::ok();
  });
}

Status RamFileSystem::statfs(FsInfo &Info) {
  Info = FsInfo();
  Info.Type = RAMFS_MAGIC;
  // Sizes as an unlimited tmpfs would give them: the host's memory, what is
  // free of it (so df has figures to show; ramfs itself sets no limit).
  struct sysinfo Mem;
  if (sysinfo(&Mem) == 0) {
    uint64_t Unit = Mem.mem_unit ? Mem.mem_unit : 1;
    Info.Blocks = uint64_t(Mem.totalram) * Unit / uint64_t(Info.Bsize);
    Info.Bfree = uint64_t(Mem.freeram) * Unit / uint64_t(Info.Bsize);
    Info.Bavail = Info.Bfree;
    Info.Frsize = Info.Bsize;
  }
  // Inodes as an unlimited tmpfs counts them (half the memory's pages),
  // less the inode numbers handed out: df -i, and programs that look for
  // free inodes before they write, find room (all were "used" before).
  uint64_t Used = NextIno.load();
  Info.Files = Info.Blocks / 2 > Used ? Info.Blocks / 2 : Used;
  Info.Ffree = Info.Files - Used;
  // ST_VALID, which Linux always sets: glibc's statvfs reads f_flags then,
  // not /proc/mounts.
  constexpr int64_t StValid = 0x20;
  Info.Flags = StValid;
  Info.Namelen = NameMax;
  return Status::ok();
}
