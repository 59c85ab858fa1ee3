//===- k42/personality/MountsView.h - The mount table a program reads -*- C++
//-*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The mount table of a personality process as Linux's files show it
/// (/proc/self/mounts, /proc/self/mountinfo, /proc/mounts, and /etc/mtab,
/// the host's link to the first): K42's namespace, not the host's. df,
/// findmnt, mount, mountpoint and every libmount user look a path's mount
/// up there, then check it against stat and statfs; with the host's table
/// a file in K42's /tmp was on the host's ext4 root while statfs said
/// ramfs.
///
/// The table holds K42's root and each mount of K42's table
/// (FsBridge::listMounts): a mount a server serves its own files on
/// (ramfs) as that server's, "k42:<object>"; a read-only mount of a host
/// directory (hostfs's /usr) as a bind of the host file system that
/// directory is on, read-only. Then what a K42 path reaches on the host:
/// each host folder at the host's root that K42's root does not have (the
/// host-only prefixes among them: /proc, /dev) as a bind of its file
/// system, and the host's mounts below those folders and below a mount's
/// host directory, at the paths a K42 program reaches them by. The
/// host's mounts keep their ids; K42's are numbered from FirstId. The
/// text is composed when the file is opened, so it is the namespace of
/// that moment, as Linux's is.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_MOUNTSVIEW_H
#define K42_PERSONALITY_MOUNTSVIEW_H

#include <cstddef>
#include <cstdint>

namespace k42::personality {

/// The mount table of the process's namespace (K42's), as Linux's files
/// show it.
class MountsView {
public:
  /// Which of Linux's two texts a file is.
  enum class Format {
    /// /proc/self/mounts, /proc/mounts: "source point type options 0 0".
    Mounts,
    /// /proc/self/mountinfo: ids, devices, roots and both option sets.
    MountInfo,
  };

  /// Whether absolute, normalised \p Path is one of process \p Pid's
  /// mount tables (/proc/mounts; mounts or mountinfo under /proc/self/,
  /// /proc/thread-self/ or /proc/<Pid>/), and which.
  static bool names(const char *Path, long Pid, Format &Which);

  /// An open for reading of the table \p Which: the namespace's mounts
  /// now (the host's table, K42's, the host folders at the host's root),
  /// composed into a read-only file (OwnMemfd::readOnlyFile) at the
  /// lowest free number, close-on-exec with O_CLOEXEC in \p Flags. The
  /// descriptor, or a negated errno.
  static long open(Format Which, long Flags);

  /// A mount of K42's table, as compose() takes it.
  struct K42Mount {
    const char *Path;
    const char *Object;
    bool ReadOnly;
    /// The host directory the mount serves (FsBridge::MountView), or
    /// null: then Major, Minor and FsType (its stat and statfs) say what
    /// it is.
    const char *HostDir;
    unsigned Major;
    unsigned Minor;
    const char *FsType;
  };

  /// What a table is composed of.
  struct Inputs {
    /// The host's /proc/self/mountinfo.
    const char *HostInfo;
    size_t HostInfoBytes;
    /// K42's table, "/" among them.
    const K42Mount *Mounts;
    unsigned NumMounts;
    /// The names, at the host's root, of the host folders a K42 path
    /// reaches there: those K42's root does not have.
    const char *const *HostTops;
    unsigned NumHostTops;
  };

  /// The first of the ids K42's mounts are shown with: past the host's,
  /// which are small numbers the kernel hands out again.
  static constexpr uint64_t FirstId = 42'000'000;

  /// Writes the table of \p In in format \p Which into \p Out
  /// (\p Capacity bytes): its length, or -ENOMEM when it does not fit.
  /// Parents come before their children, each mount's parent being the
  /// last mount before it at a prefix of its path.
  static long compose(const Inputs &In, Format Which, char *Out,
                      size_t Capacity);
};

} // namespace k42::personality

#endif // K42_PERSONALITY_MOUNTSVIEW_H
