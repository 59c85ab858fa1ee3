//===- servers/ramfs/RamShadow.h - A watched file's stand-in -- -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// inotify for ramfs files. A program's inotify instance is the host's
/// (its descriptor, read, poll and epoll are the host kernel's), and the
/// host kernel queues only events of its own files; so a watched ramfs
/// file gets a stand-in on the host, an empty file the server owns, and
/// every change ramfs makes to the file it makes to the stand-in in the
/// way that has the host queue the same event: a write or truncate sets
/// the stand-in's modification time (IN_MODIFY), a read its access time
/// (IN_ACCESS), chmod, chown, utimens and a link count change both
/// (IN_ATTRIB), a rename renames it (IN_MOVE_SELF), the last unlink
/// unlinks it (IN_ATTRIB), and when the file itself goes (its last name
/// and last open) the server lets the stand-in go (IN_DELETE_SELF,
/// IN_IGNORED). Opens made after the watch open the stand-in with the
/// same access, closed with the open's last holder (IN_OPEN,
/// IN_CLOSE_WRITE, IN_CLOSE_NOWRITE). The client watches the stand-in by
/// its host path (FileSystem::watch); the same file watched twice is one
/// stand-in, so one watch descriptor, as on Linux.
///
/// The server holds the stand-in by an O_PATH descriptor, which the host
/// reports no open or close for, and changes it through that descriptor's
/// /proc/self/fd name, which reaches it after its unlink too.
///
//===----------------------------------------------------------------------===//

#ifndef K42_SERVERS_RAMFS_RAMSHADOW_H
#define K42_SERVERS_RAMFS_RAMSHADOW_H

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

namespace k42::ramfs {

struct RamInode;

/// The host folder one server's stand-ins live in: made at the first
/// watch, searchable but not listable by others (0711: a stand-in is
/// found only by the random name the server hands its watcher), removed
/// with the server.
class RamShadowFolder {
public:
  /// A new folder under $K42_RAMFS_WATCH_DIR, else /dev/shm, else $TMPDIR
  /// or /tmp; null with \p Error (an errno) if none could be made.
  static std::shared_ptr<RamShadowFolder> make(int &Error);
  ~RamShadowFolder();
  RamShadowFolder(const RamShadowFolder &) = delete;
  RamShadowFolder &operator=(const RamShadowFolder &) = delete;

  /// The folder, open (O_PATH | O_DIRECTORY).
  int fd() const { return Fd; }
  /// Its host path.
  const std::string &path() const { return Path; }

private:
  RamShadowFolder(int Fd, std::string Path) : Fd(Fd), Path(std::move(Path)) {}
  int Fd;
  std::string Path;
};

/// One watched file's stand-in. Thread-safe.
class RamShadow {
public:
  /// What happened to the file.
  enum class Event { Modified, Accessed, Attributes, Moved, Unlinked };

  /// A new, empty stand-in in \p In with a random name; null with \p Error
  /// (an errno) if it could not be made.
  static std::unique_ptr<RamShadow> make(std::shared_ptr<RamShadowFolder> In,
                                         int &Error);
  /// Unlinks the stand-in if it is still linked and lets it go: the host
  /// then reports IN_DELETE_SELF and IN_IGNORED to its watchers.
  ~RamShadow();
  RamShadow(const RamShadow &) = delete;
  RamShadow &operator=(const RamShadow &) = delete;

  /// Where the client watches it; empty once unlinked (nobody can name
  /// the file any more, so nobody can add a watch).
  std::string hostPath();

  /// Makes the host report \p E on the stand-in.
  void tell(Event E);

  /// Opens the stand-in with \p Access (O_RDONLY, O_WRONLY, O_RDWR, or
  /// O_PATH), for an open of the file: the host reports IN_OPEN now, and
  /// IN_CLOSE_WRITE or IN_CLOSE_NOWRITE when the descriptor answered is
  /// closed; -1 if it could not be opened.
  int open(uint32_t Access);

  /// Tells \p N's stand-in, if it has one, of \p E.
  static void tell(RamInode &N, Event E);

private:
  RamShadow(std::shared_ptr<RamShadowFolder> In, int Fd, std::string Name)
      : In(std::move(In)), Fd(Fd), Name(std::move(Name)) {}
  /// The stand-in's name in the folder, random.
  static std::string freshName();

  std::shared_ptr<RamShadowFolder> In;
  /// O_PATH: no open or close events of its own.
  int Fd;
  std::mutex Lock;
  /// Empty once unlinked (Lock).
  std::string Name;
};

} // namespace k42::ramfs

#endif // K42_SERVERS_RAMFS_RAMSHADOW_H
