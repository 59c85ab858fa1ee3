//===- kernel/tool/CtlMain.cpp - k42ctl -----------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// k42ctl [--socket PATH] ps|shutdown: inspects and stops a running system.
///
//===----------------------------------------------------------------------===//

#include "k42/kernel/KernelLink.h"

#include <cerrno>
#include <cstdio>
#include <string>

using namespace k42::kernel;

/// How long `k42ctl shutdown` waits for the system to be down: the kernel
/// gives its processes 3 s before it kills its servers.
static constexpr int ShutdownWaitMs = 10000;

int main(int Argc, char **Argv) {
  std::string Socket = KernelLink::defaultSocketPath();
  std::string Command;
  for (int I = 1; I < Argc; ++I) {
    std::string Arg = Argv[I];
    if (Arg == "--socket" && I + 1 < Argc)
      Socket = Argv[++I];
    else
      Command = Arg;
  }
  if (Command != "ps" && Command != "shutdown") {
    std::fprintf(stderr, "usage: k42ctl [--socket PATH] ps|shutdown\n");
    return 2;
  }
  k42::Result<std::unique_ptr<KernelLink>> Link =
      KernelLink::connect("k42ctl", Socket);
  if (!Link && Link.status().errorCode() == EACCES) {
    std::fprintf(stderr,
                 "k42ctl: the K42 system at %s refuses this user (another "
                 "user is admitted only inside the system)\n",
                 Socket.c_str());
    return 1;
  }
  if (!Link) {
    std::fprintf(stderr, "k42ctl: no K42 system at %s: %s\n", Socket.c_str(),
                 std::string(Link.status().message()).c_str());
    return 1;
  }
  if (Command == "shutdown") {
    k42::Status S = (*Link)->shutdown();
    if (!S) {
      std::fprintf(stderr, "k42ctl: shutdown: %s\n",
                   std::string(S.message()).c_str());
      return 1;
    }
    std::printf("k42: shutting down\n");
    std::fflush(stdout);
    // Returns when the system is down, so what runs next finds none.
    if (k42::Status Down = (*Link)->waitUntilDown(ShutdownWaitMs);
        !Down && Down.errorCode() == EPERM) {
      std::fprintf(stderr, "k42ctl: shutdown refused: only the system's "
                           "owner or root may shut it down\n");
      return 1;
    } else if (!Down) {
      std::fprintf(stderr, "k42ctl: the system at %s is still stopping: %s\n",
                   Socket.c_str(), std::string(Down.message()).c_str());
      return 1;
    }
    return 0;
  }
  k42::Result<std::vector<ProcessEntry>> List = (*Link)->list();
  if (!List)
    return 1;
  // The pid column is the host's, or the system's own when it has a pid
  // namespace (kernel pid 1): those name nothing on the host.
  bool Own = !List->empty() && List->front().PidIsSystems;
  std::printf("%6s %8s %6s  %s\n", "K42ID", Own ? "LINUXPID" : "HOSTPID",
              "STATE", "NAME");
  for (const ProcessEntry &E : *List)
    std::printf("%6u %8d %6s  %s\n", E.Who.Pid, E.HostPid,
                E.Running ? "run" : "exit", E.Name.c_str());
  return 0;
}
