//===- runtime/linux/CloneCalls.cpp - New threads and processes -----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Syscall User Dispatch is per thread and neither threads nor fork
/// children inherit it, so the personality performs every clone itself and
/// arms the child before it runs a single instruction of the program.
///
/// Without a new stack (fork), the clone runs right here: the child is a
/// copy of this thread, arms itself and returns through the same path.
/// With a new stack (threads, posix_spawn), the child cannot return through
/// this handler, whose frame is on the parent's stack; the caller's
/// registers go onto the new stack as a ChildStart record and the child
/// starts in the gate, which arms it and resumes the caller's code from the
/// record (trap/x86_64/Gate.S). vfork runs as fork: a vfork child would
/// return through the parent's stack frames.
///
//===----------------------------------------------------------------------===//

#include "k42/personality/DescriptionPool.h"
#include "k42/personality/ExecOverlay.h"
#include "k42/personality/FaultSignals.h"
#include "k42/personality/FileControl.h"
#include "k42/personality/FileState.h"
#include "k42/personality/ForkLocks.h"
#include "k42/personality/Handlers.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/ProcessBridge.h"
#include "k42/personality/ProcessState.h"
#include "k42/personality/ProgramFds.h"
#include "k42/personality/RefCount.h"
#include "k42/personality/SharedRoots.h"
#include "k42/personality/SignalDefer.h"
#include "k42/personality/SitePatch.h"
#include "k42/personality/SpawnView.h"
#include "k42/personality/TrapReflection.h"
#include "k42/personality/UserMemory.h"

#include <cerrno>
#include <cstddef>
#include <cstdint>

#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>

using namespace k42::personality;

namespace {

/// The caller's registers, as the child resumes with them.
struct ChildStart {
  long R8, R9, R10, R12, R13, R14, R15, Rdi, Rsi, Rbp, Rbx, Rdx;
  long Rip, Rsp, Flags;
  long CloneFlags;
};
// Gate.S reads these offsets.
static_assert(offsetof(ChildStart, R8) == 0);
static_assert(offsetof(ChildStart, Rdx) == 88);
static_assert(offsetof(ChildStart, Rip) == 96);
static_assert(offsetof(ChildStart, Rsp) == 104);
static_assert(offsetof(ChildStart, Flags) == 112);

/// A child that is a new process (clone \p Flags), once armed: the locks its
/// parent's thread held across the clone let go of (ForkLocks), and its
/// deferred signals, kept descriptions, overlay state, pid and patches its
/// own.
void startForkChild(long Flags) {
  ForkLocks::child();
  SignalDefer::forked();
  DescriptionPool::forked(Flags & CLONE_FILES);
  ExecOverlay::forked();
  ProcessState::forked();
  SitePatch::forked();
}

/// clone without a new stack, here and now.
long cloneHere(long Flags, long Ptid, long Ctid, long Tls) {
  if (Flags & CLONE_VM) {
    // Sharing memory and the stack is only sane for vfork; run it as fork.
    if (Flags & (CLONE_THREAD | CLONE_SIGHAND))
      return -EINVAL;
    Flags &= ~static_cast<long>(CLONE_VM | CLONE_VFORK);
  }
  // What the child asks of the mounts' servers reaches this process too.
  SharedRoots::beforeFork();
  FileControl::beforeFork();
  FileState::beforeFork();
  // The personality's own locks as this thread holds them: another
  // thread may hold one (its path call, its dup2), which would stay held
  // in the child for ever.
  ForkLocks::prepare();
  DescriptionPool::cloning();
  long Child = hostCall(SYS_clone, Flags, 0, Ptid, Ctid, Tls);
  if (Child == 0) {
    (void)TrapReflection::armThread();
    startForkChild(Flags);
  } else {
    ForkLocks::parent();
    if (Child > 0)
      ProcessBridge::childForked(Child); // Told at exit or exec, if at all.
  }
  return Child;
}

} // namespace

extern "C" [[gnu::visibility("hidden")]] void
k42_child_started(ChildStart *Start) {
  (void)TrapReflection::armThread();
  if (!(Start->CloneFlags & CLONE_VM))
    startForkChild(Start->CloneFlags);
}

namespace {
long cloneCall(SyscallCall &Call) {
  long Flags = Call.Arg[0];
  long Stack = Call.Arg[1];
  if (Stack == 0)
    return cloneHere(Flags, Call.Arg[2], Call.Arg[3], Call.Arg[4]);
  // A new stack needs the caller's registers, which only a trap gives.
  if (!Call.Trap)
    return -EINVAL;
  const greg_t *R = Call.Trap->uc_mcontext.gregs;
  ChildStart Start{R[REG_R8],  R[REG_R9],  R[REG_R10], R[REG_R12],
                   R[REG_R13], R[REG_R14], R[REG_R15], R[REG_RDI],
                   R[REG_RSI], R[REG_RBP], R[REG_RBX], R[REG_RDX],
                   R[REG_RIP], Stack,      R[REG_EFL], Flags};
  auto Record =
      (static_cast<uintptr_t>(Stack) - sizeof(Start)) & ~uintptr_t(15);
  if (UserMemory::copyOut(reinterpret_cast<void *>(Record), &Start,
                          sizeof(Start)) < 0)
    return -EFAULT;
  // A thread starts with the caller's mask (and is counted if it blocks
  // SIGSEGV or SIGBUS).
  uint64_t Mask = *reinterpret_cast<const uint64_t *>(&Call.Trap->uc_sigmask);
  if (Flags & CLONE_VM)
    FaultSignals::threadStarting(Mask);
  // A second thread of execution in this memory ends site patching: it
  // could be running code a patch rewrites. A vfork child is alone while
  // it runs (its parent waits in the clone, where no handler of its own
  // runs), so it may go on patching; its patches are the parent's too.
  if ((Flags & CLONE_VM) && !(Flags & CLONE_VFORK)) {
    SitePatch::sharingMemory();
    ExecOverlay::memoryShared();
    RefCount::threadStarting(); // descriptors' counts locked from now on
  }
  // posix_spawn's child runs in this memory: it keeps its descriptors in
  // a view of its own, dropped once it has exec'd or exited.
  SpawnView::cloning(Flags);
  ProcessState::sharingMemory(Flags);
  // Its descriptions are the child's too (the pool neither takes nor
  // keeps from here while the child runs in this memory).
  if ((Flags & CLONE_VM) && !(Flags & (CLONE_THREAD | CLONE_FILES)))
    DescriptionPool::exposeAll();
  if (!(Flags & CLONE_VM))
    SharedRoots::beforeFork();
  if (!(Flags & CLONE_THREAD)) {
    FileControl::beforeFork(); // a new process, posix_spawn's too
    FileState::beforeFork();
  }
  // A child with memory of its own: the personality's locks as this
  // thread holds them (ForkLocks), let go here and in the child's start.
  bool Fork = !(Flags & CLONE_VM);
  if (Fork) {
    ForkLocks::prepare();
    DescriptionPool::cloning();
  }
  long Child =
      k42_clone_gate(Flags, reinterpret_cast<void *>(Record),
                     reinterpret_cast<int *>(Call.Arg[2]),
                     reinterpret_cast<int *>(Call.Arg[3]), Call.Arg[4]);
  if (Fork)
    ForkLocks::parent();
  if (Child != 0) {
    ProcessState::sharedMemory(Flags, Child);
    SpawnView::cloned(Flags, Child);
  }
  if (Child < 0 && (Flags & CLONE_VM))
    FaultSignals::threadStarting(Mask, /*Undo=*/true);
  if (Child > 0 && !(Flags & CLONE_THREAD))
    ProcessBridge::childForked(Child); // A posix_spawn child, say.
  return Child;
}
} // namespace

long sys::clone(SyscallCall &Call) {
  long Child = cloneCall(Call);
  // CLONE_PIDFD: the child's pidfd, a new descriptor of the parent's, is
  // at parent_tid.
  int Pidfd;
  if (Child > 0 && (Call.Arg[0] & CLONE_PIDFD) &&
      UserMemory::copyIn(&Pidfd, reinterpret_cast<void *>(Call.Arg[2]),
                         sizeof(Pidfd)) == 0)
    ProgramFds::gained(Pidfd);
  return Child;
}

long sys::fork(SyscallCall &) { return cloneHere(SIGCHLD, 0, 0, 0); }

long sys::vfork(SyscallCall &) { return cloneHere(SIGCHLD, 0, 0, 0); }

long sys::clone3(SyscallCall &) {
  // Quietly: glibc asks for clone3 first on every thread and spawn, and
  // falls back to clone, which the personality performs.
  return -ENOSYS;
}
