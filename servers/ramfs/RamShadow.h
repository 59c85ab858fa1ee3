//===- servers/ramfs/RamShadow.h - A watched file's stand-in -- -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// inotify for ramfs files and directories. A program's inotify instance
/// is the host's (its descriptor, read, poll and epoll are the host
/// kernel's), and the host kernel queues only events of its own files; so
/// a watched ramfs file gets a stand-in on the host that the server owns,
/// and every change ramfs makes to the file it makes to the stand-in in
/// the way that has the host queue the same event: a write or truncate
/// sets the stand-in's modification time (IN_MODIFY), a read its access
/// time (IN_ACCESS), chmod, chown and utimens both (IN_ATTRIB), a link
/// count change links or unlinks a name of it (IN_ATTRIB), a rename
/// renames it (IN_MOVE_SELF), and when the file itself goes (its last name
/// and last open) the server lets the stand-in go (IN_DELETE_SELF,
/// IN_IGNORED). Opens made after the watch open the stand-in with the same
/// access, closed with the open's last holder (IN_OPEN, IN_CLOSE_WRITE,
/// IN_CLOSE_NOWRITE).
///
/// A watched directory's stand-in is a host directory that mirrors its
/// entries: each file in it is a hard link, by the entry's name, to the
/// file's own stand-in (made for it then), each subdirectory an empty
/// directory (which becomes the subdirectory's stand-in if it is watched
/// later). Entries made, removed and renamed in the directory are made,
/// removed and renamed there, and a change to a file is made through its
/// name there, so the host tells the directory's watchers as Linux does
/// (IN_CREATE, IN_DELETE, IN_MOVED_FROM and IN_MOVED_TO with one cookie,
/// a file's events with its name, IN_ISDIR).
///
/// The client watches the stand-in by its host path (FileSystem::watch);
/// the same file watched twice is one stand-in, so one watch descriptor.
/// The server holds each stand-in by an O_PATH descriptor, which the host
/// reports no open or close for, and reaches it through that descriptor's
/// /proc/self/fd name after its unlink too. Every function here runs with
/// the file system's tree lock held exclusively, except tell() and open(),
/// which take the stand-in's own lock.
///
//===----------------------------------------------------------------------===//

#ifndef K42_SERVERS_RAMFS_RAMSHADOW_H
#define K42_SERVERS_RAMFS_RAMSHADOW_H

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace k42::ramfs {

struct RamInode;

/// The host folder one server's stand-ins live in: made at the first
/// watch, searchable but not listable by others (0711: a stand-in is
/// found only by the random name the server hands its watcher), removed
/// with the server.
class RamShadowFolder {
public:
  /// A new folder next to the kernel's socket ($K42_KERNEL_SOCKET's), or
  /// in $K42_RAMFS_WATCH_DIR if set, else /dev/shm, $TMPDIR or /tmp; null
  /// with \p Error (an errno) if none could be made.
  static std::shared_ptr<RamShadowFolder> make(int &Error);
  /// Removes the folder and whatever is left in it.
  ~RamShadowFolder();
  RamShadowFolder(const RamShadowFolder &) = delete;
  RamShadowFolder &operator=(const RamShadowFolder &) = delete;

  /// The folder, open (O_PATH | O_DIRECTORY).
  int fd() const { return Fd; }

private:
  RamShadowFolder(int Fd, std::string Path) : Fd(Fd), Path(std::move(Path)) {}
  int Fd;
  std::string Path;
};

/// One file's or directory's stand-in.
class RamShadow {
public:
  /// What happened to the file, beyond its names (entered(), removed(),
  /// renamed()).
  enum class Event {
    /// Written or truncated, or only its modification time set.
    Modified,
    /// Read, or only its access time set.
    Accessed,
    /// chmod, chown, or both times set.
    Attributes,
    /// A name made or removed in a directory no stand-in mirrors.
    Links,
  };

  /// \p N's stand-in, made now if it has none (and the folder with it);
  /// null with \p Error (an errno) if it could not be made. A directory's
  /// mirrors its entries from now on.
  static RamShadow *
  ensure(RamInode &N, std::shared_ptr<RamShadowFolder> &Folder, int &Error);

  /// Where the client watches it (its host path now); empty once it has
  /// no name (nobody can name the file any more to watch it).
  std::string hostPath();

  /// Tells \p N's stand-in, if it has one, of \p E.
  static void tell(RamInode &N, Event E);

  /// Opens \p N's stand-in, if it has one, with \p Access (O_RDONLY,
  /// O_WRONLY, O_RDWR, or O_PATH), for an open of the file: the host
  /// reports IN_OPEN now, and IN_CLOSE_WRITE or IN_CLOSE_NOWRITE when the
  /// descriptor answered is closed; -1 if none.
  static int open(RamInode &N, uint32_t Access);

  /// \p Child got the name \p Name in \p Dir (a new file, a link, a
  /// directory); \p Existed: it had a name before (a link).
  static void entered(RamInode &Dir, const std::string &Name, RamInode &Child,
                      bool Existed);
  /// \p Child lost the name \p Name in \p Dir (unlink, rmdir); \p Open:
  /// a client has it open.
  static void removed(RamInode &Dir, const std::string &Name, RamInode &Child,
                      bool Open);
  /// \p Moving went from \p FromName in \p From to \p ToName in \p To,
  /// replacing \p Replaced there if not null (whose name ramfs removed).
  static void renamed(RamInode &From, const std::string &FromName, RamInode &To,
                      const std::string &ToName, RamInode &Moving,
                      RamInode *Replaced);

  /// rename's RENAME_EXCHANGE: \p X left \p NameA in \p DirA for
  /// \p NameB in \p DirB, and \p Y the other way. Where both folders
  /// are mirrored the host exchanges their names; where one is, its name
  /// is exchanged with a name made for the other file in the folder; so
  /// the watchers hear IN_MOVED_FROM and IN_MOVED_TO, as on Linux.
  static void exchanged(RamInode &DirA, const std::string &NameA,
                        RamInode &DirB, const std::string &NameB, RamInode &X,
                        RamInode &Y);

  /// Unlinks what names are left and lets the stand-in go: the host then
  /// reports IN_DELETE_SELF and IN_IGNORED to its watchers.
  ~RamShadow();
  RamShadow(const RamShadow &) = delete;
  RamShadow &operator=(const RamShadow &) = delete;

private:
  /// A descriptor shared by a directory's stand-in and its entries' names.
  struct Held {
    explicit Held(int Fd) : Fd(Fd) {}
    ~Held();
    int Fd;
  };
  /// One host name of a stand-in: in the folder (Dir null) or in a
  /// mirroring directory's stand-in.
  struct Place {
    std::shared_ptr<Held> Dir;
    std::string Name;
  };

  RamShadow(std::shared_ptr<RamShadowFolder> Folder, bool IsDir, int Fd,
            Place At);
  /// A new stand-in named \p At (a file made, or a directory made unless
  /// \p Adopt: one that is there already).
  static std::unique_ptr<RamShadow>
  make(std::shared_ptr<RamShadowFolder> Folder, bool IsDir, Place At,
       bool Adopt, int &Error);
  /// A random name for the folder.
  static std::string freshName();
  /// \p N's host name \p From, if it is one of its stand-in's, is \p To
  /// now; whether it was.
  static bool repoint(RamInode &N, const Place &From, const Place &To);
  int dirFd(const Place &P) const;
  /// The name in a mirroring directory changes go through (its watchers
  /// then hear of them, as a Linux parent does), or null (Lock held).
  const Place *reported() const;
  void tell(Event E);
  /// Unlinks the names in the folder: the file's last name went.
  void unlinked();
  /// Renamed where no stand-in mirrors its directories: IN_MOVE_SELF.
  void moved();
  /// A directory's stand-in: its entries' names (Dir.Shadow non-null).
  static RamShadow *mirror(RamInode &Dir);
  /// Puts \p Child's name \p Name in \p In's mirror (populating it, or
  /// entered()).
  static void place(RamShadow &In, const std::string &Name, RamInode &Child);

  std::shared_ptr<RamShadowFolder> Folder;
  bool IsDir;
  /// O_PATH: no open or close events of its own. Let go (Lock) when the
  /// file is gone for good and nobody has it open.
  std::shared_ptr<Held> Self;
  std::mutex Lock;
  /// Its names (Lock): a directory has one, a file its name in the folder
  /// first, then its names in mirroring directories and in the folder
  /// (a mirrored name renamed away). Empty once the file has no name.
  std::vector<Place> Places;
};

} // namespace k42::ramfs

#endif // K42_SERVERS_RAMFS_RAMSHADOW_H
