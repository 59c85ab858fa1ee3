//===- k42/personality/DescriptionPool.h - Reused descriptions --*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The memfds of K42 file descriptions a process made and closed, kept
/// for its next opens. A description is a memfd mapped shared
/// (FileDescription.h); making one (memfd_create, its size and seals, the
/// mapping, the first touch of its page, which the host allocates and
/// zeroes) and freeing it at the close (the unmapping, the memfd's last
/// close) cost about 15 us on these machines, where a whole native open
/// and close costs 1.6. A kept description is the same memfd at the next
/// open, still mapped: a dup of the pool's descriptor for it to the
/// lowest free number is the whole making.
///
/// Only a description no other process can hold, and whose host
/// description (the memfd's open, which the next open shares as a dup)
/// the program left as it was made, goes back: one this
/// process made, closed by its last descriptor, and not in use when the
/// process made another (fork, posix_spawn: the child has the descriptor,
/// or hands it on at its exec) or sent descriptors with SCM_RIGHTS. Each
/// of those moves the pool's epoch on, and a description taken from the
/// pool before it is freed at its close, not kept. A fork child keeps
/// nothing of its parent's pool (the parent's kept descriptions are the
/// parent's to use again); an exec ends the pool with the image (its
/// descriptors are close-on-exec). A process running in this one's memory
/// (posix_spawn's child) never uses it, and while one may be running the
/// process neither takes nor keeps.
///
/// One another process took with pidfd_getfd does not go back either:
/// the taker's personality marks the description (FileDescription::Taken),
/// which the close and the next take read. Not seen: a program without
/// the personality opening /proc/<pid>/fd/N. Such a copy is no K42 file
/// to that process in any case, but the raw memfd; after the close it may
/// hold the memory of the next open's description.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_DESCRIPTIONPOOL_H
#define K42_PERSONALITY_DESCRIPTIONPOOL_H

namespace k42::personality {

class FileDescription;

/// The process's kept descriptions.
class DescriptionPool {
public:
  /// Descriptions the pool follows at once (in use and kept): a process
  /// holding more open makes the others as before.
  static constexpr int MaxEntries = 8;

  /// A kept description at the lowest free descriptor, close-on-exec,
  /// mapped in \p Out with Magic cleared and every other field as a new
  /// memfd's (zero), except Data; or, with room in the pool, a new one it
  /// follows from now on, made by \p Make (FileDescription's own making:
  /// returns the descriptor and the mapping). A negated errno, or -ENOENT
  /// when the pool takes no part (full, in a process running in another's
  /// memory, no descriptor free from GateTransport::FirstFd for its own):
  /// then the caller makes one outside it.
  static long take(FileDescription *&Out, long (*Make)(FileDescription *&));

  /// Called for \p D at its process's last close, in place of its
  /// unmapping: true if the pool followed it, which then keeps it or, when
  /// another process may hold it, lets it go (unmapped); false if it is
  /// not the pool's, for the caller to unmap.
  static bool giveBack(FileDescription *D);

  /// Called when a call of the program's reached the host with \p D's
  /// placeholder and may have changed what the host keeps with that open
  /// memfd (fcntl's F_SETOWN, F_SETSIG, F_SETLEASE...): the pool's next
  /// open would be a dup of the same host description and inherit it, so
  /// \p D is let go at its close instead of kept.
  static void hostStateChanged(FileDescription *D);

  /// Before the clone of a child process with this process's descriptors,
  /// with the pool's lock held (ForkLocks): every description in use may
  /// from now on be the child's too.
  static void cloning();
  /// The same, taking the lock: before a clone that shares memory
  /// (posix_spawn's, with ProcessState::sharingMemory said first) and
  /// before descriptors are sent to another process.
  static void exposeAll();
  /// In a fork child: the pool is the parent's; its descriptors here
  /// are closed (unless \p SharesFiles: CLONE_FILES, the parent's table)
  /// and it starts empty.
  static void forked(bool SharesFiles = false);

  /// Descriptions kept now (for tests).
  static int kept();
};

} // namespace k42::personality

#endif // K42_PERSONALITY_DESCRIPTIONPOOL_H
