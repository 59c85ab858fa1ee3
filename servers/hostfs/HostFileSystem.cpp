//===- servers/hostfs/HostFileSystem.cpp - A host directory as a file system
//===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "HostFileSystem.h"
#include "Access.h"
#include "File.k42.h"
#include "HostFile.h"

#include <climits>
#include <cstdio>
#include <fcntl.h>
#include <string>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

using namespace k42;
using namespace k42::fs;
using namespace k42::hostfs;

namespace {

Status fromErrno() { return Status::error(errno ? errno : EIO); }

std::string procPath(int Fd) { return "/proc/self/fd/" + std::to_string(Fd); }

/// What walkPath needs, for one caller's walk over host fds.
struct HostWalk {
  using Node = HostFileSystem::Node;
  HostFileSystem &Fs;
  const Badge &Caller;

  Node root() { return Fs.root(); }
  Status lookup(const Node &Dir, std::string_view Name, Node &Child,
                bool &Found) {
    if (!S_ISDIR(Dir->St.st_mode))
      return Status::error(ENOTDIR);
    if (!mayAccess(fromStat(Dir->St), Caller, WantExec))
      return Status::error(EACCES);
    // One component (walkPath never passes '/', '.' or '..'), not
    // followed if it is a symlink: the walk stays below the root.
    std::string N(Name);
    int Fd = openat(Dir->Fd, N.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (Fd < 0) {
      Found = false;
      return errno == ENOENT ? Status::ok() : fromErrno();
    }
    auto C = std::make_shared<HostNode>();
    C->Fd = Fd;
    if (fstat(Fd, &C->St) != 0)
      return fromErrno();
    Found = true;
    Child = std::move(C);
    return Status::ok();
  }
  bool isDir(const Node &N) { return S_ISDIR(N->St.st_mode); }
  bool isSymlink(const Node &N) { return S_ISLNK(N->St.st_mode); }
  Status readlink(const Node &N, std::string &Target) {
    char Buf[PathMax + 1];
    ssize_t Len = readlinkat(N->Fd, "", Buf, sizeof(Buf));
    if (Len < 0)
      return fromErrno();
    if (size_t(Len) > PathMax)
      return Status::error(ENAMETOOLONG);
    Target.assign(Buf, size_t(Len));
    return Status::ok();
  }
};

} // namespace

HostNode::~HostNode() {
  if (Fd >= 0)
    ::close(Fd);
}

Result<std::unique_ptr<HostFileSystem>>
HostFileSystem::create(OpenFileTable &Files, const std::string &Root,
                       bool ReadOnly) {
  auto N = std::make_shared<HostNode>();
  // The root itself may be a symlink (/bin -> usr/bin): that is the
  // operator's choice; everything below it is walked without following.
  N->Fd = ::open(Root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (N->Fd < 0 || fstat(N->Fd, &N->St) != 0)
    return fromErrno();
  return std::unique_ptr<HostFileSystem>(
      new HostFileSystem(Files, std::move(N), ReadOnly));
}

Status HostFileSystem::walk(const Badge &Caller, std::string_view Path,
                            uint32_t Walk, Walked &R, std::string &Restart,
                            Outcome Which) {
  HostWalk Ops{*this, Caller};
  return walkOrRestart(Ops, Path, Walk, R, Restart, Which);
}

Status HostFileSystem::walkToChange(const Badge &Caller, std::string_view Path,
                                    uint32_t Walk, Walked &R,
                                    std::string &Restart, Outcome Which) {
  Status S = walk(Caller, Path, Walk, R, Restart, Which);
  if (S && S.value() == Done && ReadOnly)
    return Status::error(EROFS);
  return S;
}

Status HostFileSystem::open(const Badge &Caller, std::string_view Path,
                            uint32_t Flags, uint32_t Mode, uint32_t Walk,
                            ObjectHandle &File, FileAttr &Attr,
                            std::vector<uint8_t> &Data, std::string &Restart) {
  // No lease here, so no bytes with the open (WalkData): a regular file
  // opened for reading is read from the host by the client itself.
  Data.clear();
  // O_PATH: the file named, opened for nothing (as ramfs's open).
  bool PathOnly = Flags & O_PATH;
  if (PathOnly)
    Flags &= O_PATH | O_NOFOLLOW | O_DIRECTORY;
  uint32_t Access = Flags & O_ACCMODE;
  if (Access == O_ACCMODE)
    return Status::error(EINVAL);
  // An unnamed file (O_TMPFILE, the kernel's bit): hostfs makes none.
  if (Flags & 020000000)
    return Status::error(EOPNOTSUPP);
  bool Reads = !PathOnly && Access != O_WRONLY;
  bool Writes = !PathOnly && Access != O_RDONLY;
  if (Flags & O_NOFOLLOW || (Flags & O_CREAT && Flags & O_EXCL))
    Walk |= WalkNoFollow;
  Walked R;
  Status S = walk(Caller, Path, Walk, R, Restart);
  if (!S || S.value() != Done)
    return S;
  if (!R.Exists && !(Flags & O_CREAT))
    return Status::error(ENOENT);
  // Linux's order (do_open, then may_open): EEXIST, a directory's EISDIR,
  // ENOTDIR and ELOOP before a read-only mount's EROFS, and that before
  // EACCES. O_TRUNC asks for writing, as Linux's acc_mode has it.
  bool Changes = Writes || (Flags & O_TRUNC);
  if (R.Exists) {
    bool IsDir = S_ISDIR(R.Last->St.st_mode);
    if (Flags & O_CREAT && Flags & O_EXCL)
      return Status::error(EEXIST);
    if (Flags & O_CREAT && IsDir)
      return Status::error(EISDIR);
    if ((R.MustBeDir || Flags & O_DIRECTORY) && !IsDir)
      return Status::error(ENOTDIR);
    if (S_ISLNK(R.Last->St.st_mode) && !PathOnly)
      return Status::error(ELOOP);
    if (IsDir && Changes)
      return Status::error(EISDIR);
    if (ReadOnly && Changes)
      return Status::error(EROFS);
    FileAttr A = fromStat(R.Last->St);
    if ((Reads && !mayAccess(A, Caller, WantRead)) ||
        (Writes && !mayAccess(A, Caller, WantWrite)))
      return Status::error(EACCES);
    // The client reads a read-only regular file from the host itself: the
    // open is authorised and named (the walk's own stat of the very file),
    // and no host descriptor or handle is kept for it here.
    if ((Walk & WalkNoHandle) && ReadOnly && !Writes &&
        S_ISREG(R.Last->St.st_mode)) {
      File = ObjectHandle{};
      Attr = A;
      return Status::ok(Done);
    }
  } else if (R.MustBeDir) {
    return Status::error(EISDIR);
  } else if (ReadOnly) {
    return Status::error(EROFS);
  } else if (!mayAccess(fromStat(R.Parent->St), Caller, WantWrite | WantExec)) {
    return Status::error(EACCES);
  }
  int HostFlags = int(Flags & (O_ACCMODE | O_CREAT | O_EXCL | O_TRUNC |
                               O_DIRECTORY | O_PATH)) |
                  O_NOFOLLOW | O_CLOEXEC | O_NOCTTY;
  int Fd = R.Exists && (R.Name.empty() || R.Dotted)
               ? openat(R.Last->Fd, ".", HostFlags & ~(O_CREAT | O_EXCL))
               : openat(R.Parent->Fd, R.Name.c_str(), HostFlags, Mode & 07777);
  if (Fd < 0)
    return fromErrno();
  struct ::stat St;
  if (fstat(Fd, &St) != 0) {
    Status E = fromErrno();
    ::close(Fd);
    return E;
  }
  RightsMask Rights = (Reads ? MetaFile::Rights::read : 0) |
                      (Writes ? MetaFile::Rights::write : 0);
  Result<ObjectHandle> H =
      Files.add(std::make_shared<HostFile>(Fd, ReadOnly), Rights, Caller.Pid);
  if (!H)
    return H.status();
  File = *H;
  Attr = fromStat(St);
  return Status::ok(Done);
}

Status HostFileSystem::stat(const Badge &Caller, std::string_view Path,
                            uint32_t Walk, FileAttr &Attr,
                            std::string &Restart) {
  Walked R;
  Status S = walk(Caller, Path, Walk, R, Restart);
  if (!S || S.value() != Done)
    return S;
  if (Status E = R.mustExist(); !E)
    return E;
  Attr = fromStat(R.Last->St);
  return S;
}

Status HostFileSystem::mkdir(const Badge &Caller, std::string_view Path,
                             uint32_t Mode, uint32_t Walk,
                             std::string &Restart) {
  Walked R;
  Status S = walkToChange(Caller, Path, Walk | WalkNoFollow, R, Restart);
  if (!S || S.value() != Done)
    return S;
  if (R.Exists)
    return Status::error(EEXIST);
  if (!mayAccess(fromStat(R.Parent->St), Caller, WantWrite | WantExec))
    return Status::error(EACCES);
  return mkdirat(R.Parent->Fd, R.Name.c_str(), Mode & 07777) == 0 ? S
                                                                  : fromErrno();
}

Status HostFileSystem::rmdir(const Badge &Caller, std::string_view Path,
                             uint32_t Walk, std::string &Restart) {
  Walked R;
  Status S = walkToChange(Caller, Path, Walk | WalkNoFollow, R, Restart);
  if (!S || S.value() != Done)
    return S;
  if (Status E = R.mustExist(); !E)
    return E;
  if (R.Name.empty())
    return Status::error(EBUSY);
  if (R.Dotted)
    return Status::error(EINVAL);
  if (!mayAccess(fromStat(R.Parent->St), Caller, WantWrite | WantExec))
    return Status::error(EACCES);
  return unlinkat(R.Parent->Fd, R.Name.c_str(), AT_REMOVEDIR) == 0
             ? S
             : fromErrno();
}

Status HostFileSystem::unlink(const Badge &Caller, std::string_view Path,
                              uint32_t Walk, std::string &Restart) {
  Walked R;
  Status S = walkToChange(Caller, Path, Walk | WalkNoFollow, R, Restart);
  if (!S || S.value() != Done)
    return S;
  if (!R.Exists)
    return Status::error(ENOENT);
  if (S_ISDIR(R.Last->St.st_mode))
    return Status::error(EISDIR);
  if (!mayAccess(fromStat(R.Parent->St), Caller, WantWrite | WantExec))
    return Status::error(EACCES);
  return unlinkat(R.Parent->Fd, R.Name.c_str(), 0) == 0 ? S : fromErrno();
}

Status HostFileSystem::rename(const Badge &Caller, std::string_view From,
                              std::string_view To, uint32_t Flags,
                              uint32_t Walk, std::string &Restart) {
  if (!validRenameFlags(Flags))
    return Status::error(EINVAL);
  Walked A, B;
  Status S = walkToChange(Caller, From, Walk | WalkNoFollow, A, Restart);
  if (!S || S.value() != Done)
    return S;
  S = walkToChange(Caller, To, Walk | WalkNoFollow, B, Restart, RestartSecond);
  if (!S || S.value() != Done)
    return S;
  if (Status E = checkRenamePaths(A, B); !E)
    return E;
  if (!mayAccess(fromStat(A.Parent->St), Caller, WantWrite | WantExec) ||
      !mayAccess(fromStat(B.Parent->St), Caller, WantWrite | WantExec))
    return Status::error(EACCES);
  unsigned HostFlags = (Flags & RenameNoReplace ? RENAME_NOREPLACE : 0) |
                       (Flags & RenameExchange ? RENAME_EXCHANGE : 0);
  return renameat2(A.Parent->Fd, A.Name.c_str(), B.Parent->Fd, B.Name.c_str(),
                   HostFlags) == 0
             ? S
             : fromErrno();
}

// Host files' extended attributes are the host's to keep: none here.
Status HostFileSystem::setxattr(const Badge &, std::string_view,
                                std::string_view, std::span<const uint8_t>,
                                uint32_t, uint32_t, std::string &) {
  return Status::error(EOPNOTSUPP);
}
Status HostFileSystem::getxattr(const Badge &, std::string_view,
                                std::string_view, uint32_t,
                                std::vector<uint8_t> &, std::string &) {
  return Status::error(ENODATA);
}
Status HostFileSystem::listxattr(const Badge &, std::string_view, uint32_t,
                                 std::vector<uint8_t> &Names, std::string &) {
  Names.clear();
  return Status::ok();
}
Status HostFileSystem::removexattr(const Badge &, std::string_view,
                                   std::string_view, uint32_t, std::string &) {
  return Status::error(EOPNOTSUPP);
}

Status HostFileSystem::linkOpen(const Badge &, std::string_view, uint64_t,
                                uint32_t, std::string &) {
  return Status::error(ENOSYS); // no keys: the client links by path
}

Status HostFileSystem::link(const Badge &Caller, std::string_view Existing,
                            std::string_view NewPath, uint32_t Walk,
                            std::string &Restart) {
  Walked A, B;
  Status S = walkToChange(Caller, Existing, Walk | WalkNoFollow, A, Restart);
  if (!S || S.value() != Done)
    return S;
  S = walkToChange(Caller, NewPath, Walk | WalkNoFollow, B, Restart,
                   RestartSecond);
  if (!S || S.value() != Done)
    return S;
  if (Status E = A.mustExist(); !E)
    return E;
  if (B.Exists)
    return Status::error(EEXIST);
  if (!mayAccess(fromStat(B.Parent->St), Caller, WantWrite | WantExec))
    return Status::error(EACCES);
  return linkat(A.Parent->Fd, A.Name.c_str(), B.Parent->Fd, B.Name.c_str(),
                0) == 0
             ? S
             : fromErrno();
}

Status HostFileSystem::symlink(const Badge &Caller, std::string_view Target,
                               std::string_view Path, uint32_t Walk,
                               std::string &Restart) {
  if (Target.empty())
    return Status::error(ENOENT);
  if (Target.size() > PathMax)
    return Status::error(ENAMETOOLONG);
  Walked R;
  Status S = walkToChange(Caller, Path, Walk | WalkNoFollow, R, Restart);
  if (!S || S.value() != Done)
    return S;
  if (R.Exists)
    return Status::error(EEXIST);
  if (!mayAccess(fromStat(R.Parent->St), Caller, WantWrite | WantExec))
    return Status::error(EACCES);
  std::string T(Target);
  return symlinkat(T.c_str(), R.Parent->Fd, R.Name.c_str()) == 0 ? S
                                                                 : fromErrno();
}

Status HostFileSystem::readlink(const Badge &Caller, std::string_view Path,
                                uint32_t Walk, std::string &Target,
                                std::string &Restart) {
  Walked R;
  Status S = walk(Caller, Path, Walk | WalkNoFollow, R, Restart);
  if (!S || S.value() != Done)
    return S;
  if (Status E = R.mustExist(); !E)
    return E;
  if (!S_ISLNK(R.Last->St.st_mode))
    return Status::error(EINVAL);
  HostWalk Ops{*this, Caller};
  if (Status E = Ops.readlink(R.Last, Target); !E)
    return E;
  return S;
}

Status HostFileSystem::chmod(const Badge &Caller, std::string_view Path,
                             uint32_t Mode, uint32_t Walk,
                             std::string &Restart) {
  Walked R;
  Status S = walkToChange(Caller, Path, Walk, R, Restart);
  if (!S || S.value() != Done)
    return S;
  if (Status E = R.mustExist(); !E)
    return E;
  if (!mayOwn(fromStat(R.Last->St), Caller))
    return Status::error(EPERM);
  if (S_ISLNK(R.Last->St.st_mode))
    return Status::error(EOPNOTSUPP);
  // Through the walk's own fd: the file the walk found, wherever it is.
  return ::chmod(procPath(R.Last->Fd).c_str(), Mode & 07777) == 0 ? S
                                                                  : fromErrno();
}

Status HostFileSystem::truncate(const Badge &Caller, std::string_view Path,
                                uint64_t Size, uint32_t Walk,
                                std::string &Restart) {
  Walked R;
  Status S = walkToChange(Caller, Path, Walk, R, Restart);
  if (!S || S.value() != Done)
    return S;
  if (Status E = R.mustExist(); !E)
    return E;
  if (S_ISDIR(R.Last->St.st_mode))
    return Status::error(EISDIR);
  if (!mayAccess(fromStat(R.Last->St), Caller, WantWrite))
    return Status::error(EACCES);
  return ::truncate(procPath(R.Last->Fd).c_str(), off_t(Size)) == 0
             ? S
             : fromErrno();
}

Status HostFileSystem::utimens(const Badge &Caller, std::string_view Path,
                               const FileTimes &Times, uint32_t Walk,
                               std::string &Restart) {
  Walked R;
  Status S = walkToChange(Caller, Path, Walk, R, Restart);
  if (!S || S.value() != Done)
    return S;
  if (Status E = R.mustExist(); !E)
    return E;
  if (!mayOwn(fromStat(R.Last->St), Caller))
    return Status::error(EPERM);
  timespec T[2] = {{Times.AtimeSec, Times.AtimeNsec},
                   {Times.MtimeSec, Times.MtimeNsec}};
  return utimensat(AT_FDCWD, procPath(R.Last->Fd).c_str(), T, 0) == 0
             ? S
             : fromErrno();
}

Status HostFileSystem::chown(const Badge &Caller, std::string_view Path,
                             uint32_t Uid, uint32_t Gid, uint32_t Walk,
                             std::string &Restart) {
  Walked R;
  Status S = walkToChange(Caller, Path, Walk, R, Restart);
  if (!S || S.value() != Done)
    return S;
  if (Status E = R.mustExist(); !E)
    return E;
  if (int E = mayChown(fromStat(R.Last->St), Caller, Uid, Gid))
    return Status::error(E);
  // The walk's own fd (O_PATH, a symlink itself for lchown).
  return fchownat(R.Last->Fd, "", Uid, Gid, AT_EMPTY_PATH) == 0 ? S
                                                                : fromErrno();
}

Status HostFileSystem::mknod(const Badge &Caller, std::string_view Path,
                             uint32_t Mode, uint32_t Walk,
                             std::string &Restart) {
  (void)Mode;
  Walked R;
  Status S = walkToChange(Caller, Path, Walk | WalkNoFollow, R, Restart);
  if (!S || S.value() != Done)
    return S;
  if (R.Exists)
    return Status::error(EEXIST);
  return Status::error(EPERM);
}

Status HostFileSystem::reopen(const Badge &, uint64_t, uint32_t, ObjectHandle &,
                              FileAttr &) {
  return Status::error(ENOSYS);
}

Status HostFileSystem::watch(const Badge &Caller, std::string_view Path,
                             uint32_t Walk, std::string &HostPath,
                             std::string &Restart) {
  Walked R;
  Status S = walk(Caller, Path, Walk, R, Restart);
  if (!S || S.value() != Done)
    return S;
  if (Status E = R.mustExist(); !E)
    return E;
  if (!mayAccess(fromStat(R.Last->St), Caller, WantRead))
    return Status::error(EACCES);
  // The node's descriptor names the very file the walk checked.
  char Link[40];
  std::snprintf(Link, sizeof(Link), "/proc/self/fd/%d", R.Last->Fd);
  char Target[PATH_MAX];
  ssize_t Len = ::readlink(Link, Target, sizeof(Target));
  if (Len <= 0 || size_t(Len) >= sizeof(Target) || Target[0] != '/')
    return Status::error(EOPNOTSUPP);
  HostPath.assign(Target, size_t(Len));
  return S;
}

Status HostFileSystem::statfs(FsInfo &Info) {
  struct ::statfs F;
  if (fstatfs(Root->Fd, &F) != 0)
    return fromErrno();
  Info = fromStatfs(F);
  Info.Flags |= ReadOnly ? ST_RDONLY : 0;
  return Status::ok();
}
