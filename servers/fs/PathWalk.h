//===- servers/fs/PathWalk.h - Resolving a path inside a server --*- C++
//-*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// How every file server resolves a path relative to its mount root, so
/// that ramfs and hostfs agree on the protocol of servers/fs/README.md:
/// '.' is skipped; '..' is taken from the walk's own stack (never from the
/// file system, so a walk cannot climb out of the root), and '..' above the
/// root is handed back to the client; symlinks are followed up to
/// SymlinkMax (ELOOP), absolute ones are handed back; without WalkSealed
/// every '..' and symlink is handed back, with the directories walked so
/// far, since the client alone knows where other mounts are.
///
/// A backend (ramfs's tree, hostfs's directory fds) provides:
///   using Node = ...;                        // a handle on one file
///   Node root();
///   Status lookup(const Node &Dir, std::string_view Name, Node &Child,
///                 bool &Found);              // ENOTDIR, EACCES
///   bool isDir(const Node &), isSymlink(const Node &);
///   Status readlink(const Node &, std::string &Target);
///
//===----------------------------------------------------------------------===//

#ifndef K42_SERVERS_FS_PATHWALK_H
#define K42_SERVERS_FS_PATHWALK_H

#include "FsTypes.h"

#include <k42/ipc/Status.h>

#include <cerrno>
#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace k42::fs {

/// Where a walk ended.
template <typename Node> struct WalkResult {
  /// The directory that holds the last component (the root for the root).
  Node Parent{};
  /// The last component's file, if Exists, and whether it is a directory.
  Node Last{};
  bool Exists = false;
  bool LastIsDir = false;
  /// The last component's name; empty for the mount root.
  std::string Name;
  /// The path ended in '/', '.' or '..': the last component must be a
  /// directory, and it cannot be created or removed by this name.
  bool MustBeDir = false;
  bool Dotted = false;
  /// The path leaves this server: resolve RestartPath instead (absolute,
  /// or relative to the mount point, maybe starting with '..').
  bool Restart = false;
  std::string RestartPath;

  /// The checks every call that names an existing file makes: ENOENT for
  /// no file, ENOTDIR for one a trailing '/' or '.' names as a directory.
  Status mustExist() const {
    if (!Exists)
      return Status::error(ENOENT);
    if (MustBeDir && !LastIsDir)
      return Status::error(ENOTDIR);
    return Status::ok();
  }
};

/// Splits \p Path into its components, without empty ones and '.'.
inline std::deque<std::string> splitPath(std::string_view Path) {
  std::deque<std::string> Parts;
  size_t I = 0;
  while (I < Path.size()) {
    size_t J = Path.find('/', I);
    if (J == std::string_view::npos)
      J = Path.size();
    std::string_view C = Path.substr(I, J - I);
    if (!C.empty() && C != ".")
      Parts.emplace_back(C);
    I = J + 1;
  }
  return Parts;
}

/// Resolves \p Path (relative to \p Ops's root) with \p Walk flags.
template <typename Ops>
Status walkPath(Ops &O, std::string_view Path, uint32_t Walk,
                WalkResult<typename Ops::Node> &R) {
  using Node = typename Ops::Node;
  if (Path.size() > PathMax)
    return Status::error(ENAMETOOLONG);
  if (Path.find('\0') != std::string_view::npos)
    return Status::error(EINVAL);
  std::deque<std::string> Pending = splitPath(Path);
  std::string_view Tail = Path;
  while (Tail.size() > 1 && Tail.back() == '/')
    Tail.remove_suffix(1);
  R.Dotted = Tail == "." || Tail == ".." || Tail.ends_with("/.") ||
             Tail.ends_with("/..");
  R.MustBeDir = R.Dotted || (!Path.empty() && Path.back() == '/');
  bool Sealed = Walk & WalkSealed;

  std::vector<std::pair<std::string, Node>> Stack; // Below the root.
  Node Cur = O.root();
  unsigned Links = 0;
  auto Restart = [&](std::string Prefix) {
    for (const std::string &C : Pending) {
      if (!Prefix.empty() && Prefix.back() != '/')
        Prefix += '/';
      Prefix += C;
    }
    if (Prefix.empty())
      Prefix = ".";
    if (R.MustBeDir && Prefix.back() != '/')
      Prefix += '/';
    R.Restart = true;
    R.RestartPath = std::move(Prefix);
    return Status::ok();
  };
  auto Walked = [&]() {
    std::string P;
    for (auto &[Name, N] : Stack)
      P += (P.empty() ? "" : "/") + Name;
    return P;
  };

  while (!Pending.empty()) {
    std::string C = std::move(Pending.front());
    Pending.pop_front();
    if (C.size() > NameMax)
      return Status::error(ENAMETOOLONG);
    if (C == "..") {
      if (Stack.empty())
        return Restart("..");
      Stack.pop_back();
      if (!Sealed)
        return Restart(Walked());
      Cur = Stack.empty() ? O.root() : Stack.back().second;
      continue;
    }
    bool IsLast = Pending.empty();
    Node Child{};
    bool Found = false;
    if (Status S = O.lookup(Cur, C, Child, Found); !S)
      return S;
    if (!Found) {
      if (!IsLast)
        return Status::error(ENOENT);
      R.Parent = Cur;
      R.Name = std::move(C);
      R.Exists = false;
      return Status::ok();
    }
    bool Follow = !IsLast || (!(Walk & WalkLastAsIs) &&
                              (R.MustBeDir || !(Walk & WalkNoFollow)));
    if (O.isSymlink(Child) && Follow) {
      if (++Links > SymlinkMax)
        return Status::error(ELOOP);
      std::string Target;
      if (Status S = O.readlink(Child, Target); !S)
        return S;
      if (Target.empty())
        return Status::error(ENOENT);
      if (Target.front() == '/')
        return Restart(Target);
      if (!Sealed) {
        std::string Prefix = Walked();
        return Restart(Prefix.empty() ? Target : Prefix + "/" + Target);
      }
      std::deque<std::string> More = splitPath(Target);
      Pending.insert(Pending.begin(), More.begin(), More.end());
      if (IsLast && More.empty()) // A link to "." or "./".
        break;
      continue;
    }
    if (IsLast) {
      R.Parent = Cur;
      R.Last = Child;
      R.Exists = true;
      R.LastIsDir = O.isDir(Child);
      R.Name = std::move(C);
      return Status::ok();
    }
    if (!O.isDir(Child))
      return Status::error(ENOTDIR);
    Stack.emplace_back(std::move(C), Child);
    Cur = Child;
  }
  // The path named a directory already walked: the root, or one reached by
  // '..' or a symlink to a directory.
  R.Exists = true;
  R.Last = Cur;
  R.LastIsDir = true;
  R.MustBeDir = true;
  R.Dotted = true;
  if (Stack.empty()) {
    R.Parent = O.root();
    R.Name.clear();
  } else {
    R.Name = Stack.back().first;
    R.Parent = Stack.size() >= 2 ? Stack[Stack.size() - 2].second : O.root();
  }
  return Status::ok();
}

/// walkPath, then the answer a path call gives when the walk does not end
/// here: \p Which, with the path to go on from in \p Restart. Ok(Done) if
/// the walk ended here (\p R says where).
template <typename Ops>
Status walkOrRestart(Ops &O, std::string_view Path, uint32_t Walk,
                     WalkResult<typename Ops::Node> &R, std::string &Restart,
                     Outcome Which) {
  if (Status S = walkPath(O, Path, Walk, R); !S)
    return S;
  if (R.Restart) {
    Restart = std::move(R.RestartPath);
    return Status::ok(Which);
  }
  return Status::ok(Done);
}

/// What rename asks of its two walked paths before any file system's own
/// checks, in Linux's order: the source exists (ENOENT), neither is a
/// mount root (EBUSY), neither ends in '.' or '..' (EINVAL).
template <typename Node>
Status checkRenamePaths(const WalkResult<Node> &From,
                        const WalkResult<Node> &To) {
  if (!From.Exists)
    return Status::error(ENOENT);
  if (From.Name.empty() || To.Name.empty())
    return Status::error(EBUSY);
  if (From.Dotted || To.Dotted)
    return Status::error(EINVAL);
  return Status::ok();
}

} // namespace k42::fs

#endif // K42_SERVERS_FS_PATHWALK_H
