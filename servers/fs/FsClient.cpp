//===- servers/fs/FsClient.cpp - Path calls from a client process ---------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "FsClient.h"
#include "MountPoints.k42.h"
#include "NameClient.h"

#include <k42/kernel/KernelLink.h>

using namespace k42;
using namespace k42::fs;

Result<std::unique_ptr<FsClient>> FsClient::connect(kernel::KernelLink &Link) {
  Result<kernel::ServiceConnection> Table = name::open(Link, name::MountsPath);
  if (!Table)
    return Table.status();
  std::shared_ptr<Transport> Via(std::move(Table->Transport));
  Result<name::StubMountPoints> Stub =
      name::StubMountPoints::bind(*Via, Table->Root);
  if (!Stub)
    return Stub.status();
  auto Shared = std::make_shared<name::StubMountPoints>(std::move(*Stub));
  auto Mounts = std::make_unique<MountCache>(
      [Via, Shared](uint64_t &V) { return Shared->version(V); },
      [Via, Shared](std::vector<name::MountEntry> &E, uint64_t &V) {
        return Shared->list(E, V);
      });
  return std::make_unique<FsClient>(
      std::move(Mounts),
      [&Link](uint32_t Server,
              std::string_view Object) -> Result<FsConnection> {
        Result<kernel::ServiceConnection> C =
            Link.connectProcess(Server, Object);
        if (!C)
          return C.status();
        return FsConnection{std::shared_ptr<Transport>(std::move(C->Transport)),
                            C->Root};
      });
}

Status FsClient::start(std::string_view Path, std::string &Out) {
  if (Path.empty())
    return Status::error(ENOENT);
  if (Path.front() != '/')
    return Status::error(EINVAL);
  if (Path.size() > PathMax)
    return Status::error(ENAMETOOLONG);
  if (Path.find('\0') != std::string_view::npos)
    return Status::error(EINVAL);
  Out = MountCache::normalize(Path);
  return Status::ok();
}

Result<StubFileSystem *> FsClient::fileSystem(const Mount &M) {
  std::lock_guard<std::mutex> Guard(Lock);
  auto Key = std::make_pair(M.Server, M.Object);
  auto It = Connections.find(Key);
  if (It != Connections.end())
    return It->second->Stub.get();
  Result<FsConnection> C = Connect(M.Server, M.Object);
  if (!C)
    return C.status();
  Result<StubFileSystem> Stub = StubFileSystem::bind(*C->Via, C->Root);
  if (!Stub)
    return Stub.status();
  auto Conn = std::make_unique<Connection>();
  Conn->Link = std::move(*C);
  Conn->Stub = std::make_unique<StubFileSystem>(std::move(*Stub));
  StubFileSystem *Result = Conn->Stub.get();
  Connections[Key] = std::move(Conn);
  return Result;
}

void FsClient::drop(const Mount &M) {
  std::lock_guard<std::mutex> Guard(Lock);
  Connections.erase({M.Server, M.Object});
}

Status FsClient::mountOf(std::string_view Path, Mount &M, std::string &Rest) {
  std::string Abs;
  if (Status S = start(Path, Abs); !S)
    return S;
  if (Status S = Mounts->refresh(); !S)
    return S;
  return Mounts->match(Abs, M, Rest);
}

Status FsClient::run(std::string_view Path, const PathCall &Call,
                     std::string *Final) {
  std::string Cur;
  if (Status S = start(Path, Cur); !S)
    return S;
  if (Status S = Mounts->refresh(); !S)
    return S;
  for (unsigned Hops = 0; Hops <= SymlinkMax; ++Hops) {
    Mount M;
    std::string Rest;
    if (Status S = Mounts->match(Cur, M, Rest); !S)
      return S;
    Result<StubFileSystem *> Fs = fileSystem(M);
    if (!Fs)
      return Fs.status();
    std::string Restart;
    Status S = Call(**Fs, Rest, M.Sealed ? WalkSealed : 0, Restart);
    if (!S) {
      if (S.errorCode() == errc::PeerDied || S.errorCode() == EPIPE)
        drop(M);
      return S;
    }
    if (S.value() == Done) {
      if (Final)
        *Final = M.Path == "/" ? "/" + Rest : M.Path + "/" + Rest;
      return S;
    }
    Cur = MountCache::restartPath(M.Path, Restart);
  }
  return Status::error(ELOOP);
}

Status FsClient::settle(std::string &Path) {
  std::string P = Path;
  bool Slash = P.size() > 1 && P.back() == '/';
  while (P.size() > 1 && P.back() == '/')
    P.pop_back();
  size_t Cut = P.rfind('/');
  std::string Base = P.substr(Cut + 1);
  if (Base.empty() || Base == "..")
    return Status::ok();
  std::string Dir = Cut == 0 ? "/" : P.substr(0, Cut);
  std::string Final;
  Status S = run(
      Dir,
      [&](StubFileSystem &Fs, std::string_view Rest, uint32_t Walk,
          std::string &Restart) {
        FileAttr Attr;
        return Fs.stat(Rest, Walk, Attr, Restart);
      },
      &Final);
  if (!S)
    return S;
  while (Final.size() > 1 && Final.back() == '/')
    Final.pop_back();
  Path = (Final == "/" ? "/" : Final + "/") + Base + (Slash ? "/" : "");
  return Status::ok();
}

Status FsClient::runTwo(std::string_view First, std::string_view Second,
                        const TwoPathCall &Call) {
  std::string A, B;
  if (Status S = start(First, A); !S)
    return S;
  if (Status S = start(Second, B); !S)
    return S;
  if (Status S = Mounts->refresh(); !S)
    return S;
  bool Settled = false;
  for (unsigned Hops = 0; Hops <= SymlinkMax; ++Hops) {
    Mount MA, MB;
    std::string RestA, RestB;
    if (Status S = Mounts->match(A, MA, RestA); !S)
      return S;
    if (Status S = Mounts->match(B, MB, RestB); !S)
      return S;
    if (MA.Path != MB.Path) {
      // Different mounts by prefix may still be one after symlinks and
      // '..' in the directories: resolve those once, then decide.
      if (Settled)
        return Status::error(EXDEV);
      Settled = true;
      if (Status S = settle(A); !S)
        return S;
      if (Status S = settle(B); !S)
        return S;
      continue;
    }
    Result<StubFileSystem *> Fs = fileSystem(MA);
    if (!Fs)
      return Fs.status();
    std::string Restart;
    Status S = Call(**Fs, RestA, RestB, MA.Sealed ? WalkSealed : 0, Restart);
    if (!S) {
      if (S.errorCode() == errc::PeerDied || S.errorCode() == EPIPE)
        drop(MA);
      return S;
    }
    if (S.value() == Done)
      return S;
    (S.value() == RestartFirst ? A : B) =
        MountCache::restartPath(MA.Path, Restart);
  }
  return Status::error(ELOOP);
}

Result<OpenedFile> FsClient::open(std::string_view Path, uint32_t Flags,
                                  uint32_t Mode) {
  ObjectHandle Handle;
  FileAttr Attr;
  std::vector<uint8_t> OpenData; // never asked for (no WalkData)
  StubFileSystem *Served = nullptr;
  Status S = run(Path, [&](StubFileSystem &Fs, std::string_view Rest,
                           uint32_t Walk, std::string &Restart) {
    Served = &Fs;
    return Fs.open(Rest, Flags, Mode, Walk, Handle, Attr, OpenData, Restart);
  });
  if (!S)
    return S;
  Result<StubFile> File = StubFile::bind(Served->transport(), Handle);
  if (!File)
    return File.status();
  return OpenedFile{std::move(*File), Attr};
}

Status FsClient::stat(std::string_view Path, FileAttr &Attr, bool Follow) {
  return run(Path, [&](StubFileSystem &Fs, std::string_view Rest, uint32_t Walk,
                       std::string &Restart) {
    return Fs.stat(Rest, Walk | (Follow ? 0 : WalkNoFollow), Attr, Restart);
  });
}

Status FsClient::mkdir(std::string_view Path, uint32_t Mode) {
  return run(Path, [&](StubFileSystem &Fs, std::string_view Rest, uint32_t Walk,
                       std::string &Restart) {
    return Fs.mkdir(Rest, Mode, Walk, Restart);
  });
}

Status FsClient::rmdir(std::string_view Path) {
  return run(Path, [&](StubFileSystem &Fs, std::string_view Rest, uint32_t Walk,
                       std::string &Restart) {
    return Fs.rmdir(Rest, Walk, Restart);
  });
}

Status FsClient::unlink(std::string_view Path) {
  return run(Path, [&](StubFileSystem &Fs, std::string_view Rest, uint32_t Walk,
                       std::string &Restart) {
    return Fs.unlink(Rest, Walk, Restart);
  });
}

Status FsClient::rename(std::string_view From, std::string_view To,
                        uint32_t Flags) {
  return runTwo(From, To,
                [&](StubFileSystem &Fs, std::string_view A, std::string_view B,
                    uint32_t Walk, std::string &Restart) {
                  return Fs.rename(A, B, Flags, Walk, Restart);
                });
}

Status FsClient::link(std::string_view Existing, std::string_view NewPath) {
  return runTwo(Existing, NewPath,
                [&](StubFileSystem &Fs, std::string_view A, std::string_view B,
                    uint32_t Walk, std::string &Restart) {
                  return Fs.link(A, B, Walk, Restart);
                });
}

Status FsClient::symlink(std::string_view Target, std::string_view Path) {
  return run(Path, [&](StubFileSystem &Fs, std::string_view Rest, uint32_t Walk,
                       std::string &Restart) {
    return Fs.symlink(Target, Rest, Walk, Restart);
  });
}

Status FsClient::readlink(std::string_view Path, std::string &Target) {
  return run(Path, [&](StubFileSystem &Fs, std::string_view Rest, uint32_t Walk,
                       std::string &Restart) {
    return Fs.readlink(Rest, Walk, Target, Restart);
  });
}

Status FsClient::chmod(std::string_view Path, uint32_t Mode, bool Follow) {
  return run(Path, [&](StubFileSystem &Fs, std::string_view Rest, uint32_t Walk,
                       std::string &Restart) {
    return Fs.chmod(Rest, Mode, Walk | (Follow ? 0 : WalkNoFollow), Restart);
  });
}

Status FsClient::truncate(std::string_view Path, uint64_t Size) {
  return run(Path, [&](StubFileSystem &Fs, std::string_view Rest, uint32_t Walk,
                       std::string &Restart) {
    return Fs.truncate(Rest, Size, Walk, Restart);
  });
}

Status FsClient::utimens(std::string_view Path, const FileTimes &Times,
                         bool Follow) {
  return run(Path, [&](StubFileSystem &Fs, std::string_view Rest, uint32_t Walk,
                       std::string &Restart) {
    return Fs.utimens(Rest, Times, Walk | (Follow ? 0 : WalkNoFollow), Restart);
  });
}

Status FsClient::statfs(std::string_view Path, FsInfo &Info) {
  FileAttr Attr;
  if (Status S = stat(Path, Attr); !S)
    return S;
  Mount M;
  std::string Rest;
  if (Status S = mountOf(Path, M, Rest); !S)
    return S;
  Result<StubFileSystem *> Fs = fileSystem(M);
  if (!Fs)
    return Fs.status();
  return (*Fs)->statfs(Info);
}
