//===- examples/hello/HelloDemo.cpp - hello, end to end -------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The hello walk-through: export a HelloServer through its generated X
/// object, bind a generated stub to it, call every method, see a handle
/// without the `admin` right refused, and move the server's state to a new
/// implementation the way hot swap does. Each step prints what it did; the
/// lit test checks that output.
///
//===----------------------------------------------------------------------===//

#include "Hello.k42.h"
#include "HelloServer.h"
#include "HelloServer.k42.h"

#include <k42/cobj/StateBuffer.h>
#include <k42/ipc/InProcTransport.h>

#include <cinttypes>
#include <cstdio>
#include <string>

using namespace hello;

namespace {

/// Prints a step and its status; returns whether it succeeded.
bool report(const char *Step, k42::Status S) {
  std::printf("%-34s -> %s\n", Step, std::string(S.message()).c_str());
  return S.isOk();
}

} // namespace

int main() {
  std::printf("interface %s version %u, fingerprint 0x%016" PRIx64 "\n",
              MetaHello::Name, MetaHello::Version, MetaHello::Fingerprint);
  for (size_t I = 0; I < MetaHello::Info.NumMethods; ++I) {
    const k42::MethodInfo &M = MetaHello::Info.Methods[I];
    std::printf("  method %-7s id 0x%08x rights 0x%" PRIx64 "%s\n", M.Name,
                M.Id, M.Required, M.OneWay ? " one-way" : "");
  }

  // The server side: an implementation, its X object, a handle with every
  // right for this process.
  k42::InProcTransport Transport(k42::Badge{/*Pid=*/42, /*Uid=*/1000,
                                            /*Gid=*/1000, 0});
  HelloServer Server("hello");
  XHello Exported(Server);
  k42::Result<k42::ObjectHandle> Handle =
      Transport.exportObject(Exported, MetaHello::Rights::all);
  if (!report("export HelloServer", Handle.status()))
    return 1;

  // The client side: bind checks the interface fingerprint.
  k42::Result<StubHello> Stub = StubHello::bind(Transport, *Handle);
  if (!report("bind StubHello", Stub.status()))
    return 1;

  std::string Greeting;
  if (!report("greet(\"world\")", Stub->greet("world", Greeting)))
    return 1;
  std::printf("  greeting: %s\n", Greeting.c_str());
  (void)Stub->greet("K42", Greeting);
  std::printf("  greeting: %s\n", Greeting.c_str());

  uint64_t Count = 0;
  if (!report("count()", Stub->count(Count)))
    return 1;
  std::printf("  count: %" PRIu64 "\n", Count);

  uint32_t Pid = 0;
  if (!report("whoAmI()", Stub->whoAmI(Pid)))
    return 1;
  std::printf("  caller pid from the badge: %u\n", Pid);

  report("note(\"left a note\") one-way", Stub->note("left a note"));
  std::printf("  server's last note: %s\n", Server.lastNote().c_str());

  report("greet(\"\") (server refuses)", Stub->greet("", Greeting));

  // A handle with the greet right only, as K42's giveAccess hands out.
  k42::Result<k42::ObjectHandle> Limited = Transport.handles().giveAccess(
      *Handle, Transport.self(), MetaHello::Rights::greet, Transport.self().Pid);
  if (!report("giveAccess(greet only)", Limited.status()))
    return 1;
  k42::Result<StubHello> LimitedStub = StubHello::bind(Transport, *Limited);
  if (!report("bind limited StubHello", LimitedStub.status()))
    return 1;
  report("reset() without admin", LimitedStub->reset());
  report("count() with greet", LimitedStub->count(Count));
  std::printf("  count still: %" PRIu64 "\n", Count);
  report("reset() with admin", Stub->reset());

  report("revoke limited handle", Transport.handles().revoke(*Limited));
  report("count() on revoked handle", LimitedStub->count(Count));

  // Hot swap's state transfer: the generated StateHelloServer moves the
  // K42_STATE fields into a new implementation.
  (void)Stub->greet("again", Greeting);
  k42::StateBuffer State;
  report("export state", StateHelloServer::exportState(Server, State));
  HelloServer Replacement("bonjour");
  report("import state into replacement",
         StateHelloServer::importState(Replacement, State));
  XHello ReplacementX(Replacement);
  k42::Result<k42::ObjectHandle> NewHandle =
      Transport.exportObject(ReplacementX, MetaHello::Rights::all);
  k42::Result<StubHello> NewStub = StubHello::bind(Transport, *NewHandle);
  if (!NewStub)
    return 1;
  (void)NewStub->count(Count);
  std::printf("  replacement count: %" PRIu64 ", last note: %s\n", Count,
              Replacement.lastNote().c_str());
  (void)NewStub->greet("world", Greeting);
  std::printf("  greeting: %s\n", Greeting.c_str());
  std::printf("hello demo done\n");
  return 0;
}
