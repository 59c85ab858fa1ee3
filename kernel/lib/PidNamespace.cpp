//===- kernel/lib/PidNamespace.cpp - The system's own pid namespace -------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "PidNamespace.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

namespace k42::kernel {
namespace {

/// The child waitForInit() forwards signals to.
volatile pid_t ForwardTo = 0;

/// The host's pid_max as prepare() read it (the namespace's own is read
/// from inside it), for becomeInit() to give the namespace.
char HostPidMax[24];
ssize_t HostPidMaxBytes = -1;

void forward(int Signal) {
  if (ForwardTo > 0)
    kill(ForwardTo, Signal);
}

} // namespace

Status PidNamespace::prepare() {
  // Kept to step back with if the mount tree cannot be made a slave: a
  // new mount namespace whose mounts still propagate to the host's would
  // carry the system's /proc out to it.
  int OldPid = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
  int OldMnt = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
  auto Done = [&](int Error) {
    if (OldPid >= 0)
      close(OldPid);
    if (OldMnt >= 0)
      close(OldMnt);
    return Error ? Status::error(Error) : Status::ok();
  };
  if (OldPid < 0 || OldMnt < 0)
    return Done(errno);
  if (int Fd = open("/proc/sys/kernel/pid_max", O_RDONLY | O_CLOEXEC);
      Fd >= 0) {
    HostPidMaxBytes = read(Fd, HostPidMax, sizeof(HostPidMax) - 1);
    close(Fd);
  }
  if (unshare(CLONE_NEWPID | CLONE_NEWNS) != 0)
    return Done(errno);
  if (mount(nullptr, "/", nullptr, MS_REC | MS_SLAVE, nullptr) != 0) {
    int Error = errno;
    (void)setns(OldMnt, CLONE_NEWNS);
    (void)setns(OldPid, CLONE_NEWPID);
    return Done(Error);
  }
  return Done(0);
}

Result<pid_t> PidNamespace::becomeInit() {
  // Still the host's proc: its "self" is this process's host pid.
  char Self[32] = {};
  ssize_t N = readlink("/proc/self", Self, sizeof(Self) - 1);
  if (N <= 0)
    return Status::error(errno ? errno : EIO);
  pid_t HostPid = pid_t(std::strtol(Self, nullptr, 10));
  if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
            nullptr) != 0)
    return Status::error(errno);
  // The host's pid_max for the namespace's own: Linux 6.14 gives a new
  // namespace the largest, 4194304, so ps and pstree under the system
  // printed wider pid columns than natively (battery 45). Best effort:
  // before 6.14 the value is the host's already.
  if (HostPidMaxBytes > 0)
    if (int Fd = open("/proc/sys/kernel/pid_max", O_WRONLY | O_CLOEXEC);
        Fd >= 0) {
      (void)!write(Fd, HostPidMax, size_t(HostPidMaxBytes));
      close(Fd);
    }
  return HostPid;
}

int PidNamespace::waitForInit(pid_t Init) {
  ForwardTo = Init;
  struct sigaction Forward {};
  Forward.sa_handler = forward;
  sigaction(SIGINT, &Forward, nullptr);
  sigaction(SIGTERM, &Forward, nullptr);
  int Status = 0;
  while (waitpid(Init, &Status, 0) < 0)
    if (errno != EINTR)
      return 1;
  if (WIFEXITED(Status))
    return WEXITSTATUS(Status);
  return 128 + WTERMSIG(Status);
}

} // namespace k42::kernel
