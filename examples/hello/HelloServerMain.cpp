//===- examples/hello/HelloServerMain.cpp - hello as a K42 server ---------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The hello service in a process of its own: it registers /services/hello
/// with the kernel, and for every client the kernel connects it gives that
/// client (by the badge the kernel told it) a handle to one shared
/// HelloServer, served by the generated XHello over the kernel-made channel.
/// When the kernel says a client is gone, its handles are revoked.
///
//===----------------------------------------------------------------------===//

#include "Hello.k42.h"
#include "HelloServer.h"

#include <k42/kernel/KernelLink.h>
#include <k42/kernel/ServiceHost.h>

#include "NameClient.h"

#include <cstdio>
#include <memory>

using namespace k42;
using namespace k42::kernel;

int main() {
  Result<std::unique_ptr<KernelLink>> Link =
      KernelLink::connect("hello-server", KernelLink::defaultSocketPath());
  if (!Link) {
    std::fprintf(stderr, "hello-server: cannot reach the kernel: %s\n",
                 std::string(Link.status().message()).c_str());
    return 1;
  }
  hello::HelloServer Server("hello");
  hello::XHello Exported(Server);
  if (Status S = name::publish(**Link, "/services/hello"); !S) {
    std::fprintf(stderr, "hello-server: cannot publish /services/hello: %s\n",
                 std::string(S.message()).c_str());
    return 1;
  }
  // Every client gets every right here; a real service would decide from
  // the badge (uid, gid).
  ServiceHost Host(**Link);
  Status Done = Host.serve(Exported, hello::MetaHello::Rights::all);
  return Done.isOk() ? 0 : 1;
}
