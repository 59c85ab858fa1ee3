//===- runtime/linux/SharedRoots.cpp - Mount roots a family shares --------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/SharedRoots.h"

#include "k42/personality/HostCall.h"

#include <atomic>
#include <cstddef>

#include <sys/mman.h>
#include <sys/syscall.h>

using namespace k42::personality;

namespace {

/// An entry's state: free, being written (its writer may have died
/// there: never read, never reused), or published.
enum : uint32_t { EntryFree = 0, EntryWriting = 1, EntryReady = 2 };

/// The mount table's capacities (name::MountPathCapacity and
/// name::MountObjectCapacity): a longer key is not shared.
constexpr size_t PathBytes = 128;
constexpr size_t ObjectBytes = 96;

/// A canonical host directory's room (a longer one is not shared).
constexpr size_t HostDirBytes = 128;

struct Entry {
  std::atomic<uint32_t> State;
  uint32_t Server;
  uint64_t Version;
  uint64_t Dev;
  uint64_t Ino;
  char Path[PathBytes];
  char Object[ObjectBytes];
  /// HostDir's state, as State's: written once, after State is ready.
  std::atomic<uint32_t> HostDirState;
  char HostDir[HostDirBytes];
};

constexpr size_t PageBytes = 4096;
constexpr unsigned NumEntries = PageBytes / sizeof(Entry);
static_assert(NumEntries >= 8, "room for a system's read-only mounts");
static_assert(std::atomic<uint32_t>::is_always_lock_free,
              "entries are claimed across processes");

/// The page, or null before this process's first fork (and in a program
/// an exec started: its fork children share a page of their own).
std::atomic<Entry *> Page{nullptr};

bool sameString(const char *A, const char *B, size_t Capacity) {
  for (size_t I = 0; I < Capacity; ++I) {
    if (A[I] != B[I])
      return false;
    if (!A[I])
      return true;
  }
  return false;
}

/// Whether \p S fits in \p Capacity bytes with its NUL.
bool fits(const char *S, size_t Capacity) {
  for (size_t I = 0; I < Capacity; ++I)
    if (!S[I])
      return true;
  return false;
}

/// Copies \p From, which fits(), with its NUL.
void copyString(char *To, const char *From) {
  size_t I = 0;
  for (; From[I]; ++I)
    To[I] = From[I];
  To[I] = 0;
}

bool matches(const Entry &E, const SharedRoots::Key &K) {
  return E.Version == K.Version && E.Server == K.Server &&
         sameString(E.Path, K.Path, PathBytes) &&
         sameString(E.Object, K.Object, ObjectBytes);
}

/// The published entry for \p K, or null.
Entry *entryOf(const SharedRoots::Key &K) {
  Entry *Entries = Page.load(std::memory_order_acquire);
  if (!Entries)
    return nullptr;
  for (unsigned I = 0; I < NumEntries; ++I) {
    Entry &E = Entries[I];
    uint32_t S = E.State.load(std::memory_order_acquire);
    if (S == EntryFree)
      return nullptr; // Entries are claimed in order: none after this.
    if (S == EntryReady && matches(E, K))
      return &E;
  }
  return nullptr;
}

} // namespace

void SharedRoots::beforeFork() {
  if (Page.load(std::memory_order_acquire))
    return;
  long Map = hostCall(SYS_mmap, 0, PageBytes, PROT_READ | PROT_WRITE,
                      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (isError(Map))
    return; // Nothing shared: each child asks, as before.
  Entry *Expected = nullptr;
  // Another thread forking at once may have mapped one first.
  if (!Page.compare_exchange_strong(Expected, reinterpret_cast<Entry *>(Map),
                                    std::memory_order_acq_rel))
    (void)hostCall(SYS_munmap, Map, PageBytes);
}

bool SharedRoots::find(const Key &K, uint64_t &Dev, uint64_t &Ino) {
  Entry *E = entryOf(K);
  if (!E)
    return false;
  Dev = E->Dev;
  Ino = E->Ino;
  return true;
}

bool SharedRoots::findHostDir(const Key &K, char *Out, size_t Capacity) {
  Entry *E = entryOf(K);
  if (!E || E->HostDirState.load(std::memory_order_acquire) != EntryReady ||
      !E->HostDir[0] ||
      !fits(E->HostDir, Capacity < HostDirBytes ? Capacity : HostDirBytes))
    return false;
  copyString(Out, E->HostDir);
  return true;
}

void SharedRoots::publishHostDir(const Key &K, const char *HostDir) {
  Entry *E = entryOf(K);
  if (!E || !fits(HostDir, HostDirBytes))
    return;
  uint32_t Free = EntryFree;
  if (!E->HostDirState.compare_exchange_strong(Free, EntryWriting,
                                               std::memory_order_acquire))
    return; // Another member's, or being written.
  copyString(E->HostDir, HostDir);
  E->HostDirState.store(EntryReady, std::memory_order_release);
}

void SharedRoots::publish(const Key &K, uint64_t Dev, uint64_t Ino) {
  Entry *Entries = Page.load(std::memory_order_acquire);
  if (!Entries || !fits(K.Path, PathBytes) || !fits(K.Object, ObjectBytes))
    return;
  for (unsigned I = 0; I < NumEntries; ++I) {
    Entry &E = Entries[I];
    uint32_t Free = EntryFree;
    if (!E.State.compare_exchange_strong(Free, EntryWriting,
                                         std::memory_order_acquire))
      continue;
    E.Server = K.Server;
    E.Version = K.Version;
    E.Dev = Dev;
    E.Ino = Ino;
    copyString(E.Path, K.Path);
    copyString(E.Object, K.Object);
    E.State.store(EntryReady, std::memory_order_release);
    return;
  }
}

void SharedRoots::reset() {
  if (Entry *Entries = Page.exchange(nullptr, std::memory_order_acq_rel))
    (void)hostCall(SYS_munmap, reinterpret_cast<long>(Entries), PageBytes);
}
