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

#include <memory>
#include <vector>

namespace k42 {
namespace {

/// The call pages of one thread, one pair per nesting level.
struct ThreadPages {
  unsigned Depth = 0;
  std::vector<std::unique_ptr<CallBuffers>> Levels;

  CallBuffers &current() {
    while (Levels.size() <= Depth)
      Levels.push_back(std::make_unique<CallBuffers>());
    return *Levels[Depth];
  }
};

thread_local ThreadPages Pages;

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

CallBuffers &InProcTransport::buffers() { return Pages.current(); }

Status InProcTransport::call(const ObjectHandle &Handle,
                             CallBuffers &Buffers) {
  HandleEntry Entry;
  if (Status S = Table.lookup(Handle, Self, Entry); !S)
    return S;
  CallContext Context{Self, Entry.Rights, Handle};
  DepthGuard Busy;
  Entry.Object->dispatch(Context, Buffers.Request, Buffers.Reply);
  return Status::fromRaw(Buffers.Reply.Status);
}

Status InProcTransport::send(const ObjectHandle &Handle, PPCPage &Request) {
  HandleEntry Entry;
  if (Status S = Table.lookup(Handle, Self, Entry); !S)
    return S;
  CallContext Context{Self, Entry.Rights, Handle};
  DepthGuard Busy;
  // A one-way call has no reply for the client; the X object still writes
  // its status, into a page nobody reads, exactly as an asynchronous PPC
  // would drop it. The client learns only whether the message was delivered.
  CallBuffers &Scratch = Pages.current();
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

} // namespace k42
