//===- k42/personality/PipeTable.h - The process's pipe ends ---*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Descriptor number -> K42 pipe end, beside FdTable (files). A pipe end's
/// host placeholder at the same number is a socket whose peer the pipe
/// server holds: the host counts the end's descriptors across fork, exec,
/// dup, close and death, and the server hears when the count reaches zero.
/// Descriptors made by dup share one PipeEnd, counted by Refs; a forked
/// child inherits the table and the ring's mapping as they are.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_PIPETABLE_H
#define K42_PERSONALITY_PIPETABLE_H

#include "k42/personality/DescriptorSlots.h"
#include "k42/personality/PipeRing.h"

#include <cstdint>

namespace k42::personality {

/// This process's view of one end of a K42 pipe.
struct PipeEnd {
  /// Descriptors of this process that refer to it (dup), and calls in
  /// progress on it (PipeTable::hold).
  uint32_t Refs = 0;
  /// True for the write end.
  bool Writer = false;
  /// True for a description that both reads and writes (a FIFO opened
  /// O_RDWR, a pipe opened O_RDWR by /proc/self/fd/N); Writer is false.
  bool ReadWrite = false;
  /// Its status flags' slot in the ring (PipeRing::SlotFlags) for a
  /// description opened by name; -1: the side's own (ReadFlags,
  /// WriteFlags), as pipe() made it.
  int32_t Slot = -1;
  /// A FIFO's reader opened O_NONBLOCK while it had no writer: no
  /// POLLHUP until a writer has opened it since (WriterOpens moved past
  /// WriterOpensAtOpen), as Linux's f_pipe; a reader that polls for its
  /// first writer is not told of a hang-up that never was.
  bool HupAwaitsWriter = false;
  uint32_t WriterOpensAtOpen = 0;
  /// A private copy of the placeholder, kept when the end's last
  /// descriptor was closed while a call on it was under way (another
  /// thread's blocked read): the pipe server then still counts this end,
  /// as Linux keeps the file for the call, until the call lets it go
  /// (PipeCalls::release). -1: none.
  int32_t KeptFd = -1;
  /// The ring's memfd, one of the personality's own descriptors kept
  /// across exec, once the process changed its credentials
  /// (PipeCalls::pinRings): the pipe server's /proc name is not another
  /// user's to open. -1: none, the server's is opened after exec.
  int32_t LocalFd = -1;
  /// The ring, mapped; null in a program after exec until its first use
  /// maps it again from the pipe server's memfd (ServerPid, ServerFd).
  PipeRing *Ring = nullptr;
  int32_t ServerPid = 0;
  int32_t ServerFd = 0;
  uint64_t Id = 0;
  /// PipeCalls' count of children ended when this end last made sure a
  /// child's bytes without the personality were in the ring.
  uint32_t EndedSeen = 0;
  /// PipeTable's pool of free ends, and its list of every end made
  /// (DescriptorSlots).
  PipeEnd *NextFree = nullptr;
  PipeEnd *NextMade = nullptr;

  /// Its fields as a new end's (DescriptorSlots::make).
  void reset() {
    Writer = ReadWrite = false;
    Slot = -1;
    HupAwaitsWriter = false;
    WriterOpensAtOpen = 0;
    KeptFd = -1;
    LocalFd = -1;
    Ring = nullptr;
    ServerPid = ServerFd = 0;
    Id = 0;
    EndedSeen = 0;
  }
};

/// Descriptor number -> PipeEnd. A close of a descriptor (or a dup2 over
/// it) never unmaps the ring under a read or write in progress, which goes
/// on with the pipe it started on (DescriptorSlots::hold).
class PipeTable : public DescriptorSlots<PipeEnd> {
public:
  /// The process's table.
  static PipeTable &process();

  /// What drops a reference a lookup took but cannot keep, the end
  /// detached if it was the last (PipeCalls::release).
  using ReleaseFn = DescriptorSlots<PipeEnd>::ReleaseFn;

  /// A new end (no references), from the pool or the heap; null when
  /// there is no memory.
  static PipeEnd *makeEnd() { return make(); }
  /// Whether some descriptor of this process holds the other end of the
  /// pipe \p End belongs to.
  bool holdsOtherEnd(const PipeEnd &End) const;
  /// Whether some descriptor of this process holds an end of pipe \p Id.
  bool holdsPipe(uint64_t Id) const;
};

} // namespace k42::personality

#endif // K42_PERSONALITY_PIPETABLE_H
