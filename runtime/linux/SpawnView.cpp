//===- runtime/linux/SpawnView.cpp - A spawn child's descriptors ----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/SpawnView.h"

#include "k42/personality/FaultSignals.h"
#include "k42/personality/FileState.h"
#include "k42/personality/ForkLocks.h"
#include "k42/personality/FsBridge.h"
#include "k42/personality/GateHeap.h"
#include "k42/personality/GateLock.h"
#include "k42/personality/HandlerStack.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/HostFolder.h"
#include "k42/personality/PipeCalls.h"
#include "k42/personality/ProcessState.h"

#include <sched.h>
#include <sys/mman.h>
#include <sys/syscall.h>

using namespace k42::personality;

std::atomic<uint32_t> SpawnView::Children{0};

namespace {
/// The views of children running now (usually none, rarely more than one:
/// two threads spawning at once).
GateLock ViewsLock;
K42_HELD_ACROSS_FORK(ViewsLock);
SpawnView *Views = nullptr;
} // namespace

bool SpawnView::sharesMemory(long Flags) {
  return (Flags & CLONE_VM) && !(Flags & (CLONE_THREAD | CLONE_FILES));
}

void SpawnView::cloning(long Flags) {
  if (!sharesMemory(Flags))
    return;
  FsBridge::beforeSpawn();
  Children.fetch_add(1, std::memory_order_acq_rel);
}

void SpawnView::cloned(long Flags, long Child) {
  if (!sharesMemory(Flags))
    return;
  if (Child > 0 && !(Flags & CLONE_VFORK))
    return; // Running on, for all this process knows: its view stays.
  SpawnView *Gone = nullptr;
  {
    GateLockGuard Guard(ViewsLock);
    for (SpawnView **At = &Views; Child > 0 && *At; At = &(*At)->Next)
      if ((*At)->Pid == Child) {
        Gone = *At;
        *At = Gone->Next;
        break;
      }
  }
  if (Gone) {
    for (long Fd = 0; Fd < MaxFds; ++Fd) {
      if (Gone->Set[Fd] && Gone->Files[Fd])
        FileState::releaseFile(Gone->Files[Fd]);
      if (Gone->Set[Fd] && Gone->Pipes[Fd])
        PipeCalls::release(Gone->Pipes[Fd]);
    }
    if (Gone->Kept)
      GateHeap::release(Gone->Kept);
    if (Gone->Stack)
      (void)hostCall(SYS_munmap, reinterpret_cast<long>(Gone->Stack),
                     long(StackBytes));
    GateHeap::destroy(Gone);
  }
  if (Child > 0) {
    // An exec in it left the exec flag of this memory set. (Its calls
    // through this process's channels held their slots only while they
    // lasted: nothing to give back.)
    FaultSignals::spawnChildDone();
  }
  Children.fetch_sub(1, std::memory_order_acq_rel);
}

long SpawnView::run(SyscallHandler Handler, SyscallCall &Call) {
  SpawnView *View = current();
  if (!View)
    return HandlerStack::run(Handler, Call);
  if (!View->Stack) {
    long Map = hostCall(SYS_mmap, 0, long(StackBytes), PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (isError(Map))
      return Handler(Call); // As before: glibc's stack, and hope.
    View->Stack = reinterpret_cast<void *>(Map);
  }
  // Already on it: a handler's own call through the table.
  auto *Here = static_cast<char *>(__builtin_frame_address(0));
  auto *Base = static_cast<char *>(View->Stack);
  if (Here >= Base && Here < Base + StackBytes)
    return Handler(Call);
  BoundCall Bound{Handler, &Call};
  return k42_call_on_stack(BoundCall::run, &Bound, Base + StackBytes);
}

SpawnView *SpawnView::find() {
  long Pid = hostCall(SYS_getpid);
  if (Pid == ProcessState::pid())
    return nullptr;
  GateLockGuard Guard(ViewsLock);
  for (SpawnView *V = Views; V; V = V->Next)
    if (V->Pid == Pid)
      return V;
  // Not on the stack: the child runs on posix_spawn's small one.
  auto *V = GateHeap::make<SpawnView>();
  if (!V)
    return nullptr;
  V->Pid = Pid;
  V->Next = Views;
  Views = V;
  return V;
}

OpenFile *SpawnView::file(long Fd) const {
  if (Fd < 0 || Fd >= MaxFds || !Set[Fd])
    return FdTable::process().get(Fd);
  return Files[Fd];
}

PipeEnd *SpawnView::pipe(long Fd) const {
  if (Fd < 0 || Fd >= MaxFds || !Set[Fd])
    return PipeTable::process().get(Fd);
  return Pipes[Fd];
}

OpenFile *SpawnView::holdFile(long Fd) const {
  if (Fd < 0 || Fd >= MaxFds || !Set[Fd])
    return FdTable::process().hold(Fd, FileState::releaseFile);
  return Files[Fd] && FdTable::retainLive(Files[Fd]) ? Files[Fd] : nullptr;
}

PipeEnd *SpawnView::holdPipe(long Fd) const {
  if (Fd < 0 || Fd >= MaxFds || !Set[Fd])
    return PipeTable::process().hold(Fd, PipeCalls::release);
  return Pipes[Fd] && PipeTable::retainLive(Pipes[Fd]) ? Pipes[Fd] : nullptr;
}

void SpawnView::listKept() {
  // Every K42 file and pipe end the child holds is below the tables' ends
  // (its own, below MaxFds; its parent's, where the tables have slots).
  long End = FdTable::process().end();
  if (long Pipes = PipeTable::process().end(); Pipes > End)
    End = Pipes;
  if (End < MaxFds)
    End = MaxFds;
  if (KeptEnd < End) {
    if (Kept)
      GateHeap::release(Kept);
    KeptEnd = 0;
    if (!(Kept = static_cast<uint64_t *>(GateHeap::allocate(size_t(End) / 8))))
      return; // no memory: nothing is handed on
    KeptEnd = End;
  }
  for (long Word = 0; Word < KeptEnd / 64; ++Word)
    Kept[Word] = 0;
  auto Note = [this](long Fd) {
    long Flags = hostCall(SYS_fcntl, Fd, F_GETFD);
    if (!isError(Flags) && !(Flags & FD_CLOEXEC))
      Kept[Fd / 64] |= uint64_t(1) << (Fd % 64);
  };
  // Without /proc, each number is asked.
  if (!forEachHostEntry("/proc/self/fd", [&](long Dir, const char *Name) {
        long Fd = 0;
        const char *C = Name;
        for (; *C >= '0' && *C <= '9' && Fd < KeptEnd; ++C)
          Fd = Fd * 10 + (*C - '0');
        if (C != Name && *C == 0 && Fd < KeptEnd && Fd != Dir)
          Note(Fd);
      }))
    for (long Fd = 0; Fd < KeptEnd; ++Fd)
      Note(Fd);
}

bool SpawnView::set(long Fd, OpenFile *File, PipeEnd *End) {
  if (Fd < 0 || Fd >= MaxFds)
    return false;
  if (File)
    RefCount::retain(File->Refs);
  if (End)
    RefCount::retain(End->Refs);
  OpenFile *Old = Set[Fd] ? Files[Fd] : nullptr;
  PipeEnd *OldEnd = Set[Fd] ? Pipes[Fd] : nullptr;
  Files[Fd] = File;
  Pipes[Fd] = End;
  Set[Fd] = true;
  if (Old)
    FileState::releaseFile(Old);
  if (OldEnd)
    PipeCalls::release(OldEnd);
  return true;
}
