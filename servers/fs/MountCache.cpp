//===- servers/fs/MountCache.cpp - The mount table, cached in a client ----===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "MountCache.h"
#include "PathWalk.h"

#include <algorithm>
#include <cstring>

using namespace k42;
using namespace k42::fs;

Status MountCache::refresh() {
  uint64_t Now = 0;
  if (Status S = AskVersion(Now); !S)
    return S;
  std::lock_guard<std::mutex> Guard(Lock);
  if (Now == Version && Version != 0)
    return Status::ok();
  std::vector<name::MountEntry> Entries;
  uint64_t Fetched = 0;
  if (Status S = List(Entries, Fetched); !S)
    return S;
  std::vector<Mount> Table;
  for (const name::MountEntry &E : Entries) {
    Mount M;
    M.Path.assign(E.Path, strnlen(E.Path, sizeof(E.Path)));
    M.Object.assign(E.Object, strnlen(E.Object, sizeof(E.Object)));
    M.Server = E.Server;
    M.Flags = E.Flags;
    if (M.Path.empty() || M.Path.front() != '/' || M.Object.empty())
      continue; // Never from a sane table; never trusted either.
    Table.push_back(std::move(M));
  }
  std::sort(Table.begin(), Table.end(), [](const Mount &A, const Mount &B) {
    return A.Path.size() > B.Path.size();
  });
  for (Mount &M : Table) {
    std::string Below = M.Path == "/" ? "/" : M.Path + "/";
    M.Sealed = std::none_of(Table.begin(), Table.end(), [&](const Mount &O) {
      return O.Path != M.Path && O.Path.starts_with(Below);
    });
  }
  Mounts = std::move(Table);
  Version = Fetched;
  ++Fetches;
  return Status::ok();
}

Status MountCache::match(std::string_view Path, Mount &M, std::string &Rest) {
  std::lock_guard<std::mutex> Guard(Lock);
  for (const Mount &Candidate : Mounts) {
    std::string_view P = Candidate.Path;
    if (P == "/") {
      M = Candidate;
      Rest = std::string(Path.substr(1));
      return Status::ok();
    }
    if (!Path.starts_with(P) ||
        (Path.size() > P.size() && Path[P.size()] != '/'))
      continue;
    M = Candidate;
    std::string_view R = Path.substr(P.size());
    if (!R.empty())
      R.remove_prefix(1);
    Rest = std::string(R);
    if (Rest.empty() && Path.size() > P.size())
      Rest = "/"; // "/usr/": the root, as a directory.
    return Status::ok();
  }
  return Status::error(ENOENT);
}

uint64_t MountCache::version() {
  std::lock_guard<std::mutex> Guard(Lock);
  return Version;
}

uint64_t MountCache::fetches() {
  std::lock_guard<std::mutex> Guard(Lock);
  return Fetches;
}

std::string MountCache::normalize(std::string_view Path) {
  std::string Out = "/";
  for (const std::string &C : splitPath(Path)) {
    if (Out.back() != '/')
      Out += '/';
    Out += C;
  }
  std::string_view Tail = Path;
  bool Dir = Tail.ends_with("/") || Tail.ends_with("/.") || Tail == ".";
  if (Dir && Out.back() != '/')
    Out += '/';
  return Out;
}

std::string MountCache::restartPath(std::string_view MountPath,
                                    std::string_view Restart) {
  if (!Restart.empty() && Restart.front() == '/')
    return normalize(Restart);
  std::deque<std::string> Base = splitPath(MountPath);
  std::deque<std::string> Rest = splitPath(Restart);
  while (!Rest.empty() && Rest.front() == "..") {
    if (!Base.empty())
      Base.pop_back();
    Rest.pop_front();
  }
  std::string Out;
  for (const std::string &C : Base)
    Out += "/" + C;
  for (const std::string &C : Rest)
    Out += "/" + C;
  if (Out.empty())
    Out = "/";
  if (Restart.ends_with("/") && Out.back() != '/')
    Out += '/';
  return Out;
}
