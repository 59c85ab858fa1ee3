//===- k42/personality/SpawnView.h - A spawn child's view -------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// posix_spawn's child (glibc: clone with CLONE_VM | CLONE_VFORK and a stack
/// of its own) runs in its parent's memory until it execs or exits, with a
/// descriptor table of its own on the host. Its dup2s, closes, opens and
/// chdirs must therefore not change the tables that memory holds: they are
/// the parent's. Such a child keeps its changes in a view over its parent's
/// FdTable, PipeTable and current directory; its exec's snapshot is written
/// from the view, and the parent drops the view (and what only the child
/// held) once the child has exec'd or exited.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_SPAWNVIEW_H
#define K42_PERSONALITY_SPAWNVIEW_H

#include "k42/personality/FdTable.h"
#include "k42/personality/PipeTable.h"
#include "k42/personality/Syscall.h"

#include "FsTypes.h"

#include <atomic>
#include <cstdint>

namespace k42::personality {

/// One child's descriptors, as far as it changed them.
class SpawnView {
public:
  /// The numbers a child's own changes are kept for: its opens, dup2s and
  /// pipes from there up are EMFILE (its view would be as large as the
  /// tables). Its parent's files at any number are its own to use, close
  /// and hand on to its exec.
  static constexpr int MaxFds = FdTable::ChunkFds;
  static_assert(PipeTable::ChunkFds == FdTable::ChunkFds);

  /// Whether a clone with \p Flags makes a process that shares this
  /// memory but not this descriptor table (posix_spawn's child).
  static bool sharesMemory(long Flags);

  /// In the parent, before such a clone: the process settles whether it
  /// has a system (FsBridge connects now, if it never did), so the child
  /// finds the connection made and never makes one in memory it shares,
  /// and the descriptor calls start looking for children's views.
  static void cloning(long Flags);
  /// In the parent, after the clone answered \p Child. With CLONE_VFORK
  /// the child has exec'd or exited by now: its view and whatever only it
  /// held are dropped, the channel slots it claimed given back. Without,
  /// the parent cannot know when it is done: its view stays.
  static void cloned(long Flags, long Child);

  /// The calling process's view when it is such a child, made on first
  /// use; null in any other process (its own tables are the truth). One
  /// atomic load unless a spawn is under way.
  static SpawnView *current() {
    if (__builtin_expect(Children.load(std::memory_order_acquire) == 0, 1))
      return nullptr;
    return find();
  }

  /// The first number a K42 file or pipe end this process makes may not
  /// have: MaxFds in a spawn child, the tables' end in any other.
  static long descriptorLimit() {
    return current() ? long(MaxFds) : long(FdTable::MaxFds);
  }

  /// The K42 file at \p Fd as the child sees it.
  OpenFile *file(long Fd) const;
  /// The K42 file at \p Fd if the child set it itself (null otherwise,
  /// also where the view falls back to its parent's table): the view
  /// holds a reference to it, and only the child changes it.
  OpenFile *ownFile(long Fd) const {
    return Fd >= 0 && Fd < MaxFds && Set[Fd] ? Files[Fd] : nullptr;
  }
  /// The K42 pipe end at \p Fd as the child sees it.
  PipeEnd *pipe(long Fd) const;
  /// file() and pipe(), held for a call (HeldFile, HeldPipe): the child's
  /// own from its view, the rest from its parent's tables, whose other
  /// threads may be closing them meanwhile.
  OpenFile *holdFile(long Fd) const;
  PipeEnd *holdPipe(long Fd) const;
  /// Lists the host descriptors the child's exec will keep (open, not
  /// close-on-exec), before the exec's own state opens any: those the host
  /// copied at its clone and its file actions left. Its parent's other
  /// threads may have closed and reused those numbers since, in the tables
  /// this memory holds, so the exec hands on what these are (keeps()), not
  /// what the tables now say (FileState::beforeExec, PipeCalls::beforeExec).
  void listKept();
  /// Whether host descriptor \p Fd was among them.
  bool keeps(long Fd) const {
    return Fd >= 0 && Fd < KeptEnd && (Kept[Fd / 64] >> (Fd % 64) & 1);
  }
  /// One past the highest number listKept() asked about: every K42 file
  /// and pipe end the child may hold is below it.
  long keptEnd() const { return KeptEnd; }
  /// \p Fd now refers to \p File or \p End (both null: a host descriptor,
  /// or closed). The view holds a reference to \p File or \p End (its
  /// parent's other threads may close theirs meanwhile); the one it held
  /// at \p Fd before is dropped (FileState::releaseFile,
  /// PipeCalls::release), as are all when the view goes. False (nothing
  /// kept) from MaxFds up: the caller's call is EMFILE there.
  bool set(long Fd, OpenFile *File, PipeEnd *End);

  /// Whether a spawn child may be running in this memory now: one atomic
  /// load, so that the transfer table asks nothing more of other calls.
  static bool underWay() {
    return Children.load(std::memory_order_acquire) != 0;
  }
  /// Runs \p Handler for \p Call: in a spawn child on a stack of its own
  /// (below), elsewhere as it is. glibc gives the child 36 KiB of stack,
  /// less than a lookup of a K42 path may take (its file actions' opens,
  /// posix_spawnp's tries along PATH, the exec); overrunning it wrote
  /// below the mapping into its parent's memory, or faulted with a lock
  /// of that memory held, which hung the parent's next spawn.
  static long run(SyscallHandler Handler, SyscallCall &Call);

  /// The child's stack for the personality's calls, mapped at its first
  /// call and unmapped with the view by its parent (cloned()): an exec
  /// that succeeds leaves this memory to the parent.
  void *Stack = nullptr;
  static constexpr unsigned long StackBytes = 256 * 1024;

  /// The child's current directory, once it changed it (chdir, fchdir).
  bool HasCwd = false;
  bool CwdIsK42 = false;
  char Cwd[fs::PathMax + 1] = {};

private:
  static SpawnView *find();

  long Pid = 0;
  SpawnView *Next = nullptr;
  bool Set[MaxFds] = {};
  OpenFile *Files[MaxFds] = {};
  PipeEnd *Pipes[MaxFds] = {};
  /// listKept()'s answer, one bit a descriptor below KeptEnd (GateHeap,
  /// let go with the view).
  uint64_t *Kept = nullptr;
  long KeptEnd = 0;

  /// Spawn children that may be running in this memory.
  static std::atomic<uint32_t> Children;
};

} // namespace k42::personality

#endif // K42_PERSONALITY_SPAWNVIEW_H
