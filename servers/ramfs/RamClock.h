//===- servers/ramfs/RamClock.h - ramfs's file times -------------*- C++
//-*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The times ramfs stamps on its files, taken as Linux (6.13 and later)
/// takes them for tmpfs and ext4 ("multigrain" timestamps): the coarse
/// clock (CLOCK_REALTIME_COARSE, one tick of the host's jiffies), so files
/// written within one tick have equal times and `find -newer` and `make`
/// order them as they do natively; but a change to a file whose times
/// someone has looked at since its last change, within the same tick,
/// takes the fine clock, so a change seen before is never missed. Every
/// fine time taken becomes a floor under later coarse ones, so times stay
/// ordered across files as they happened.
///
//===----------------------------------------------------------------------===//

#ifndef K42_SERVERS_RAMFS_RAMCLOCK_H
#define K42_SERVERS_RAMFS_RAMCLOCK_H

#include "RamInode.h"

#include <time.h>

namespace k42::ramfs {

/// Linux's clock for inode times (current_time, inode_set_ctime_current,
/// relatime), shared by all of a server's files.
class RamClock {
public:
  /// The time of an access or of a time set to "now" that does not change
  /// the file (Linux's current_time): the coarse clock, never below the
  /// floor.
  static timespec coarse();
  /// Stamps \p N changed now (its DataLock held, or the tree lock
  /// exclusively): the change time, and the modification time too if
  /// \p Modified; the time used is returned.
  static timespec changed(RamInode &N, bool Modified);
  /// Notes that a client has read \p N's times (a stat), so that its next
  /// change in the same tick takes a fine time.
  static void queried(RamInode &N);
  /// Moves \p N's access time for a read or a listing under relatime's
  /// rule: only if it is not after the modification or change time, or is
  /// a day old.
  static void accessed(RamInode &N);
};

} // namespace k42::ramfs

#endif // K42_SERVERS_RAMFS_RAMCLOCK_H
