//===- runtime/lib/InProcTransport.cpp - Calls within one process ---------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The in-process transport runs the whole PPC path except the process
/// switch: the stub marshals into a PPC page, the handle is resolved in the
/// table, the X object checks rights and unmarshals, the reply comes back in
/// a second page. Pages are per thread and per call depth, so an
/// implementation may itself call through stubs without clobbering the
/// request it is still reading (in parameters such as std::string_view point
/// into the request page).
///
//===----------------------------------------------------------------------===//

#include "k42/ipc/InProcTransport.h"
#include "k42/ipc/Processor.h"
#include "ThreadExit.h"

#include <sys/mman.h>

namespace k42 {
namespace {

/// How deep calls made from within calls may nest on one thread.
constexpr unsigned MaxDepth = 64;

/// One nesting level's pages, and its bulk window once a call needs one.
struct Level {
  CallBuffers Pages;
  std::byte *Bulk = nullptr;
};

/// The call pages of one thread, one level per nesting depth. Trivially
/// constructible on purpose: a thread_local with a constructor costs an
/// initialisation check on every access, and this is on every call's path.
struct ThreadPages {
  unsigned Depth;
  Level *Levels[MaxDepth];
};

// initial-exec: the runtime is built position-independent, and the default
// TLS model for that is a __tls_get_addr call per access. These 520 bytes fit
// in the static TLS glibc reserves even for a dlopen'ed library.
[[gnu::tls_model("initial-exec")]] thread_local ThreadPages Pages;

void freePages(void *Arg) {
  auto &Levels = static_cast<ThreadPages *>(Arg)->Levels;
  for (Level *&L : Levels) {
    if (L && L->Bulk)
      munmap(L->Bulk, BulkWindow::Size);
    delete L;
    L = nullptr;
  }
}

[[gnu::noinline]] Level &allocateLevel(unsigned Depth) {
  // Beyond MaxDepth the deepest pages are reused: a call nested that deep
  // is a runaway recursion, and sharing pages then is no worse than failing.
  unsigned Index = Depth < MaxDepth ? Depth : MaxDepth - 1;
  bool First = true;
  for (Level *Existing : Pages.Levels)
    First &= Existing == nullptr;
  if (First)
    detail::atThreadExit(&freePages, &Pages);
  if (!Pages.Levels[Index])
    Pages.Levels[Index] = new Level;
  return *Pages.Levels[Index];
}

Level &currentLevel() {
  unsigned Depth = Pages.Depth;
  if (Depth < MaxDepth && Pages.Levels[Depth]) [[likely]]
    return *Pages.Levels[Depth];
  return allocateLevel(Depth);
}

/// The level whose pages are \p Buffers, if they are this thread's.
Level *levelOf(const CallBuffers &Buffers) {
  // Almost always the current level: a stub calls with buffers().
  unsigned Depth = Pages.Depth < MaxDepth ? Pages.Depth : MaxDepth - 1;
  if (Level *L = Pages.Levels[Depth]; L && &L->Pages == &Buffers) [[likely]]
    return L;
  for (Level *L : Pages.Levels)
    if (L && &L->Pages == &Buffers)
      return L;
  return nullptr;
}

/// Marks the pages of the current level busy while a call dispatches.
class DepthGuard {
public:
  DepthGuard() { ++Pages.Depth; }
  ~DepthGuard() { --Pages.Depth; }
  DepthGuard(const DepthGuard &) = delete;
  DepthGuard &operator=(const DepthGuard &) = delete;
};

} // namespace

InProcTransport::InProcTransport(Badge Self)
    : Self(Self), Table(/*Endpoint=*/reinterpret_cast<uintptr_t>(this)) {}

Result<ObjectHandle> InProcTransport::exportObject(XObject &Object,
                                                   RightsMask Rights) {
  return Table.insert(Object, Rights, Self.Pid);
}

CallBuffers &InProcTransport::buffers() { return currentLevel().Pages; }

BulkWindow InProcTransport::bulk(const CallBuffers &Buffers) {
  Level *L = levelOf(Buffers);
  if (!L)
    return {};
  if (!L->Bulk) {
    // Address space only: pages appear as a large call touches them.
    void *Base = mmap(nullptr, BulkWindow::Size, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (Base == MAP_FAILED)
      return {};
    L->Bulk = static_cast<std::byte *>(Base);
  }
  return BulkWindow::at(L->Bulk);
}

Status InProcTransport::call(const ObjectHandle &Handle,
                             CallBuffers &Buffers) {
  HandleEntry Entry;
  if (Status S = Table.lookup(Handle, Self, Entry); !S)
    return S;
  Level *L = levelOf(Buffers);
  CallContext Context{Self, Entry.Rights, Handle,
                      BulkWindow::at(L ? L->Bulk : nullptr),
                      currentProcessor()};
  DepthGuard Busy;
  Entry.Object->dispatch(Context, Buffers.Request, Buffers.Reply);
  return Status::fromRaw(Buffers.Reply.Status);
}

Status InProcTransport::send(const ObjectHandle &Handle, PPCPage &Request) {
  HandleEntry Entry;
  if (Status S = Table.lookup(Handle, Self, Entry); !S)
    return S;
  CallContext Context{Self, Entry.Rights, Handle, {}, currentProcessor()};
  DepthGuard Busy;
  // A one-way call has no reply for the client; the X object still writes
  // its status, into a page nobody reads, exactly as an asynchronous PPC
  // would drop it. The client learns only whether the message was delivered.
  CallBuffers &Scratch = currentLevel().Pages;
  Entry.Object->dispatch(Context, Request, Scratch.Reply);
  return Status::ok();
}

Status InProcTransport::bind(const ObjectHandle &Handle,
                             uint64_t Fingerprint) {
  HandleEntry Entry;
  if (Status S = Table.lookup(Handle, Self, Entry); !S)
    return S;
  if (!Entry.Object->interfaceInfo().isCompatibleWith(Fingerprint))
    return Status::error(errc::IncompatibleInterface);
  return Status::ok();
}

Result<ObjectHandle> InProcTransport::giveAccess(const ObjectHandle &Handle,
                                                RightsMask Rights,
                                                ProcessId To) {
  return Table.giveAccess(Handle, Self, Rights, To);
}

Status InProcTransport::revoke(const ObjectHandle &Handle) {
  return Table.revokeFor(Handle, Self);
}

} // namespace k42
