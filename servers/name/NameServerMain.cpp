//===- servers/name/NameServerMain.cpp - k42-name-server ------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The name server process: registers the kernel's bootstrap path /name and
/// serves NameService to every process that connects; forgets a process's
/// names when the kernel says it is gone.
///
//===----------------------------------------------------------------------===//

#include "NameClient.h"
#include "NameServer.h"
#include "NameService.k42.h"

#include <k42/kernel/ServiceHost.h>

#include <cstdio>
#include <memory>
#include <string>

using namespace k42;
using namespace k42::kernel;

int main() {
  Result<std::unique_ptr<KernelLink>> Link =
      KernelLink::connect("name-server", KernelLink::defaultSocketPath());
  if (!Link) {
    std::fprintf(stderr, "name-server: cannot reach the kernel: %s\n",
                 std::string(Link.status().message()).c_str());
    return 1;
  }
  if (Status S = (*Link)->registerService(name::BootstrapPath); !S) {
    std::fprintf(stderr, "name-server: cannot register %s: %s\n",
                 std::string(name::BootstrapPath).c_str(),
                 std::string(S.message()).c_str());
    return 1;
  }
  name::NameServer Names;
  name::XNameService Exported(Names);
  // Everyone may resolve and publish; publish is bound to the caller's
  // badge, so nobody can publish for someone else.
  ServiceHost Host(**Link);
  Status Done = Host.serve(Exported, name::MetaNameService::Rights::all,
                           [&](const Badge &Gone) { Names.forget(Gone.Pid); });
  return Done.isOk() ? 0 : 1;
}
