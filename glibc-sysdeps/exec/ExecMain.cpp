//===- glibc-sysdeps/exec/ExecMain.cpp - k42-exec -------------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// k42-exec [--exe PATH] [--argv0 NAME] PROGRAM [ARGS...]: runs an
/// unmodified program on the personality. A dynamic program (or a script)
/// is exec'd with the personality library preloaded; a static one is
/// loaded into this process, which is armed first (--exe: the K42 path its
/// /proc/self/exe answers, when PROGRAM is the personality's copy of it).
/// Either way K42_EXEC names this program, so that a static program
/// exec'd later comes back here. `utils/k42 run` calls this.
/// On a system with a pid namespace of its own, the program runs inside it
/// and this process waits outside (SystemEntry.h).
///
//===----------------------------------------------------------------------===//

#include "ElfLoader.h"
#include "SystemEntry.h"

#include "k42/personality/CallStats.h"
#include "k42/personality/ExecEnvironment.h"
#include "k42/personality/FileState.h"
#include "k42/personality/FsBridge.h"
#include "k42/personality/HostFolder.h"
#include "k42/personality/KernelConnection.h"
#include "k42/personality/LibraryExport.h"
#include "k42/personality/ProcessBridge.h"
#include "k42/personality/ProcessState.h"
#include "k42/personality/ProgramFds.h"
#include "k42/personality/RefusalLog.h"
#include "k42/personality/TraceStops.h"
#include "k42/personality/TrapReflection.h"

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

using namespace k42::personality;

namespace {

int fail(int Status, const std::string &Message) {
  std::fprintf(stderr, "k42-exec: %s\n", Message.c_str());
  return Status;
}

/// The descriptors from ProgramFds::First up that this process was started
/// with, comma-separated; none when it was exec'd from inside K42 (K42_EXEC
/// set), where those numbers are the personality's and the exec state
/// names the program's.
std::string inheritedFds() {
  std::string Fds;
  if (std::getenv("K42_EXEC"))
    return Fds;
  (void)forEachHostEntry("/proc/self/fd", [&](long Dir, const char *Name) {
    char *End = nullptr;
    long Fd = std::strtol(Name, &End, 10);
    if (End != Name && !*End && Fd >= ProgramFds::First && Fd != Dir)
      Fds += (Fds.empty() ? "" : ",") + std::to_string(Fd);
  });
  return Fds;
}

/// PROGRAM as the shell finds it: as given if it has a slash, else the
/// first executable file of that name on PATH.
std::string findProgram(const std::string &Name) {
  if (Name.find('/') != std::string::npos)
    return Name;
  const char *Path = std::getenv("PATH");
  std::string Dirs = Path ? Path : "/usr/local/bin:/usr/bin:/bin";
  size_t Begin = 0;
  while (Begin <= Dirs.size()) {
    size_t End = Dirs.find(':', Begin);
    if (End == std::string::npos)
      End = Dirs.size();
    std::string Dir = Dirs.substr(Begin, End - Begin);
    std::string Candidate = (Dir.empty() ? "." : Dir) + "/" + Name;
    struct stat Info;
    if (stat(Candidate.c_str(), &Info) == 0 && S_ISREG(Info.st_mode) &&
        access(Candidate.c_str(), X_OK) == 0)
      return Candidate;
    Begin = End + 1;
  }
  return Name;
}

std::string selfPath() {
  char Buffer[PATH_MAX];
  ssize_t N = readlink("/proc/self/exe", Buffer, sizeof(Buffer) - 1);
  if (N <= 0)
    return {};
  return std::string(Buffer, size_t(N));
}

/// Whether K42_LINUX_LOG's value \p Spec sends the personality's notes
/// nowhere (RefusalLog::configure's "off").
bool isOff(const char *Spec) { return Spec && std::strcmp(Spec, "off") == 0; }

} // namespace

int main(int Argc, char **Argv) {
  int First = 1;
  const char *Argv0 = nullptr;
  // The K42 path of a program the personality's execve copied into a
  // memfd (PROGRAM is then /proc/self/fd/1008): its /proc/self/exe.
  const char *Exe = nullptr;
  if (First + 1 < Argc && std::strcmp(Argv[First], "--exe") == 0) {
    Exe = Argv[First + 1];
    First += 2;
  }
  if (First + 1 < Argc && std::strcmp(Argv[First], "--argv0") == 0) {
    Argv0 = Argv[First + 1];
    First += 2;
  }
  if (First < Argc && std::strcmp(Argv[First], "--") == 0)
    ++First;
  if (First >= Argc)
    return fail(
        2, "usage: k42-exec [--exe PATH] [--argv0 NAME] PROGRAM [ARGS...]");

  // The program's descriptors from 1000 up, from its caller outside K42,
  // listed before this process opens any of the personality's there.
  std::string Inherited = inheritedFds();
  // Inside the system's pid namespace before anything is registered: the
  // program's pids are to be the system's (this process may stay outside,
  // as the parent that waits).
  char Socket[KernelConnection::SocketPathBytes];
  KernelConnection::socketPath(std::getenv("K42_KERNEL_SOCKET"), Socket,
                               sizeof(Socket));
  std::string Why;
  k42::Result<SystemEntry::Outcome> Entered = SystemEntry::enter(Socket, Why);
  if (!Entered)
    return fail(126, Why);
  if (!Entered->GoOn)
    return Entered->ExitStatus;
  // Without a system the program runs on the host's files. Where no
  // socket was named, most likely one was forgotten (its output alone may
  // look like a K42 run): said, unless K42_LINUX_LOG is off. A socket
  // named where no system answers is taken as meant (the trap and
  // direct-branch tests run so).
  const char *Named = std::getenv("K42_KERNEL_SOCKET");
  if (Entered->NoSystem && !(Named && *Named) &&
      !isOff(std::getenv("K42_LINUX_LOG")))
    std::fprintf(stderr,
                 "k42-exec: no K42 system answers at %s: %s runs on the "
                 "host's files (boot one with `utils/k42 boot --linux`, or "
                 "name its socket in K42_KERNEL_SOCKET)\n",
                 Socket, Argv[First]);
  // The system found at the default socket (/tmp/k42-<uid>) is named for
  // the program and all it starts: a process of it that becomes another
  // user (runuser) would look for that user's default, find none, and run
  // its next image on the host's files.
  if (!Entered->NoSystem && !(Named && *Named))
    setenv("K42_KERNEL_SOCKET", Socket, 1);

  std::string Self = selfPath();
  std::string Dir = Self.substr(0, Self.rfind('/'));
  std::string Library = Dir + "/../lib/libk42linux.so";
  if (Self.empty() || access(Library.c_str(), R_OK) != 0)
    return fail(126, "cannot find the personality library " + Library);
  std::string Preload = Library;
  if (const char *Old = std::getenv("LD_PRELOAD"); Old && *Old) {
    if (std::string(Old).find(Library) != std::string::npos)
      Preload = Old;
    else
      Preload += std::string(":") + Old;
  }
  setenv("LD_PRELOAD", Preload.c_str(), 1);
  setenv("K42_EXEC", Self.c_str(), 1);
  // For the first image (this process's pid: ProgramFds::inherit), which
  // takes them as the program's.
  if (!Inherited.empty())
    setenv(ProgramFds::InheritedName,
           (std::to_string(getpid()) + ":" + Inherited).c_str(), 1);

  std::string Program = findProgram(Argv[First]);
  std::vector<char *> Args(Argv + First, Argv + Argc);
  if (Argv0)
    Args[0] = const_cast<char *>(Argv0);
  Args.push_back(nullptr);

  // The program is a process of the Linux process server from its start
  // (a child of init when k42-exec was started from outside K42).
  // The process client's channel rides the file client's kernel
  // connection (FsBridge::connectService).
  FsBridge::configure(std::getenv("K42_KERNEL_SOCKET"));
  ProcessBridge::configure(std::getenv("K42_KERNEL_SOCKET"));
  ProcessBridge::registerRoot();
  // Its name is the program's, not k42-exec's.
  std::string Name = Program.substr(Program.rfind('/') + 1).substr(0, 15);
  (void)ProcessBridge::execed(Name.data(), Name.size(), false);
  // Run by a program already on the personality (k42-exec is static-pie,
  // so that personality loaded it): an exec there puts a static program
  // on it too, where arming one here would be refused (the thread's
  // dispatch is that personality's).
  if (ElfLoader::classify(Program) != ProgramKind::Static ||
      TrapReflection::nested()) {
    execv(Program.c_str(), Args.data());
    int Error = errno;
    return fail(Error == ENOENT ? 127 : 126,
                "cannot run " + Program + ": " + std::strerror(Error));
  }

  ElfLoader Loader;
  std::string Error;
  if (Loader.load(Program, Error) < 0)
    return fail(126, Error);
  RefusalLog::configure(std::getenv("K42_LINUX_LOG"));
  // A static program's sites are never patched (SitePatch is given no
  // text), but its traps are counted the same way.
  if (const char *Stats = std::getenv("K42_LINUX_TRAP_STATS");
      Stats && std::strcmp(Stats, "1") == 0)
    TrapReflection::countAtExit();
  CallStats::configure(std::getenv("K42_LINUX_CALL_STATS"));
  TraceStops::configure(std::getenv("K42_TRACE_PERSONALITY"));
  ProcessState::start(Self.c_str());
  if (Exe && Exe[0] == '/') {
    ProcessState::setProgram(Exe);
  } else if (char *Real = realpath(Program.c_str(), nullptr)) {
    // /proc/self/exe names k42-exec here; the personality answers this.
    if (std::strncmp(Real, "/proc/", 6) != 0 &&
        std::strncmp(Real, "/memfd:", 7) != 0)
      ProcessState::setProgram(Real);
    std::free(Real);
  }
  FsBridge::addHostPaths(std::getenv("K42_HOST_PATHS"));
  ProgramFds::inherit(environ);
  LibraryExport::start(environ); // the static program sees none of it
  ExecEnvironment::start(environ);
  FileState::start();
  // From the environment the program was given: the exec state's
  // FileState::start took out the variables the exec put back for the
  // personality (ExecEnvironment::restore), as a dynamic program's image
  // takes them out of its own.
  uintptr_t Sp =
      Loader.buildStack(int(Args.size() - 1), Args.data(), environ, Program);
  if (!Sp)
    return fail(126, "no memory for the program's stack");
  // Nothing of this process's own libc may run once it is armed.
  std::fflush(nullptr);
  if (TrapReflection::install() < 0 || TrapReflection::armThread() < 0)
    return fail(126, "no Syscall User Dispatch here: a static program "
                     "cannot run on the personality");
  Loader.enter(Sp);
}
