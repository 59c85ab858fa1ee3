//===- servers/ramfs/RamFile.cpp - An open ramfs file ---------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "RamFile.h"
#include "Access.h"
#include "DirentWriter.h"
#include "RamClock.h"
#include "RamFileSystem.h"
#include "RamShadow.h"

#include <algorithm>
#include <cstring>
#include <dirent.h>
#include <shared_mutex>

using namespace k42;
using namespace k42::fs;
using namespace k42::ramfs;

Status RamFile::pread(uint64_t Offset, uint64_t Count,
                      std::vector<uint8_t> &Data) {
  if (Node->isDir())
    return Status::error(EISDIR);
  if (!Node->isRegular())
    return Status::error(EINVAL);
  std::lock_guard<std::mutex> Guard(Node->DataLock);
  if (Count != 0 && !NoAtime)
    RamClock::accessed(*Node); // Linux's relatime, as a read there
  Status S = Node->Data.read(Offset, std::min(Count, TransferMax), Data);
  if (S && !Data.empty()) // Linux reports a read that read something
    RamShadow::tell(*Node, RamShadow::Event::Accessed);
  return S;
}

Status RamFile::pwrite(uint64_t Offset, std::span<const uint8_t> Data,
                       uint32_t Flags, uint64_t &End) {
  if (Node->isDir())
    return Status::error(EISDIR);
  if (!Node->isRegular())
    return Status::error(EINVAL);
  std::lock_guard<std::mutex> Guard(Node->DataLock);
  if (Flags & WriteAppend)
    Offset = Node->Data.size();
  if (Offset > RamFileSystem::FileMax ||
      Data.size() > RamFileSystem::FileMax - Offset)
    return Status::error(EFBIG);
  Status S = Node->Data.write(Offset, Data);
  if (!S)
    return S;
  if (Flags & WriteQueried)
    RamClock::queried(*Node);
  fs::removePrivileges(Node->Attr, Uid);
  RamFileSystem::modified(*Node);
  End = Offset + uint64_t(S.value());
  return S;
}

Status RamFile::stat(FileAttr &Attr) {
  std::shared_lock<std::shared_mutex> Tree(Fs.treeLock());
  Attr = RamFileSystem::attributes(*Node);
  RamClock::queried(*Node);
  return Status::ok();
}

Status RamFile::truncate(uint64_t Size) {
  if (Node->isDir())
    return Status::error(EISDIR);
  if (!Node->isRegular())
    return Status::error(EINVAL);
  std::lock_guard<std::mutex> Guard(Node->DataLock);
  Status S = RamFileSystem::resize(*Node, Size);
  if (S)
    fs::removePrivileges(Node->Attr, Uid);
  return S;
}

Status RamFile::changeRange(Status (RamData::*Change)(uint64_t, uint64_t),
                            uint64_t Offset, uint64_t Length) {
  if (Node->isDir())
    return Status::error(EISDIR);
  if (!Node->isRegular())
    return Status::error(ENODEV);
  std::lock_guard<std::mutex> Guard(Node->DataLock);
  if (Status S = (Node->Data.*Change)(Offset, Length); !S)
    return S;
  RamFileSystem::modified(*Node);
  return Status::ok();
}

Status RamFile::punchHole(uint64_t Offset, uint64_t Length) {
  return changeRange(&RamData::punch, Offset, Length);
}

Status RamFile::allocate(uint64_t Offset, uint64_t Length) {
  return changeRange(&RamData::reserve, Offset, Length);
}

Status RamFile::fsync() { return Status::ok(); }

Status RamFile::seekData(uint64_t Offset, uint32_t Whence, uint64_t &Found) {
  if (!Node->isRegular())
    return Status::error(EINVAL);
  std::lock_guard<std::mutex> Guard(Node->DataLock);
  return Node->Data.seek(Offset, int(Whence), Found);
}

Status RamFile::memory(int32_t &Fd, uint64_t &Ino) {
  if (Node->isDir())
    return Status::error(ENODEV);
  if (!Node->isRegular())
    return Status::error(ENODEV);
  {
    // Shared: an open (exclusive) either sees the memfd and grants no
    // lease, or grants it before and loses it below.
    std::shared_lock<std::shared_mutex> Tree(Fs.treeLock());
    std::lock_guard<std::mutex> Guard(Node->DataLock);
    Status S = Node->Data.memory();
    if (!S)
      return S;
    Fd = int32_t(S.value());
    Ino = Node->Data.memoryIno();
  }
  // Stores through a mapping never pass the server: no client's copy of
  // the file may be trusted from now on, the caller's own included.
  if (Leases)
    Leases->revoke(Node->Attr.Ino);
  return Status::ok();
}

Status RamFile::readdir(uint64_t Cookie, uint32_t MaxBytes,
                        std::vector<uint8_t> &Entries, uint64_t &Next) {
  if (!Node->isDir())
    return Status::error(ENOTDIR);
  std::shared_lock<std::shared_mutex> Tree(Fs.treeLock());
  DirentWriter Out(Entries, std::min<uint64_t>(MaxBytes, TransferMax));
  Next = Cookie;
  if (Node->Attr.Nlink == 0) // Removed: Linux's iterate_dir says ENOENT.
    return Status::error(ENOENT);
  if (!NoAtime) {
    std::lock_guard<std::mutex> Guard(Node->DataLock);
    RamClock::accessed(*Node);
  }
  RamShadow::tell(*Node, RamShadow::Event::Accessed); // getdents: IN_ACCESS
  // A listing from the start after an earlier one is a rewind: it sees
  // the names made since (Linux's lseek to 0 of a tmpfs directory).
  if (Cookie == 0 && Listed.exchange(true))
    Limit = Node->NextCookie;
  Listed = true;
  if (Cookie == EndCookie)
    return Status::ok(0);
  // tmpfs's order: newest first, each entry's d_off one past the cookie
  // of the entry after it, so a listing resumed there goes on below it
  // however many entries went meanwhile; names made after the open (or
  // the last rewind) are not listed.
  uint64_t Top = Limit;
  auto Below = [&](uint64_t Place) {
    auto It = Node->ByCookie.lower_bound(std::min(Place, Top));
    return It == Node->ByCookie.begin() ? Node->ByCookie.end() : std::prev(It);
  };
  auto After = [&](auto It) {
    return It == Node->ByCookie.begin() ? EndCookie : std::prev(It)->first + 1;
  };
  auto Emit = [&](uint64_t Ino, unsigned char Type, std::string_view Name,
                  uint64_t Place) {
    if (!Out.add(Ino, Place, Type, Name))
      return false;
    Next = Place;
    return true;
  };
  if (Next == 0 && !Emit(Node->Attr.Ino, DT_DIR, ".", 1))
    return Out.result();
  auto It = Below(Top);
  if (Next == 1) {
    std::shared_ptr<RamInode> Up = Node->Parent.lock();
    uint64_t Place = It == Node->ByCookie.end() ? EndCookie : It->first + 1;
    if (!Emit(Up ? Up->Attr.Ino : Node->Attr.Ino, DT_DIR, "..", Place))
      return Out.result();
  }
  if (Next == EndCookie)
    return Out.result();
  if (Next != 2) // 2: the first entry, as Linux's DIR_OFFSET_FIRST
    It = Below(Next);
  for (; It != Node->ByCookie.end();) {
    const RamInode &Child = *Node->Names.find(It->second)->second.Node;
    // The mode's own type (a FIFO, a socket node), as Linux's
    // S_DT(mode); a regular file where it names none.
    unsigned char Fallback = IFTODT(Child.Attr.Mode);
    unsigned char Type = Child.isDir()       ? DT_DIR
                         : Child.isSymlink() ? DT_LNK
                         : Fallback          ? Fallback
                                             : DT_REG;
    if (!Emit(Child.Attr.Ino, Type, It->second, After(It)))
      break;
    It = It == Node->ByCookie.begin() ? Node->ByCookie.end() : std::prev(It);
  }
  return Out.result();
}

void RamFile::listAll(std::vector<uint8_t> &Entries) {
  uint64_t Next = 0;
  if (readdir(0, OpenDataMax, Entries, Next) && Next == EndCookie)
    return;
  Entries.clear();
  Listed = false;
}

Status RamFile::chmod(const Badge &Caller, uint32_t Mode) {
  std::unique_lock<std::shared_mutex> Tree(Fs.treeLock());
  if (!mayOwn(Node->Attr, Caller))
    return Status::error(EPERM);
  std::lock_guard<std::mutex> Guard(Node->DataLock);
  Node->Attr.Mode = (Node->Attr.Mode & S_IFMT) | (Mode & 07777);
  RamClock::changed(*Node, false);
  RamShadow::tell(*Node, RamShadow::Event::Attributes);
  return Status::ok();
}

Status RamFile::chown(const Badge &Caller, uint32_t Uid, uint32_t Gid) {
  std::unique_lock<std::shared_mutex> Tree(Fs.treeLock());
  return RamFileSystem::chownNode(*Node, Caller, Uid, Gid);
}

Status RamFile::utimens(const Badge &Caller, const FileTimes &Times) {
  std::unique_lock<std::shared_mutex> Tree(Fs.treeLock());
  bool OnlyNow = Times.AtimeNsec == UTIME_NOW && Times.MtimeNsec == UTIME_NOW;
  if (!mayOwn(Node->Attr, Caller) &&
      !(OnlyNow && mayAccess(Node->Attr, Caller, WantWrite)))
    return Status::error(OnlyNow ? EACCES : EPERM);
  RamFileSystem::setTimes(*Node, Times);
  return Status::ok();
}

RamFile::~RamFile() {
  if (Registered) {
    std::lock_guard<std::mutex> Guard(Node->OpensLock);
    std::erase(Node->Opens, this);
  }
  if (Leases)
    Leases->closed(Node->Attr.Ino, Owner, PathOnly);
  if (Keys && Key)
    Keys->drop(Key);
}

Status RamFile::close() { return Status::ok(); }

void RamFile::openedAs(const std::shared_ptr<RamInode> &Dir, std::string Name) {
  if (Node->isDir() || !Dir || Name.empty())
    return;
  OpenedIn = Dir;
  OpenedAs = std::move(Name);
  Registered = true;
  std::lock_guard<std::mutex> Guard(Node->OpensLock);
  Node->Opens.push_back(this);
}

void RamFile::moved(const RamInode &From, std::string_view FromName,
                    const std::shared_ptr<RamInode> &To,
                    const std::string &ToName) {
  std::shared_ptr<RamInode> In = OpenedIn.lock();
  if (In.get() == &From && OpenedAs == FromName) {
    OpenedIn = To;
    OpenedAs = ToName;
  }
}

namespace {
/// Directory \p Dir's path from the root into \p Path (tree lock held):
/// each directory's name in its parent (a directory has exactly one).
bool dirPathOf(const std::shared_ptr<RamInode> &Dir, std::string &Path) {
  std::vector<const std::string *> Names;
  std::shared_ptr<RamInode> At = Dir;
  for (std::shared_ptr<RamInode> Up = At->Parent.lock(); Up && Up != At;
       At = Up, Up = At->Parent.lock()) {
    const std::string *Name = Up->nameOf(*At);
    if (!Name)
      return false;
    Names.push_back(Name);
  }
  Path.clear();
  for (auto It = Names.rbegin(); It != Names.rend(); ++It) {
    if (!Path.empty())
      Path += '/';
    Path += **It;
  }
  return true;
}
} // namespace

Status RamFile::path(std::string &Path) {
  std::shared_lock<std::shared_mutex> Tree(Fs.treeLock());
  if (Node->isDir()) {
    if (Node->Attr.Nlink == 0 || !dirPathOf(Node, Path))
      return Status::error(ENOENT); // removed
    return Status::ok();
  }
  // A file: the name it was opened by, while that name is still its.
  std::shared_ptr<RamInode> In = OpenedIn.lock();
  if (!In || OpenedAs.empty())
    return Status::error(ENOSYS); // opened again by its key: unknown
  auto It = In->Names.find(OpenedAs);
  if (It == In->Names.end() || It->second.Node != Node || In->Attr.Nlink == 0 ||
      !dirPathOf(In, Path))
    return Status::error(ENOENT);
  if (!Path.empty())
    Path += '/';
  Path += OpenedAs;
  return Status::ok();
}
