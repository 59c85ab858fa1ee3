//===- bench/trace/LttngSession.cpp - An LTTng session for the anchor -----===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "LttngSession.h"

#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char **environ;

namespace k42::bench {
namespace {

/// Runs \p Argv quietly; its exit status, or -1.
int run(std::vector<std::string> Argv) {
  std::vector<char *> Args;
  for (std::string &A : Argv)
    Args.push_back(A.data());
  Args.push_back(nullptr);
  posix_spawn_file_actions_t Files;
  posix_spawn_file_actions_init(&Files);
  posix_spawn_file_actions_addopen(&Files, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&Files, 2, "/dev/null", O_WRONLY, 0);
  pid_t Pid;
  int Error =
      posix_spawnp(&Pid, Args[0], &Files, nullptr, Args.data(), environ);
  posix_spawn_file_actions_destroy(&Files);
  if (Error != 0)
    return -1;
  int Wait = 0;
  if (waitpid(Pid, &Wait, 0) != Pid || !WIFEXITED(Wait))
    return -1;
  return WEXITSTATUS(Wait);
}

pid_t readPid(const std::string &File) {
  std::ifstream In(File);
  long Pid = -1;
  In >> Pid;
  return In ? pid_t(Pid) : -1;
}

} // namespace

Status LttngSession::start(LttngSession &S, const std::string &Event) {
  char Dir[] = "/tmp/k42-bench-lttng.XXXXXX";
  if (!mkdtemp(Dir))
    return Status::error(errno);
  S.Home = Dir;
  // A user's daemon lives under $LTTNG_HOME; root's is the global one.
  setenv("LTTNG_HOME", S.Home.c_str(), 1);
  std::string RunDir = geteuid() == 0 ? "/var/run/lttng" : S.Home + "/.lttng";
  if (run({"lttng-sessiond", "--daemonize", "--no-kernel"}) == 0)
    S.Daemon = readPid(RunDir + "/lttng-sessiond.pid");
  S.Name = "k42bench-" + std::to_string(getpid());
  if (run({"lttng", "create", S.Name, "--snapshot",
           "--output=" + S.Home + "/traces"}) != 0)
    return Status::error(ENOENT);
  S.Created = true;
  if (run({"lttng", "enable-channel", "--session=" + S.Name, "-u",
           "--overwrite", "--subbuf-size=1M", "--num-subbuf=4", "k42"}) != 0 ||
      run({"lttng", "enable-event", "--session=" + S.Name, "-u",
           "--channel=k42", Event}) != 0 ||
      run({"lttng", "start", S.Name}) != 0)
    return Status::error(EIO);
  return Status::ok();
}

uint64_t LttngSession::snapshotBytes() {
  if (!Created ||
      run({"lttng", "snapshot", "record", "--session=" + Name}) != 0)
    return 0;
  uint64_t Bytes = 0;
  std::error_code Error;
  for (const auto &Entry :
       std::filesystem::recursive_directory_iterator(Home + "/traces", Error))
    if (Entry.is_regular_file(Error))
      Bytes += Entry.file_size(Error);
  return Bytes;
}

LttngSession::~LttngSession() {
  if (Created)
    run({"lttng", "destroy", Name});
  if (Daemon > 0) {
    kill(Daemon, SIGTERM);
    for (int I = 0; I < 50 && kill(Daemon, 0) == 0; ++I)
      usleep(100000);
  }
  if (!Home.empty())
    run({"rm", "-rf", Home});
}

} // namespace k42::bench
