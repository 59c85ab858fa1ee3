//===- k42/personality/DevFd.h - Descriptors reached by name ---*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Programs reach their own descriptors by name: bash's process
/// substitution passes /dev/fd/63, `cat /dev/stdin` opens descriptor 0,
/// `ls -l /proc/self/fd` reads the links. The host serves those names from
/// its own table, where a K42 descriptor is only its placeholder (a memfd
/// for a file, a socket for a pipe end), so the personality recognises
/// them and answers for its descriptors as Linux does for real ones; a
/// host descriptor's name still goes to the host. The host's
/// /proc/self/fd also lists the personality's own descriptors (1000 and
/// up), which a listing of it here leaves out.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_DEVFD_H
#define K42_PERSONALITY_DEVFD_H

#include "k42/personality/SyscallTable.h"

#include <cstddef>

namespace k42::personality {

/// The names of this process's descriptors.
class DevFd {
public:
  /// The descriptor number that absolute \p Path names in the process
  /// whose host pid is \p Pid: /dev/fd/N, /proc/self/fd/N,
  /// /proc/thread-self/fd/N, /proc/<Pid>/fd/N, /proc/<Pid>/task/<tid>/fd/N,
  /// and with \p Aliases /dev/stdin, /dev/stdout, /dev/stderr (0, 1, 2:
  /// links to those, so not for readlink); -1 for any other path. No
  /// system call: the unit tests call it.
  static long number(const char *Path, long Pid, bool Aliases);
  /// A path through a descriptor's name (/dev/fd/N/REST, /proc/self/fd/N/
  /// REST and the other spellings number() knows, not the aliases): N into
  /// \p Fd and REST (what follows the '/', "" for a trailing one), which
  /// Linux walks from the folder N names; null for any other path. No
  /// system call.
  static const char *underFd(const char *Path, long Pid, long &Fd);
  /// What follows this process's own link \p Link ("cwd" or "root") in
  /// absolute \p Path, /proc/self/<Link>, /proc/thread-self/<Link>,
  /// /proc/<Pid>/<Link> or a thread's: "" when \p Path is the link itself,
  /// "/REST" when it goes through it; null for any other path. The host's
  /// links are the host process's, whose folder never moves (K42 keeps
  /// the current directory) and whose root is the host's. No system call.
  static const char *ownLink(const char *Path, long Pid, const char *Link);
  /// What follows /proc/<pid> or /proc/<pid>/task/<tid> in \p Path (from
  /// its '/'), for any process; null for any other path. No system call.
  static const char *anyProcessRest(const char *Path);
  /// Whether \p Path (the host's name of an open directory) is this
  /// process's descriptor directory, /proc/<Pid>/fd or a thread's; with
  /// \p Pid -1, any process's.
  static bool isFdDirectory(const char *Path, long Pid);
  /// Drops the getdents64 records of \p Buffer (\p Length bytes) that name
  /// the personality's own descriptors (FirstPrivateFd and up; with \p Own,
  /// a listing of this process's, those the program holds there are kept:
  /// ProgramFds); the length left. No system call.
  static size_t hidePrivate(char *Buffer, size_t Length, bool Own = false);

  /// The K42 descriptor (file or pipe end) that the caller's path names
  /// (\p DirFd is ignored: only absolute names count), or -1: another
  /// name, a host descriptor's, a bad pointer (the caller's own path
  /// handling then answers). Aliases as for number().
  static long k42Fd(long UserPath, bool Aliases);
  /// The K42 descriptor that the caller's relative name \p UserPath ("N")
  /// names in host folder \p DirFd when that folder is this process's own
  /// descriptor folder (an open of /dev/fd/ or /proc/self/fd/, gnulib's
  /// way to reopen /dev/fd/N: gzip's `gzip -dc <(...)`), or -1. The host
  /// would open the descriptor's placeholder: a pipe end's ENXIO, a file's
  /// personality bytes.
  static long k42FdAt(long DirFd, long UserPath);
  /// The K42 descriptor (file or pipe end) whose information the
  /// caller's absolute path names, /proc/self/fdinfo/N or its other
  /// spellings for this process; -1 for any other path.
  static long k42InfoFd(long UserPath);
  /// open(at) for reading of K42 descriptor \p Fd's information (from
  /// k42InfoFd):
  /// what Linux's /proc/<pid>/fdinfo/N says of it (pos, flags with
  /// O_CLOEXEC, mnt_id, ino), in a new read-only memfd, close-on-exec with
  /// O_CLOEXEC in \p Flags. The host's file there is the placeholder's: a
  /// memfd's position and a socket's flags, not the file's or the pipe's
  /// (lsof read the position of its test descriptor there, found it
  /// wrong, and then used fdinfo fields it never read, and crashed).
  static long openInfo(long Fd, long Flags);
  /// open(at) for reading of another process's /proc/<pid>/fdinfo/N when
  /// its descriptor N is a K42 file's description (read from the
  /// description its memfd holds, as otherProcessFile reads the path):
  /// true, and the new descriptor or a negated errno in \p Result; false
  /// for any other name (the host's file then).
  static bool openOtherInfo(long UserPath, long Flags, long &Result);
  /// open(at) of another process's /proc/<pid>/fd/N (or a thread's) when
  /// its descriptor N is a K42 file's description: a new open of that
  /// file, by the description's key and path, with \p Flags and \p Mode,
  /// as Linux opens the file the link names (its own offset). true, and
  /// the new descriptor or a negated errno in \p Result; false for any
  /// other name (the host's open then: the placeholder alone, read as the
  /// description's bytes, and EPERM for a write, before battery 38).
  static bool openOtherFile(long UserPath, long Flags, long Mode, long &Result);
  /// Whether the caller's path names this process's own executable:
  /// /proc/self/exe, /proc/thread-self/exe, /proc/<pid>/exe or a thread's
  /// (ProcessState::programAt answers those for a static program).
  static bool namesOwnExe(long UserPath);
  /// open(at) of a K42 descriptor's name (\p Fd from k42Fd): a K42 file
  /// opened afresh by its path with \p Flags (a new description; O_TRUNC
  /// and O_CREAT | O_EXCL apply), a pipe end as PipeCalls::reopen.
  static long open(long Fd, long Flags, long Mode);
  /// readlink of the name of K42 descriptor \p Fd: the file's K42 path, or
  /// pipe:[id] for a pipe end; up to \p Size bytes to \p User.
  static long readlink(long Fd, long User, long Size);
  /// readlink of the caller's path when it names another process's
  /// current directory (/proc/<pid>/cwd) while that is K42's, or
  /// descriptor (/proc/<pid>/fd/N, /proc/<pid>/task/<tid>/fd/N) that the
  /// host shows as a K42 file's description (its memfd): the file's K42
  /// path, read from the description, which every process holding the
  /// descriptor shares, as Linux shows the path opened. True, and
  /// \p Result the answer (up to \p Size bytes to \p User), when it was
  /// such a name; false for any other (the host's answer stands).
  /// Also another process's /proc/<pid>/exe when its program is a copy
  /// of a file only K42 has: that file's K42 path (ImageName).
  static bool otherProcessLink(long UserPath, long User, long Size,
                               long &Result);
  /// The start of the name of a memfd that holds a copy of a program only
  /// K42 has, exec'd from it (FileState::hostImage): the program's K42
  /// path follows, where it fits a memfd's name, so that another
  /// process's readlink of /proc/<pid>/exe can say it (the host's says
  /// the memfd's).
  static constexpr char ImageName[] = "k42-image:";
  /// What Linux's d_path puts after the name of a file or folder with no
  /// name left (an open file unlinked, a removed current directory, an
  /// unlinked program).
  static constexpr char Deleted[] = " (deleted)";
  /// Link text \p Text (\p Length bytes, in room for \p Capacity with its
  /// terminator) with Deleted after it; its new length, the old where it
  /// does not fit.
  static size_t markDeleted(char *Text, size_t Length, size_t Capacity);
  /// Where a process whose current directory is K42's keeps its path (a
  /// memfd named k42-cwd, at a private descriptor inherited by fork and
  /// kept across exec), for other processes' readlink of its
  /// /proc/<pid>/cwd (pwdx, lsof): the host's link names the folder its
  /// k42-exec started in. The top of the personality's 1024 (FdLimit's
  /// PrivateRoom).
  static constexpr int CwdFd = 1023;
  /// This process's current directory became K42 path \p Abs (null: a
  /// host folder): a new memfd at CwdFd (never rewritten: a fork child
  /// still shares the old one), or none.
  static void publishCwd(const char *Abs);
  /// Another process's K42 current directory (what it published,
  /// publishCwd), into \p Out (\p Capacity bytes), when absolute \p Path
  /// is its /proc/<pid>/cwd or a path through it: what follows the link
  /// ("" or "/REST"); null for any other path, or a process whose current
  /// directory is the host's. Where the host's link names that process's
  /// host folder, which K42's current directory never moves.
  static const char *otherCwd(const char *Path, char *Out, size_t Capacity);
  /// The K42 path of the file that the caller's path names when it is
  /// another process's descriptor name (/proc/<pid>/fd/<n>) and that
  /// descriptor is a K42 file's description (the path it was opened at),
  /// into \p Out; false for any other name. What stat through the name
  /// answers (fuser and lsof compare st_dev and st_ino), and readlink.
  static bool otherProcessFile(long UserPath, char *Out, size_t Capacity);
  /// The access mode (O_RDONLY, O_WRONLY, O_RDWR) of the descriptor
  /// \p UserPath names, one of the caller's own (a K42 file or pipe end,
  /// k42Fd) or another process's (/proc/<pid>/fd/N holding a K42 file's
  /// description), or -1. The host's lstat of such a name shows the
  /// placeholder's read-write; Linux's shows the descriptor's own access
  /// (lr-x, l-wx or lrwx, which lsof and ls -l read).
  static long linkAccess(long UserPath);
  /// readlink's answer of link text \p Target (\p Length bytes): up to
  /// \p Size of them, no terminator, to \p User; how many, EINVAL for no
  /// room asked, EFAULT for a bad buffer.
  static long linkText(const char *Target, size_t Length, long User, long Size);
  /// getdents64 of a host directory (\p Call's descriptor): the host's
  /// records, without the personality's own descriptors when it is this
  /// process's /proc/<pid>/fd.
  static long getdents(SyscallCall &Call);
};

} // namespace k42::personality

#endif // K42_PERSONALITY_DEVFD_H
