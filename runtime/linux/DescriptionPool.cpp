//===- runtime/linux/DescriptionPool.cpp - Reused descriptions ------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/DescriptionPool.h"

#include "k42/personality/FdLimit.h"
#include "k42/personality/FileDescription.h"
#include "k42/personality/ForkLocks.h"
#include "k42/personality/GateLock.h"
#include "k42/personality/GateTransport.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/ProcessState.h"

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/syscall.h>

using namespace k42::personality;

namespace {

/// One description the pool follows.
struct Entry {
  /// The mapping (null: the entry is empty).
  FileDescription *Desc = nullptr;
  /// The pool's own descriptor of the memfd (close-on-exec, from
  /// GateTransport::FirstFd, unmarked: none of the program's).
  int Fd = -1;
  /// Whether a descriptor of the program's holds it.
  bool InUse = false;
  /// Whether the program changed what the host keeps with the open memfd
  /// itself (its owner, signal, lease: hostStateChanged), which a next
  /// open through the same host description would inherit.
  bool Changed = false;
  /// The pool's epoch when it was taken.
  uint64_t Epoch = 0;
};

struct State {
  GateLock Lock;
  Entry Entries[DescriptionPool::MaxEntries];
  /// Moved on by every event after which a description in use may be
  /// another process's too.
  uint64_t Epoch = 0;
};

State Pool;
K42_HELD_ACROSS_FORK(Pool.Lock);

/// The description's bytes a new memfd's would be, Data aside (it counts
/// only while Cached, which this clears), and Magic cleared first.
void clear(FileDescription *D) {
  __atomic_store_n(&D->Magic, 0, __ATOMIC_RELEASE);
  std::memset(reinterpret_cast<char *>(D) + sizeof(D->Magic), 0,
              offsetof(FileDescription, Path) - sizeof(D->Magic));
  D->Path[0] = 0;
}

/// Lets \p E go: its mapping and the pool's descriptor (the program's,
/// if any, keep the memfd).
void drop(Entry &E) {
  FileDescription::unmap(E.Desc);
  (void)hostCall(SYS_close, E.Fd);
  E = Entry();
}

} // namespace

long DescriptionPool::take(FileDescription *&Out,
                           long (*Make)(FileDescription *&)) {
  Out = nullptr;
  if (ProcessState::memoryShared())
    return -ENOENT;
  GateLockGuard Guard(Pool.Lock);
  Entry *Empty = nullptr;
  for (Entry &E : Pool.Entries) {
    if (!E.Desc) {
      Empty = Empty ? Empty : &E;
      continue;
    }
    if (E.InUse)
      continue;
    // Taken by another process since it came back (pidfd_getfd): that
    // process's now, never the next open's here.
    if (__atomic_load_n(&E.Desc->Taken, __ATOMIC_ACQUIRE)) {
      drop(E);
      Empty = Empty ? Empty : &E;
      continue;
    }
    // Close-on-exec until the caller has made it a description, as a
    // new memfd is (FileDescription::create).
    long Fd = hostCall(SYS_fcntl, E.Fd, F_DUPFD_CLOEXEC, 0);
    if (isError(Fd))
      return Fd;
    E.InUse = true;
    E.Epoch = Pool.Epoch;
    Out = E.Desc;
    return Fd;
  }
  if (!Empty)
    return -ENOENT;
  FileDescription *D = nullptr;
  long Fd = Make(D);
  if (isError(Fd))
    return Fd;
  long Own = FdLimit::copyHigh(Fd, F_DUPFD_CLOEXEC, GateTransport::FirstFd);
  if (!isError(Own)) {
    Empty->Desc = D;
    Empty->Fd = int(Own);
    Empty->InUse = true;
    Empty->Epoch = Pool.Epoch;
  }
  // Without a descriptor of its own the pool does not follow it: a
  // description made as before.
  Out = D;
  return Fd;
}

bool DescriptionPool::giveBack(FileDescription *D) {
  // A process running in this memory never took one.
  if (!D ||
      (ProcessState::memoryShared() && !ProcessState::callerIsThisProcess()))
    return false;
  GateLockGuard Guard(Pool.Lock);
  for (Entry &E : Pool.Entries) {
    if (E.Desc != D || !E.InUse)
      continue;
    // Another process may hold it: made before its clone or its send, or
    // while a process runs in this memory (posix_spawn's child, whose
    // exec hands on what it holds); or the host's description of it is
    // not as new.
    if (E.Epoch != Pool.Epoch || ProcessState::memoryShared() || E.Changed ||
        __atomic_load_n(&D->Taken, __ATOMIC_ACQUIRE)) {
      drop(E);
      return true;
    }
    clear(D);
    E.InUse = false;
    return true;
  }
  return false;
}

void DescriptionPool::hostStateChanged(FileDescription *D) {
  if (!D || ProcessState::memoryShared())
    return;
  GateLockGuard Guard(Pool.Lock);
  for (Entry &E : Pool.Entries)
    if (E.Desc == D && E.InUse)
      E.Changed = true;
}

void DescriptionPool::cloning() { ++Pool.Epoch; }

void DescriptionPool::exposeAll() {
  GateLockGuard Guard(Pool.Lock);
  ++Pool.Epoch;
}

void DescriptionPool::forked(bool SharesFiles) {
  // The mappings stay (a description in use is the child's too, through
  // its inherited descriptor and this mapping; a kept one goes with the
  // child's exec or exit): only the pool's descriptors go, unless they
  // are the parent's own (CLONE_FILES: one table).
  for (Entry &E : Pool.Entries) {
    if (E.Desc && !SharesFiles)
      (void)hostCall(SYS_close, E.Fd);
    E = Entry();
  }
}

int DescriptionPool::kept() {
  GateLockGuard Guard(Pool.Lock);
  int N = 0;
  for (const Entry &E : Pool.Entries)
    N += E.Desc && !E.InUse;
  return N;
}
