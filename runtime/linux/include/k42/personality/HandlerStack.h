//===- k42/personality/HandlerStack.h - Room for a call's frames -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A K42 call runs in the caller's own thread, on whatever stack the caller
/// is on, and a call that takes a path keeps its path buffers there: 30-34
/// KiB below the caller's frame for a stat of a K42 path, where the host's
/// stat takes none of the caller's stack. A thread made with a 16 or 32 KiB
/// stack, or a signal handler on a small alternate stack, that made one was
/// killed by SIGSEGV (battery 41).
///
/// So such a call runs on a stack of the personality's: one of a pool of
/// stacks, each 1 MiB of address space (only what a call touches is
/// memory) with a guard page below. The main thread's stack (the one the
/// process started on, as deep as its RLIMIT_STACK) has room and is used as
/// it is; so is any stack for the calls that need little of it (the table
/// of such calls is measured: read, write, poll, select, fork, wait...)
/// when they come by direct branch, not by trap,
/// which keeps the calls a thread blocks in on the thread's own stack, where
/// a garbage collector that stops the thread by a signal looks for its
/// frames. A thread's stack bounds are not known to the personality (glibc
/// gives them only through calls a signal handler may not make), so every
/// other call of a thread runs on the pool.
///
/// A call from a signal handler on an alternate stack that has less room
/// than a call may take runs on the pool too, with the pool's stack made
/// the thread's alternate stack while it runs: a signal that arrives then
/// and asks for the alternate stack is delivered below the call's frames,
/// as Linux delivers it below the handler's own, rather than at the top of
/// the alternate stack the first handler is still using.
///
/// Each pool stack's top holds a link to the frame the call came from, so
/// a walk of a thread's frames (HeldScan) goes on across the switch.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_HANDLERSTACK_H
#define K42_PERSONALITY_HANDLERSTACK_H

#include "k42/personality/Syscall.h"

#include <array>
#include <cstddef>
#include <cstdint>

#include <sys/syscall.h>

namespace k42::personality {

/// Where a K42 handler's frames go.
class HandlerStack {
public:
  /// How much stack below the caller's frame a call may take (the deepest
  /// measured is 34 KiB) with room to spare.
  static constexpr uintptr_t CallBytes = 64 * 1024;
  /// Each pool stack's size, its guard page not counted: room for a
  /// program's own signal handler that interrupts a call running on it.
  static constexpr size_t StackBytes = 1024 * 1024;
  /// How many calls may run on the pool at once; past them a call runs on
  /// its caller's stack, as before the pool.
  static constexpr int Slots = 64;

  /// At the process's start, on its main thread: that stack's bounds.
  static void start();
  /// In a fork child: the pool stacks other threads of the parent were
  /// using are free (the child has only this thread).
  static void forked();
  /// The program set an alternate signal stack (sigaltstack): a call on
  /// the main thread's stack may be on one placed inside it, so its room
  /// is asked of the host from now on.
  static void alternateStackSet();

  /// Runs \p Handler for \p Call where its frames fit: here when the call
  /// needs little stack or the caller is on the main thread's stack with
  /// room, on a pool stack otherwise.
  [[gnu::always_inline]] static long run(SyscallHandler Handler,
                                         SyscallCall &Call) {
    auto Here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
    if (Here - MainLow < FastSpan) [[likely]]
      return Handler(Call);
    // A trapped call has the kernel's signal frame below the caller's
    // already (3-4 KiB, more with AVX-512's state): every one is deep,
    // but sigaltstack, whose answer must be the program's alternate stack,
    // never the pool's a deep call may make it for a while.
    auto Number = static_cast<unsigned long>(Call.Number);
    if (Number < size_t(TableSize) &&
        (Light[Number / 64] >> (Number % 64)) & 1 &&
        (!Call.Trap || Number == SYS_sigaltstack))
      return Handler(Call);
    return runElsewhere(Handler, Call);
  }

  /// Runs \p Fn(\p Arg) where a call's frames fit, as run() does a
  /// handler that is not light: for the deep work a light call may do
  /// once (a fork child's first use of an inherited file reopens it by
  /// its path).
  static long deep(long (*Fn)(void *), void *Arg);

  /// Whether the calling thread runs on a pool stack now (the exec
  /// overlay, which unmaps the old image, leaves such an exec to the host).
  static bool onPool();

  /// If \p Frame lies on a pool stack: that stack's top (the end of its
  /// frames) in \p Top and the frame the call came from in \p Caller.
  static bool linkOf(uintptr_t Frame, uintptr_t &Top, uintptr_t &Caller);

  /// Runs a program's signal handler \p Fn(\p Arg) where Linux would have
  /// run it: a signal that came while the thread ran a call on the pool
  /// (its frames there) runs the handler on the stack the call came from,
  /// below the caller's frames, as the host would have put its frame
  /// below the caller's system call. A garbage collector that stops a
  /// thread by a signal takes the handler's stack pointer for the top of
  /// the thread's stack. Elsewhere, here.
  static void runHandler(void (*Fn)(void *), void *Arg);

private:
  static long runElsewhere(SyscallHandler Handler, SyscallCall &Call);

  /// The main thread's stack with room for a call: [MainLow, MainLow +
  /// MainSpan). Empty until start().
  static uintptr_t MainLow;
  static uintptr_t MainSpan;
  /// MainSpan while the program has set no alternate stack, 0 once it
  /// has: run()'s one compare, with no third load.
  static uintptr_t FastSpan;
  /// Whether the program ever set an alternate signal stack.
  static bool AltStacks;
  /// One bit per call number: its handler needs little stack (measured
  /// at most 16 KiB below the caller's frame), or it is the host's.
  static const std::array<uint64_t, (TableSize + 63) / 64> Light;
};

} // namespace k42::personality

#endif // K42_PERSONALITY_HANDLERSTACK_H
