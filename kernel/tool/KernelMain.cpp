//===- kernel/tool/KernelMain.cpp - k42-kernel ----------------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// k42-kernel [--socket PATH] [--boot FILE] [--daemon] [--host-pids]
///            [--trace-rings N] [--trace-ring-bytes N] [--trace-on]
///            [--test-refuse-linux-ms MS]
///
/// Starts the kernel process, boots the servers of FILE, prints one line
/// when the system is up and serves until shut down. With --daemon it
/// returns once the system is up and keeps running in the background.
///
/// A FILE that says `namespace pid` gets a pid namespace of its own: the
/// kernel's process is pid 1 of it (the init that reaps orphans), and a
/// parent stays outside only in the foreground, to wait for it. With
/// --host-pids, or where the namespace cannot be made (not root), the
/// system's pids are the host's, and the up line and the log say why.
///
/// Before any server starts it makes the system's trace region,
/// PATH.trace (N rings, default 2, of N bytes, default 1 MiB), disabled
/// unless --trace-on; `k42-trace start|stop|dump` works on it.
///
/// --test-refuse-linux-ms is for tests only: for MS after boot the kernel
/// answers personality processes' connects EAGAIN, as a busy server does
/// (test/linux/busy-system.test).
///
//===----------------------------------------------------------------------===//

#include "BootDescription.h"
#include "Kernel.h"
#include "PidNamespace.h"

#include "k42/kernel/KernelLink.h"
#include "k42/trace/Trace.h"
#include "k42/trace/TraceRegion.h"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <unistd.h>

using namespace k42::kernel;
namespace trace = k42::trace;

namespace {
volatile sig_atomic_t StopRequested = 0;

/// Makes the trace region every process of this system will map, unless
/// another kernel is live at the socket (boot then fails and says so).
k42::Status makeTraceRegion(const std::string &SocketPath, uint32_t Rings,
                            uint64_t RingBytes, bool On) {
  Kernel::makeSocketFolder(SocketPath);
  if (KernelLink::connect("probe", SocketPath).isOk())
    return k42::Status::ok();
  std::string Path = trace::regionPathFor(SocketPath);
  k42::Result<trace::TraceRegion> Region =
      trace::TraceRegion::create(Path, Rings, RingBytes);
  if (!Region)
    return Region.status();
  Region->header().Enabled.store(On ? 1 : 0, std::memory_order_relaxed);
  return trace::attach(Path);
}

void kernelEvent(trace::KernelMinor Minor, std::string_view Text) {
  trace::event(trace::Major::Kernel, uint16_t(Minor), Text);
}
} // namespace

int main(int Argc, char **Argv) {
  KernelOptions Options;
  Options.SocketPath = KernelLink::defaultSocketPath();
  bool Daemon = false;
  bool HostPids = false;
  bool TraceOn = false;
  uint32_t TraceRings = trace::TraceRegion::DefaultRings;
  uint64_t TraceRingBytes = trace::TraceRegion::DefaultRingBytes;
  for (int I = 1; I < Argc; ++I) {
    std::string Arg = Argv[I];
    if (Arg == "--socket" && I + 1 < Argc)
      Options.SocketPath = Argv[++I];
    else if (Arg == "--boot" && I + 1 < Argc)
      Options.BootFile = Argv[++I];
    else if (Arg == "--daemon")
      Daemon = true;
    else if (Arg == "--host-pids")
      HostPids = true;
    else if (Arg == "--test-refuse-linux-ms" && I + 1 < Argc)
      Options.RefuseLinuxMs = int(std::strtol(Argv[++I], nullptr, 0));
    else if (Arg == "--trace-on")
      TraceOn = true;
    else if (Arg == "--trace-rings" && I + 1 < Argc)
      TraceRings = uint32_t(std::strtoul(Argv[++I], nullptr, 0));
    else if (Arg == "--trace-ring-bytes" && I + 1 < Argc)
      TraceRingBytes = std::strtoull(Argv[++I], nullptr, 0);
    else {
      std::fprintf(stderr, "usage: k42-kernel [--socket PATH] [--boot FILE] "
                           "[--daemon] [--host-pids] [--trace-rings N] "
                           "[--trace-ring-bytes N] "
                           "[--trace-on] [--test-refuse-linux-ms MS]\n");
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

  // The namespace is entered before the first fork, so that the process
  // that serves is pid 1 of it. A description that cannot be read is the
  // Kernel's to report, in the log.
  std::string HostPidsWhy;
  bool OwnPids = false;
  if (!Options.BootFile.empty()) {
    k42::Result<BootDescription> Boot =
        BootDescription::load(Options.BootFile, /*Quiet=*/true);
    if (Boot && Boot->PidNamespace) {
      if (HostPids)
        HostPidsWhy = "--host-pids";
      else if (k42::Status S = PidNamespace::prepare(); !S)
        HostPidsWhy = "no pid namespace: " + std::string(S.message());
      else
        OwnPids = true;
    }
  }

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
    // servers it starts: their output goes to the kernel's log, in the
    // socket's folder (made here: a daemon whose folder was missing ended
    // without a word, its log unwritable).
    Kernel::makeSocketFolder(Options.SocketPath);
    std::string Log = Options.SocketPath + ".log";
    std::FILE *In = std::freopen("/dev/null", "r", stdin);
    std::FILE *Out = std::freopen(Log.c_str(), "a", stdout);
    std::FILE *Err = std::freopen(Log.c_str(), "a", stderr);
    if (!In || !Out || !Err)
      return 1;
  } else if (OwnPids) {
    // In the foreground a parent stays outside, waits for the kernel and
    // passes Ctrl-C and kill on, so a caller's wait and kill still work.
    pid_t Child = fork();
    if (Child < 0)
      return 1;
    if (Child > 0)
      return PidNamespace::waitForInit(Child);
  }

  pid_t HostPid = getpid();
  if (OwnPids) {
    k42::Result<pid_t> Init = PidNamespace::becomeInit();
    if (!Init) {
      std::fprintf(stderr, "k42-kernel: boot failed: no /proc of its own: %s\n",
                   std::string(Init.status().message()).c_str());
      return 1;
    }
    HostPid = *Init;
    Options.Init = true;
  }
  if (!HostPidsWhy.empty()) {
    std::fprintf(stderr, "k42-kernel: pids are the host's: %s\n",
                 HostPidsWhy.c_str());
    std::fflush(stderr);
  }

  if (k42::Status S = makeTraceRegion(Options.SocketPath, TraceRings,
                                      TraceRingBytes, TraceOn);
      !S)
    std::fprintf(stderr, "k42-kernel: no trace region: %s\n",
                 std::string(S.message()).c_str());
  trace::setK42Pid(0);
  kernelEvent(trace::KernelMinor::Boot, Options.BootFile);

  Kernel K(Options);
  if (k42::Status S = K.boot(); !S) {
    std::fprintf(stderr, "k42-kernel: boot failed: %s\n",
                 std::string(S.message()).c_str());
    return 1;
  }
  std::string Pids = OwnPids ? "; pids are its own (a pid namespace)"
                     : HostPidsWhy.empty()
                         ? ""
                         : "; pids are the host's: " + HostPidsWhy;
  char Up[512];
  int Length = std::snprintf(
      Up, sizeof(Up),
      "k42: system up: %zu server(s), kernel pid %d, socket %s%s\n",
      K.bootServers(), int(HostPid), Options.SocketPath.c_str(), Pids.c_str());
  Length = std::min(Length, int(sizeof(Up)) - 1);
  kernelEvent(trace::KernelMinor::Up, Options.SocketPath);
  std::fputs(Up, stdout);
  std::fflush(stdout);
  if (Daemon) {
    if (write(Ready[1], Up, size_t(Length)) != Length)
      return 1;
    close(Ready[1]);
  }
  bool Ok = K.run(&StopRequested).isOk();
  kernelEvent(trace::KernelMinor::Down, Ok ? "ok" : "error");
  return Ok ? 0 : 1;
}
