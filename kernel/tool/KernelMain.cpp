//===- kernel/tool/KernelMain.cpp - k42-kernel ----------------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// k42-kernel [--socket PATH] [--boot FILE] [--daemon]
///
/// Starts the kernel process, boots the servers of FILE, prints one line
/// when the system is up and serves until shut down. With --daemon it
/// returns once the system is up and keeps running in the background.
///
//===----------------------------------------------------------------------===//

#include "Kernel.h"

#include "k42/kernel/KernelLink.h"

#include <csignal>
#include <fcntl.h>
#include <cstdio>
#include <cstring>
#include <string>
#include <unistd.h>

using namespace k42::kernel;

namespace {
volatile sig_atomic_t StopRequested = 0;
} // namespace

int main(int Argc, char **Argv) {
  KernelOptions Options;
  Options.SocketPath = KernelLink::defaultSocketPath();
  bool Daemon = false;
  for (int I = 1; I < Argc; ++I) {
    std::string Arg = Argv[I];
    if (Arg == "--socket" && I + 1 < Argc)
      Options.SocketPath = Argv[++I];
    else if (Arg == "--boot" && I + 1 < Argc)
      Options.BootFile = Argv[++I];
    else if (Arg == "--daemon")
      Daemon = true;
    else {
      std::fprintf(stderr,
                   "usage: k42-kernel [--socket PATH] [--boot FILE] "
                   "[--daemon]\n");
      return 2;
    }
  }
  // A client that dies must not take the kernel with it.
  signal(SIGPIPE, SIG_IGN);
  // Ctrl-C or a plain kill stops the system as cleanly as k42ctl shutdown.
  struct sigaction Stop {};
  Stop.sa_handler = [](int) { StopRequested = 1; };
  sigaction(SIGINT, &Stop, nullptr);
  sigaction(SIGTERM, &Stop, nullptr);

  int Ready[2] = {-1, -1};
  if (Daemon) {
    if (pipe2(Ready, O_CLOEXEC) != 0)
      return 1;
    pid_t Child = fork();
    if (Child < 0)
      return 1;
    if (Child > 0) {
      // The parent reports what the kernel says once it is up (or why it
      // failed, which the kernel wrote to its log), then leaves it running.
      close(Ready[1]);
      std::string Said;
      char Buffer[256];
      for (ssize_t N; (N = read(Ready[0], Buffer, sizeof(Buffer))) > 0;)
        Said.append(Buffer, size_t(N));
      if (Said.empty()) {
        std::fprintf(stderr, "k42-kernel: boot failed; see %s.log\n",
                     Options.SocketPath.c_str());
        return 1;
      }
      std::fputs(Said.c_str(), stdout);
      return 0;
    }
    close(Ready[0]);
    setsid();
    // A daemon holds on to nobody's terminal or pipes, and neither do the
    // servers it starts: their output goes to the kernel's log.
    std::string Log = Options.SocketPath + ".log";
    std::FILE *In = std::freopen("/dev/null", "r", stdin);
    std::FILE *Out = std::freopen(Log.c_str(), "a", stdout);
    std::FILE *Err = std::freopen(Log.c_str(), "a", stderr);
    if (!In || !Out || !Err)
      return 1;
  }

  Kernel K(Options);
  if (k42::Status S = K.boot(); !S) {
    std::fprintf(stderr, "k42-kernel: boot failed: %s\n",
                 std::string(S.message()).c_str());
    return 1;
  }
  char Up[256];
  int Length = std::snprintf(
      Up, sizeof(Up), "k42: system up: %zu server(s), kernel pid %d, socket %s\n",
      K.bootServers(), int(getpid()), Options.SocketPath.c_str());
  std::fputs(Up, stdout);
  std::fflush(stdout);
  if (Daemon) {
    if (write(Ready[1], Up, size_t(Length)) != Length)
      return 1;
    close(Ready[1]);
  }
  return K.run(&StopRequested).isOk() ? 0 : 1;
}
