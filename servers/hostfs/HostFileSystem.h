//===- servers/hostfs/HostFileSystem.h - A host directory as a file system -*-
//C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// hostfs: a host directory (ROOT) served through the file-system protocol,
/// so real programs and libraries under /usr, /etc... are found. It never
/// reaches outside ROOT: a path is walked one component at a time with
/// O_PATH|O_NOFOLLOW opens relative to the directory fds of the walk, '..'
/// pops the walk's own stack, and every symlink is read and resolved by
/// fs::walkPath, which hands absolute ones and those climbing above ROOT
/// back to the client (to resolve in K42's name space, not the host's).
/// The last step is an *at call on the parent's fd with O_NOFOLLOW. Read-only
/// by default: every change is EROFS.
///
//===----------------------------------------------------------------------===//

#ifndef K42_SERVERS_HOSTFS_HOSTFILESYSTEM_H
#define K42_SERVERS_HOSTFS_HOSTFILESYSTEM_H

#include "FileSystem.h"
#include "OpenFileTable.h"
#include "PathWalk.h"

#include <k42/ipc/Result.h>

#include <memory>
#include <sys/stat.h>

namespace k42::hostfs {

/// One host file the walk holds: an O_PATH fd and its stat.
struct HostNode {
  int Fd = -1;
  struct ::stat St = {};
  ~HostNode();
};

/// A host directory tree.
class HostFileSystem final : public fs::FileSystem {
public:
  /// Serves host directory \p Root; open files go into \p Files.
  static Result<std::unique_ptr<HostFileSystem>>
  create(fs::OpenFileTable &Files, const std::string &Root, bool ReadOnly);

  k42::Status open(const k42::Badge &Caller, std::string_view Path,
                   uint32_t Flags, uint32_t Mode, uint32_t Walk,
                   k42::ObjectHandle &File, fs::FileAttr &Attr,
                   std::vector<uint8_t> &Data, std::string &Restart) override;
  /// ENOSYS: hostfs gives no open keys (a descriptor another process
  /// inherits is opened by its path again).
  k42::Status reopen(const k42::Badge &Caller, uint64_t Key, uint32_t Flags,
                     k42::ObjectHandle &File, fs::FileAttr &Attr) override;
  k42::Status stat(const k42::Badge &Caller, std::string_view Path,
                   uint32_t Walk, fs::FileAttr &Attr,
                   std::string &Restart) override;
  k42::Status mkdir(const k42::Badge &Caller, std::string_view Path,
                    uint32_t Mode, uint32_t Walk,
                    std::string &Restart) override;
  k42::Status rmdir(const k42::Badge &Caller, std::string_view Path,
                    uint32_t Walk, std::string &Restart) override;
  k42::Status unlink(const k42::Badge &Caller, std::string_view Path,
                     uint32_t Walk, std::string &Restart) override;
  k42::Status rename(const k42::Badge &Caller, std::string_view From,
                     std::string_view To, uint32_t Flags, uint32_t Walk,
                     std::string &Restart) override;
  k42::Status link(const k42::Badge &Caller, std::string_view Existing,
                   std::string_view NewPath, uint32_t Walk,
                   std::string &Restart) override;
  k42::Status setxattr(const k42::Badge &Caller, std::string_view Path,
                       std::string_view Name, std::span<const uint8_t> Value,
                       uint32_t Flags, uint32_t Walk,
                       std::string &Restart) override;
  k42::Status getxattr(const k42::Badge &Caller, std::string_view Path,
                       std::string_view Name, uint32_t Walk,
                       std::vector<uint8_t> &Value,
                       std::string &Restart) override;
  k42::Status listxattr(const k42::Badge &Caller, std::string_view Path,
                        uint32_t Walk, std::vector<uint8_t> &Names,
                        std::string &Restart) override;
  k42::Status removexattr(const k42::Badge &Caller, std::string_view Path,
                          std::string_view Name, uint32_t Walk,
                          std::string &Restart) override;
  k42::Status linkOpen(const k42::Badge &Caller, std::string_view Path,
                       uint64_t Key, uint32_t Walk,
                       std::string &Restart) override;
  k42::Status symlink(const k42::Badge &Caller, std::string_view Target,
                      std::string_view Path, uint32_t Walk,
                      std::string &Restart) override;
  k42::Status readlink(const k42::Badge &Caller, std::string_view Path,
                       uint32_t Walk, std::string &Target,
                       std::string &Restart) override;
  k42::Status chmod(const k42::Badge &Caller, std::string_view Path,
                    uint32_t Mode, uint32_t Walk,
                    std::string &Restart) override;
  k42::Status truncate(const k42::Badge &Caller, std::string_view Path,
                       uint64_t Size, uint32_t Walk,
                       std::string &Restart) override;
  k42::Status utimens(const k42::Badge &Caller, std::string_view Path,
                      const fs::FileTimes &Times, uint32_t Walk,
                      std::string &Restart) override;
  k42::Status chown(const k42::Badge &Caller, std::string_view Path,
                    uint32_t Uid, uint32_t Gid, uint32_t Walk,
                    std::string &Restart) override;
  k42::Status statfs(fs::FsInfo &Info) override;
  /// The host file itself: its events are the host's own.
  k42::Status watch(const k42::Badge &Caller, std::string_view Path,
                    uint32_t Walk, std::string &HostPath,
                    std::string &Restart) override;
  /// Host directories get no special files from K42: EPERM.
  k42::Status mknod(const k42::Badge &Caller, std::string_view Path,
                    uint32_t Mode, uint32_t Walk,
                    std::string &Restart) override;

  using Node = std::shared_ptr<HostNode>;
  /// The root directory.
  Node root() { return Root; }
  bool readOnly() const { return ReadOnly; }

private:
  HostFileSystem(fs::OpenFileTable &Files, Node Root, bool ReadOnly)
      : Files(Files), Root(std::move(Root)), ReadOnly(ReadOnly) {}

  using Walked = fs::WalkResult<Node>;
  k42::Status walk(const k42::Badge &Caller, std::string_view Path,
                   uint32_t Walk, Walked &R, std::string &Restart,
                   fs::Outcome Which = fs::RestartFirst);
  /// Walks \p Path for a call that changes the tree: EROFS when read-only
  /// (after the walk, so a path that leaves the mount still restarts).
  k42::Status walkToChange(const k42::Badge &Caller, std::string_view Path,
                           uint32_t Walk, Walked &R, std::string &Restart,
                           fs::Outcome Which = fs::RestartFirst);

  fs::OpenFileTable &Files;
  Node Root;
  bool ReadOnly;
};

} // namespace k42::hostfs

#endif // K42_SERVERS_HOSTFS_HOSTFILESYSTEM_H
