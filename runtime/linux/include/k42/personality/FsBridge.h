//===- k42/personality/FsBridge.h - K42 file servers from handlers -*- C++
//-*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The personality's client of the K42 file servers (FREENIX 2003, section
/// 4.5), usable in handler context: the mount table read from the name
/// server and cached (refreshed when its version changes), paths resolved
/// to a mount by longest prefix, restarts followed, and the FileSystem and
/// File calls marshalled straight into the channel pages with the
/// generated Meta constants and PPCWriter/PPCReader, into caller buffers:
/// the generated stubs' std::string and std::vector out parameters would
/// allocate with libc's malloc, which a handler must never enter.
///
/// One instance per process. A forked child notices that its pid changed on
/// its first call and makes its own kernel connection and channels (its
/// parent's are left alone: their slots belong to the parent's threads).
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_FSBRIDGE_H
#define K42_PERSONALITY_FSBRIDGE_H

#include "k42/personality/GateLock.h"
#include "k42/personality/KernelConnection.h"
#include "k42/personality/Syscall.h"

#include "FsTypes.h"

#include <cstddef>
#include <cstdint>

namespace k42::personality {

/// The server side of one open K42 file, valid in the process that opened
/// it (Owner).
struct ServerFile {
  /// The channel, held (GateTransport::retain) from a successful open to
  /// FsBridge::close or FsBridge::drop: a call on the file (which the
  /// caller holds: FdTable::hold) never finds it unmapped.
  GateTransport *Via = nullptr;
  ObjectHandle Handle;
  long Owner = 0;
  /// While this process holds the file's single-client lease (open with
  /// WantLease, granted): Via's notification ring, and its count before
  /// the open. The server revokes the lease by moving that count, so the
  /// lease stands while GateTransport::notificationCount(*LeaseRing) is
  /// LeaseSeen. Cleared in a fork child (another client).
  const NotifyRing *LeaseRing = nullptr;
  uint32_t LeaseSeen = 0;
  /// Via's notification count before the open (or the last filePath): the
  /// server moves it when a file or directory open here, or a directory
  /// above it, is renamed (File::path then says where it is).
  uint32_t PathSeen = 0;
  /// Opened with the server's lease (ramfs grants one when no other
  /// process has the file open): nobody else can change the file without
  /// the server first moving LeaseRing's count, so while it has not moved,
  /// and this process made no change of its own since (OwnSeen), the
  /// open's attributes (OpenAttr) answer fstat with no call (coreutils and
  /// stdio fstat what they open, for reading and for writing). A read that
  /// the description's copy cannot serve drops LeaseRing, and fstat asks
  /// the server again; so does a write (OwnSeen).
  bool AttrLeased = false;
  uint32_t OwnSeen = 0;
  /// Set when fstat answered from OpenAttr: the server did not see that
  /// query of the file's times, so the next pwrite tells it
  /// (fs::WriteQueried), as an fstat that asked would have.
  bool AttrShown = false;
  /// Opened for reading only, a regular file on a read-only mount (hostfs's
  /// /usr, /etc): nothing K42 does changes it while the handle lives, so
  /// its close can wait (FsBridge::close parks it) and its open's
  /// attributes answer the first fstat.
  bool Stable = false;
  /// The open's attributes are still unspent: set by a Stable open, spent
  /// by the first fstat or pread (glibc opens a locale file, fstats it and
  /// maps it: one call fewer each).
  bool AttrFresh = false;
  fs::FileAttr OpenAttr{};
  /// Opened without a call: a directory of a read-only mount's host
  /// directory that the host found and let this process open (glibc
  /// opens every locale category's path, LC_MESSAGES a directory, and
  /// only fstats and closes it). Owner is this process and Via null, so
  /// the first use that needs the server makes the handle as a fork
  /// child's re-authorisation does; until then OpenAttr answers the first
  /// fstat, paths relative to it and fchdir need no handle, and the close
  /// makes no call.
  bool Deferred = false;
};

/// Where an open for reading takes a small file's bytes when the server
/// answers them with the lease (fs::WalkData): the client holds the file
/// in its description from the open on (paper 4.5), so its reads need no
/// call.
struct OpenBytes {
  /// fs::OpenDataMax bytes, the caller's.
  char *Buffer = nullptr;
  size_t Size = 0;
  /// Buffer[0, Size) is the whole file, which this process holds the
  /// lease on (ServerFile::LeaseRing).
  bool Whole = false;
};

/// K42 file service for this process.
class FsBridge {
public:
  /// Remembers the kernel socket (\p SocketPath, K42_KERNEL_SOCKET; null
  /// for the default /tmp/k42-<uid>/kernel.sock). Nothing is connected
  /// until the first file call. Call before the process is armed.
  static void configure(const char *SocketPath);

  /// Adds the absolute paths in \p List (separated by ':', as
  /// $K42_HOST_PATHS gives them) to the host-only prefixes: the host's
  /// own trees a program must reach where K42 has a name of the same top
  /// (a source or build tree under /tmp, say). Call before the process is
  /// armed; paths that are not absolute, or beyond the room, are ignored.
  static void addHostPaths(const char *List);

  /// Whether K42 serves files for this process: connected (or connects
  /// now, once per process) to a running system. False means every file
  /// call passes through to the host.
  static bool available();
  /// Why this process, started inside a system (K42_KERNEL_SOCKET named
  /// it), cannot reach it, as the errno its K42 paths then fail with
  /// rather than reach the host (said once on stderr); 0 when it can, or
  /// when there is no system. EMFILE: no descriptor at 1000 or above (a
  /// hard RLIMIT_NOFILE below 1010 set outside K42). EACCES: the system's
  /// socket refused it (the process changed to a user it does not admit:
  /// `su`, `runuser`). Meaningful once available() answered.
  static long unreachable();
  /// Whether absolute, normalised \p Path is under a host-only prefix
  /// (HostOnlyPrefixes, or a host path of addHostPaths()).
  static bool hostOnly(const char *Path);
  /// Whether \p Path is under one of HostOnlyPrefixes (/proc, /dev, /sys,
  /// /run), whose names and links are the host's own.
  static bool underHostOnlyPrefix(const char *Path);
  /// available(), and the kernel connection opened now if this process
  /// has none yet (a fork child opens it on its first connect): a
  /// posix_spawn child runs in this memory with a copy of this process's
  /// descriptors, so a channel it makes must come through a socket this
  /// process holds too.
  static void beforeSpawn();
  /// In a fork child, before it runs anything else (single-threaded, so
  /// without the lock): closes its copy of the parent's kernel socket.
  static void leaveParent();
  /// After a set*id call or setgroups changed this process's credentials:
  /// a fork child stops asking through its parent's channels (whose
  /// calls the servers check with the credentials the parent joined
  /// with), and joins on its own from then on.
  static void credentialsChanged();
  /// A channel to the server holding kernel path \p Path (the Linux
  /// process server's), through this process's kernel connection: the
  /// process client shares the file client's, so a process connects to
  /// and says hello to the kernel once, and the kernel sends one
  /// ClientGone per server at its exit. Opens the connection if this
  /// process has none yet (a fork child's own; the mount table is not
  /// read for this). Null and \p Error (ENOENT, ECONNREFUSED: no system)
  /// if the channel cannot be had; -EDEADLK, without waiting, while the
  /// file client's lock is held (perhaps by the code a signal handler
  /// interrupted): the caller connects on its own then. Not in a
  /// posix_spawn child (the connection would be its parent's).
  static GateTransport *connectService(const char *Path, ObjectHandle &Root,
                                       long &Error);
  /// The kernel socket's path configure() chose (the pipe server's socket
  /// is beside it).
  static const char *socketPath();

  /// Whether absolute, normalised \p Path is K42's: not under a host-only
  /// prefix (/proc, /dev, /sys, /run, and those of addHostPaths()) and its
  /// first component exists at K42's root. Requires available().
  static bool isK42Path(const char *Path);
  /// Whether K42 \p Path (absolute, normalised) is on a mount that may
  /// change (not name::MountReadOnly): where a directory can be renamed.
  static bool onWritableMount(const char *Path);

  /// What a path call answers when a K42 symlink on the way leads out of
  /// K42 (/tmp/py -> /root/bin/python: a host-only path): the call is the
  /// host's, on the path takeHostPath() gives. Outside the errno range, so
  /// it is never a program's answer (the transfer table makes a stray one
  /// ENOENT).
  static constexpr long LeftK42 = personality::LeftK42;
  /// The host path of the calling thread's last call that answered
  /// LeftK42, copied into \p Out (PathBytes), and forgotten: each thread's
  /// is kept apart, since another thread's path call may leave K42 between
  /// this thread's call and its take. Empty if more than 16 other threads'
  /// calls left K42 meanwhile (the host then answers ENOENT).
  static void takeHostPath(char *Out);
  /// Whether K42 path \p Abs's folder is a host folder that a K42 symlink
  /// on the way to it names (/tmp/w/hl/new, hl -> /work/src): then the
  /// host path of \p Abs, that folder's with \p Abs's last component,
  /// into \p HostOut (PathBytes). rename and link, which follow no last
  /// symlink, ask it of both their paths: both such, the host renames or
  /// links; one such, EXDEV.
  static bool hostFolderOf(const char *Abs, char *HostOut);

  /// Whether host descriptor \p Fd is a file of a read-only mount's host
  /// directory (an open for reading of such a file gives the program the
  /// host's own descriptor): calls that would change it through the
  /// descriptor (fchmod, fchown, futimens, fsetxattr) are EROFS, as the
  /// mount is, for root too.
  static bool readOnlyHostFile(long Fd);

  /// Names the server host process \p Pid for CallStats's report: the
  /// path of the mount it serves ("/usr") or "name" (the mount table's),
  /// into \p Out (\p Capacity bytes). False if this process has no channel
  /// to it, or the lock is held (a report from inside a call).
  static bool serverName(long Pid, char *Out, size_t Capacity);

  /// The host-only prefixes, in one place (the README lists them too).
  static const char *const HostOnlyPrefixes[];

  /// One mount of K42's table, as listMounts() hands it on.
  struct MountView {
    /// Where it is mounted (absolute, normalised).
    const char *Path;
    /// The object its server serves it as ("/fs/root", "/fs/usr").
    const char *Object;
    bool ReadOnly;
    /// The host directory a read-only, sealed mount serves (hostfs's
    /// /usr: "/usr"), canonical; null for a mount that serves its own
    /// files (ramfs's /).
    const char *HostDir;
  };
  /// Calls \p Fn(\p Context, Mount) for each mount of K42's table (read
  /// again if it changed), longest path first, with the bridge's lock
  /// held: \p Fn copies what it needs and makes no FsBridge call. The
  /// process's view of its mounts (/proc/self/mountinfo: MountsView) is
  /// built from it. False if the table cannot be read.
  static bool listMounts(void (*Fn)(void *Context, const MountView &Mount),
                         void *Context);

  // Path calls on absolute paths; 0 (or a count) or a negated errno.
  // On a read-only mount that is a host directory this process reaches
  // (HostDirect.h), the host answers a lookup that fails and a stat when
  // it resolves the path without a symlink: no server call.
  /// open; with \p WantLease it asks for the file's single-client lease
  /// (File.LeaseRing set if granted: servers/ramfs/README.md; for an open
  /// for reading only, File.AttrLeased then). With
  /// \p HostFd, an open for reading of a regular file on such a mount is
  /// authorised by the server (no handle made) and opened on the host with
  /// the program's \p HostFlags: 0 and *HostFd the host descriptor, which
  /// the program holds as its own (File is unused); *HostFd -1 otherwise.
  /// With \p HostFd too, an open for reading of a directory there that the
  /// host reaches without a symlink, and lets this process open, makes no
  /// call: File is Deferred (its handle made at first need). With
  /// \p Canonical (PathBytes), the file's path with every '..' and symlink
  /// resolved, as the server walked it, when one walked it on a mount of
  /// its own (ramfs's: Linux's '..' of a folder descriptor is the folder's
  /// parent, not the path typed); empty when not known. With \p Bytes, an
  /// open for reading only with \p WantLease asks for a small file's bytes
  /// too (fs::WalkData): Bytes->Whole says whether they came.
  static long open(const char *Path, uint32_t Flags, uint32_t Mode,
                   ServerFile &File, fs::FileAttr &Attr, bool WantLease = false,
                   long HostFlags = 0, long *HostFd = nullptr,
                   char *Canonical = nullptr, OpenBytes *Bytes = nullptr);
  /// Opens again, for this process, the file an open answered \p Key for
  /// (fs::FileAttr::OpenKey), on the server of \p Path's mount (where the
  /// file was opened: a rename never leaves its mount), with \p Flags'
  /// access: a descriptor this process inherited or was passed, whose file
  /// may be renamed or unlinked since (fs::FileSystem::reopen). -ESTALE
  /// when the server no longer knows the key (or it is 0), -ENOSYS from a
  /// server that gives none: the caller opens by path then.
  static long reopen(const char *Path, uint64_t Key, uint32_t Flags,
                     ServerFile &File, fs::FileAttr &Attr);
  /// Whether this process has made no call that may change a file since
  /// \p Seen (ServerFile::OwnSeen): the server never revokes a process's
  /// lease for its own changes, so a copy held under a reader's lease is
  /// the file only while this holds.
  static bool unchangedSince(uint32_t Seen);
  /// stat (lstat unless \p Follow) of \p Path. With \p Canonical
  /// (PathBytes), the file's path with every '..' and symlink resolved, as
  /// open's (a ramfs walk's); empty when not known (a mount with no mount
  /// below it resolves its own symlinks, a host folder's file is the
  /// host's lookup).
  static long stat(const char *Path, bool Follow, fs::FileAttr &Attr,
                   char *Canonical = nullptr);
  static long mkdir(const char *Path, uint32_t Mode);
  /// A special file (\p Mode's type: S_IFIFO), as FileSystem::mknod.
  static long mknod(const char *Path, uint32_t Mode);
  static long rmdir(const char *Path);
  static long unlink(const char *Path);
  static long rename(const char *From, const char *To, uint32_t Flags);
  static long link(const char *Existing, const char *NewPath);
  /// Extended attributes (fs::FileSystem::setxattr and the rest) of
  /// \p Path, \p Follow its last symlink or not. getxattr and listxattr
  /// write up to \p Size bytes at \p Buffer and answer the whole length
  /// (the caller says ERANGE where it did not fit).
  static long setxattr(const char *Path, const char *Name, const void *Value,
                       size_t Size, uint32_t Flags, bool Follow);
  static long getxattr(const char *Path, const char *Name, bool Follow,
                       void *Buffer, size_t Size);
  static long listxattr(const char *Path, bool Follow, void *Buffer,
                        size_t Size);
  static long removexattr(const char *Path, const char *Name, bool Follow);
  /// linkat of a descriptor: \p Path made a hard link to the file its open
  /// answered \p Key for (fs::FileSystem::linkOpen), on the server \p Path
  /// reaches. ENOSYS from a server without keys, ESTALE from one that
  /// does not know the key (another mount's file).
  static long linkOpen(const char *Path, uint64_t Key);
  static long symlink(const char *Target, const char *Path);
  /// The link text into \p Buffer (not terminated); its length.
  static long readlink(const char *Path, char *Buffer, size_t Size);
  static long chmod(const char *Path, uint32_t Mode);
  static long truncate(const char *Path, uint64_t Size);
  /// utimensat of \p Path (\p Follow: not AT_SYMLINK_NOFOLLOW).
  static long utimens(const char *Path, const fs::FileTimes &Times,
                      bool Follow);
  /// chown (\p Follow) or lchown; fs::NoOwner leaves one as it is.
  static long chown(const char *Path, uint32_t Uid, uint32_t Gid, bool Follow);
  /// The figures of the file system \p Path is on (following symlinks and
  /// mounts to the file itself): ENOENT if it does not exist.
  static long statfs(const char *Path, fs::FsInfo &Info);
  /// The host file whose inotify events are \p Path's (FileSystem::watch:
  /// \p Follow, not IN_DONT_FOLLOW), its path into \p HostPath (\p Size
  /// bytes, terminated): 0, or an error (ENAMETOOLONG for a path that does
  /// not fit).
  static long watch(const char *Path, bool Follow, char *HostPath, size_t Size);

  // Calls on an open file.
  static long pread(ServerFile &File, uint64_t Offset, void *Buffer,
                    size_t Count);
  static long pwrite(ServerFile &File, uint64_t Offset, const void *Buffer,
                     size_t Count, bool Append, uint64_t &End);
  static long fstat(ServerFile &File, fs::FileAttr &Attr);
  /// The path of \p File now (File::path: a directory renamed, or moved
  /// with one above it, since it was opened; a file by the name it was
  /// opened by), absolute, into \p Out (\p Size bytes, terminated): 0, or
  /// an error (ENOENT once removed, ENOSYS where the server cannot say).
  static long filePath(ServerFile &File, char *Out, size_t Size);
  static long ftruncate(ServerFile &File, uint64_t Size);
  /// fallocate's hole punching (fs::File::punchHole).
  static long punchHole(ServerFile &File, uint64_t Offset, uint64_t Length);
  /// fallocate's reservation of space (fs::File::allocate).
  static long allocate(ServerFile &File, uint64_t Offset, uint64_t Length);
  /// lseek's SEEK_DATA or SEEK_HOLE (fs::File::seekData): the offset found,
  /// or a negated errno.
  static long seekData(ServerFile &File, uint64_t Offset, uint32_t Whence);
  static long fsync(ServerFile &File);
  static long fchmod(ServerFile &File, uint32_t Mode);
  static long fchown(ServerFile &File, uint32_t Uid, uint32_t Gid);
  static long futimens(ServerFile &File, const fs::FileTimes &Times);
  /// The file's memory (File::memory: ramfs's memfd of it) opened in this
  /// process with \p Access (O_RDONLY or O_RDWR), close-on-exec: a host
  /// descriptor the caller maps with the host's mmap and then closes.
  /// -ENODEV from a server whose files are not memory (hostfs); -EIO if
  /// the descriptor the server named is not the memfd it described.
  static long openMemory(ServerFile &File, long Access);
  /// getdents64 records from \p Cookie into \p Buffer; \p Next the cookie
  /// to continue from. The bytes given, 0 at the end.
  /// readdir of a directory opened without a call (ServerFile::Deferred),
  /// at K42 \p Path, from the host directory it is (the same listing and
  /// cookies hostfs's readdir gives: getdents64 from lseek to \p Cookie,
  /// \p Next the last entry's d_off), so that `find` or `du` over /usr
  /// makes no server call a folder. False, with nothing done, where the
  /// host cannot answer for the server (the mount or the folder is not
  /// what the open found: \p Expect's device and inode); else the call's
  /// result in \p Got.
  static bool readdirOnHost(const char *Path, const fs::FileAttr &Expect,
                            uint64_t Cookie, void *Buffer, size_t Size,
                            uint64_t &Next, long &Got);
  static long readdir(ServerFile &File, uint64_t Cookie, void *Buffer,
                      size_t Size, uint64_t &Next);
  /// Ends the handle. A Stable one is parked instead (up to ParkedMax per
  /// process, the oldest closed when more come): the server ends it when
  /// the process exits (ClientGone), so a short program's locale and
  /// configuration files cost no close call each. A parked handle whose
  /// channel goes (a mount change, a fork child's own connections, exec)
  /// is forgotten by the process and still ended by the server at exit.
  static long close(ServerFile &File);
  /// Lets go of the file's channel without a call: the handle is not this
  /// process's to end (a fork parent's, inherited) or its server is gone.
  static void drop(ServerFile &File);
  /// The most handles a process keeps parked (each holds a host descriptor
  /// in hostfs until the process exits).
  static constexpr unsigned ParkedMax = 16;
  /// Handles parked now (tests).
  static unsigned parkedCount();

  /// Across exec (the process stays the same, so do its connections):
  /// writes what the next program needs to go on with this process's
  /// kernel connection, mount table channel and file server channels into
  /// \p Out (\p Capacity bytes) and lets their descriptors survive the
  /// exec. The bytes written; 0 when there is nothing to hand on (never
  /// connected, or a child that has not yet made its own connections).
  static size_t beforeExec(void *Out, size_t Capacity);
  /// The exec failed: the descriptors are close-on-exec again.
  static void execFailed();
  /// Where beforeExec() hands on the channel \p Via (a mount's): its
  /// index, which the next program gives carriedChannel(); -1 if it is no
  /// mount's channel of this process's own. A file's handle is carried
  /// across exec so (FileState): the process, and so the server's client,
  /// is the same.
  static int32_t channelIndex(const GateTransport *Via);
  /// In the new program, after afterExec(): the channel of mount \p Index
  /// as the old program named it (channelIndex()), held for a file carried
  /// across exec (GateTransport::retain); null if it was not taken over.
  static GateTransport *carriedChannel(int32_t Index);
  /// The count of this process's own calls that may change a file, for
  /// ServerFile::OwnSeen.
  static uint32_t ownChanges();
  /// In the new program, before it is armed: takes over what beforeExec
  /// wrote (\p Bytes of \p In). Anything that does not check out is
  /// closed, and the process connects afresh on its first file call. \p In
  /// is the caller's own buffer (this process's memory, read from the exec
  /// state), used in place and changed: no copy of its 14 KiB, whose pages
  /// every exec'd program would fault in.
  static void afterExec(void *In, size_t Bytes);

  /// \p Path (absolute, any form) normalised into \p Out (PathMax + 1
  /// bytes): '//' and '.' dropped, '..' kept, a trailing '/' kept as one.
  /// -ENAMETOOLONG if it does not fit.
  static long normalize(const char *Path, char *Out);
};

} // namespace k42::personality

#endif // K42_PERSONALITY_FSBRIDGE_H
