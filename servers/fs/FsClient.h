//===- servers/fs/FsClient.h - Path calls from a client process --*- C++
//-*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// What the Linux personality (and k42-fs) calls for a path: resolves an
/// absolute path to its mount with the cached table (MountCache), calls
/// that mount's file server over a connection kept per server, and follows
/// the server's "restart at" answers (symlinks out of a mount, '..' above
/// a mount root) until the call is done, failing with ELOOP after
/// SymlinkMax restarts. Two-path calls (rename, link) must stay in one
/// mount (EXDEV). Relative paths are the caller's business: the
/// personality owns the current directory. Thread-safe.
///
//===----------------------------------------------------------------------===//

#ifndef K42_SERVERS_FS_FSCLIENT_H
#define K42_SERVERS_FS_FSCLIENT_H

#include "File.k42.h"
#include "FileSystem.k42.h"
#include "MountCache.h"

#include <k42/ipc/Result.h>
#include <k42/ipc/Transport.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace k42::kernel {
class KernelLink;
}

namespace k42::fs {

/// A transport to a file server and the handle of one of its FileSystem
/// objects.
struct FsConnection {
  std::shared_ptr<Transport> Via;
  ObjectHandle Root;
};

/// An open file: the stub to call (valid while its FsClient lives) and the
/// attributes at open.
struct OpenedFile {
  StubFile File;
  FileAttr Attr;
};

/// Path calls on the K42 file system name space.
class FsClient {
public:
  /// Connects to the object \p Object of file server \p Server.
  using Connector = std::function<Result<FsConnection>(
      uint32_t Server, std::string_view Object)>;

  FsClient(std::unique_ptr<MountCache> Mounts, Connector Connect)
      : Mounts(std::move(Mounts)), Connect(std::move(Connect)) {}

  /// The client of a process on a running system: the table from the name
  /// server, connections made by the kernel over \p Link (which must
  /// outlive the client).
  static Result<std::unique_ptr<FsClient>> connect(kernel::KernelLink &Link);

  Result<OpenedFile> open(std::string_view Path, uint32_t Flags,
                          uint32_t Mode = 0666);
  /// stat, or lstat when \p Follow is false.
  Status stat(std::string_view Path, FileAttr &Attr, bool Follow = true);
  Status mkdir(std::string_view Path, uint32_t Mode = 0777);
  Status rmdir(std::string_view Path);
  Status unlink(std::string_view Path);
  Status rename(std::string_view From, std::string_view To, uint32_t Flags = 0);
  Status link(std::string_view Existing, std::string_view NewPath);
  Status symlink(std::string_view Target, std::string_view Path);
  Status readlink(std::string_view Path, std::string &Target);
  Status chmod(std::string_view Path, uint32_t Mode, bool Follow = true);
  Status truncate(std::string_view Path, uint64_t Size);
  Status utimens(std::string_view Path, const FileTimes &Times,
                 bool Follow = true);
  Status statfs(std::string_view Path, FsInfo &Info);

  /// The mount serving \p Path (after normalisation, before symlinks).
  Status mountOf(std::string_view Path, Mount &M, std::string &Rest);

  MountCache &mounts() { return *Mounts; }

private:
  /// One call on one path: (file system, path inside, walk flags, restart
  /// out) -> outcome.
  using PathCall = std::function<Status(StubFileSystem &, std::string_view,
                                        uint32_t, std::string &)>;
  /// The same with two paths in one mount.
  using TwoPathCall =
      std::function<Status(StubFileSystem &, std::string_view, std::string_view,
                           uint32_t, std::string &)>;

  /// Runs \p Call on \p Path until done; \p Final, if set, gets the path
  /// (mount path and the rest) the call was done at.
  Status run(std::string_view Path, const PathCall &Call,
             std::string *Final = nullptr);
  /// Rewrites absolute \p Path so its directory part has no symlink or
  /// '..' that leads to another mount (a rename's or link's two paths are
  /// compared by mount after this).
  Status settle(std::string &Path);
  Status runTwo(std::string_view First, std::string_view Second,
                const TwoPathCall &Call);
  /// The stub of mount \p M's file system, connecting on first use.
  Result<StubFileSystem *> fileSystem(const Mount &M);
  /// Forgets the connection of \p M (its server died).
  void drop(const Mount &M);
  /// \p Path checked and normalised, for a start.
  static Status start(std::string_view Path, std::string &Out);

  struct Connection {
    FsConnection Link;
    std::unique_ptr<StubFileSystem> Stub;
  };

  std::unique_ptr<MountCache> Mounts;
  Connector Connect;
  std::mutex Lock;
  std::map<std::pair<uint32_t, std::string>, std::unique_ptr<Connection>>
      Connections;
};

} // namespace k42::fs

#endif // K42_SERVERS_FS_FSCLIENT_H
