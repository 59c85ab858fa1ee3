//===- runtime/linux/ExecCalls.cpp - execve keeps programs trapped --------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A host exec clears Syscall User Dispatch. A dynamic program gets the
/// personality back from LD_PRELOAD; a static one has no loader to preload
/// into, so its exec becomes an exec of k42-exec, which loads the program
/// into an armed process (the exec.so model, for now only for static
/// programs). set-user-id programs are left to the host: k42-exec could not
/// give them their privileges.
///
//===----------------------------------------------------------------------===//

#include "k42/personality/ElfImage.h"
#include "k42/personality/ExecEnvironment.h"
#include "k42/personality/ExecOverlay.h"
#include "k42/personality/FaultSignals.h"
#include "k42/personality/FileState.h"
#include "k42/personality/Handlers.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/LibraryExport.h"
#include "k42/personality/ProcessBridge.h"
#include "k42/personality/ProcessState.h"
#include "k42/personality/SeccompFilters.h"
#include "k42/personality/SpawnView.h"
#include "k42/personality/SyscallTable.h"
#include "k42/personality/UserMemory.h"

#include <cerrno>
#include <cstdint>

#include <elf.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

using namespace k42::personality;

namespace {

/// ElfImage's reader of the bytes past a file's first ones.
bool readMore(void *Fd, void *To, size_t Length, uint64_t Offset) {
  return hostCall(SYS_pread64, *static_cast<long *>(Fd),
                  reinterpret_cast<long>(To), long(Length),
                  long(Offset)) == long(Length);
}

/// Whether \p Path names a static x86_64 ELF program (no interpreter: at a
/// fixed address, or position-independent, static-pie) that k42-exec can
/// load (ElfImage's reading, as k42-exec's). Any doubt answers no, and the
/// host execs the file as asked.
bool isStaticProgram(long Path) {
  long Fd = hostCall(SYS_openat, AT_FDCWD, Path, O_RDONLY | O_CLOEXEC);
  if (isError(Fd))
    return false;
  bool Static = false;
  struct stat Info;
  char Head[1024];
  ElfImage Image;
  if (hostCall(SYS_fstat, Fd, reinterpret_cast<long>(&Info)) == 0 &&
      !(Info.st_mode & (S_ISUID | S_ISGID))) {
    long Got = hostCall(SYS_pread64, Fd, reinterpret_cast<long>(Head),
                        sizeof(Head), 0);
    Static =
        Got > 0 &&
        !Image.read(Head, size_t(Got), uint64_t(Info.st_size), readMore, &Fd) &&
        Image.interpIndex() < 0 &&
        (!Image.movable() || Image.staticPie(readMore, &Fd));
  }
  (void)hostCall(SYS_close, Fd);
  return Static;
}

long execProgram(SyscallCall &Call, const char *K42Path, long ExecFn);
/// Not inlined: its path buffers' frame comes after beforeExecPath.
[[gnu::noinline]] long execOwn(SyscallCall &Call);

/// The name Linux gives a process exec'ing \p Path (the caller's string):
/// its last component, cut to 15 bytes (comm), into \p Name; its length.
size_t programName(long Path, char (&Name)[16]) {
  size_t Length = UserMemory::lastComponent(
      reinterpret_cast<const char *>(Path), Name, sizeof(Name));
  return Length < sizeof(Name) - 1 ? Length : sizeof(Name) - 1;
}

} // namespace

long sys::execve(SyscallCall &Call) {
  ProcessState::beforeExecPath(__builtin_frame_address(0));
  // A static program k42-exec loaded re-executing itself by
  // /proc/self/exe: that name is k42-exec's on the host, so the program's.
  SyscallCall Own = Call;
  if (const char *Exe = ProcessState::programAt(Call.Arg[0]))
    Own.Arg[0] = reinterpret_cast<long>(Exe);
  return execOwn(Own);
}

namespace {
long execOwn(SyscallCall &Call) {
  // A program on a K42 mount: the host execs the same host file, or a copy.
  char HostPath[4096];
  char K42Path[4096];
  long Image = FileState::hostImage(Call.Arg[0], HostPath, K42Path);
  if (Image < 0)
    return Image;
  if (long E = ExecEnvironment::libraryReadable(); E < 0)
    return E;
  // The descriptor table, cwd and umask live in memory the exec replaces;
  // the connections (made by now if finding the program needed them) are
  // handed on too.
  // An environment without the personality's variables gets them back.
  long HostProgram =
      Image == 0 ? Call.Arg[0] : reinterpret_cast<long>(HostPath);
  long Envp = ExecEnvironment::prepare(
      Call.Arg[2], LibraryExport::listsOnly(HostProgram, Call.Arg[1]));
  // The libraries ld.so will need from K42's files (LibraryExport.h), and
  // the program ld.so run as a program is given.
  long Argv = Call.Arg[1];
  Envp = LibraryExport::prepare(HostProgram, Image == 2 ? K42Path : nullptr,
                                Argv, Envp);
  char Name[16];
  size_t NameLength = programName(Call.Arg[0], Name);
  Name[NameLength] = 0;
  FileState::beforeExec(Image == 2 ? K42Path : nullptr, Name);
  SyscallCall Host = Call;
  Host.Arg[1] = Argv;
  Host.Arg[2] = Envp;
  if (Image > 0)
    Host.Arg[0] = reinterpret_cast<long>(HostPath);
  // The new image does not know this one's unreported children.
  ProcessBridge::reportChildren();
  bool Announced = ProcessBridge::execed(Name, NameLength, false) >= 0;
  long Result = execProgram(Host, Image == 2 ? K42Path : nullptr, Call.Arg[0]);
  if (Announced)
    (void)ProcessBridge::execed(nullptr, 0, true);
  FileState::execFailed();
  ExecEnvironment::execFailed();
  LibraryExport::execFailed();
  if (Image == 2)
    (void)hostCall(SYS_close, FileState::ImageFd);
  return Result;
}
} // namespace

namespace {
/// The host's execve: the program's SIG_IGN of SIGSEGV and SIGBUS handed
/// on (FaultSignals), taken back if it fails.
long hostExec(long Path, long Argv, long Envp) {
  FaultSignals::beforeExec();
  long Result = hostCall(SYS_execve, Path, Argv, Envp);
  FaultSignals::execFailed();
  return Result;
}

/// \p K42Path: the K42 file a copy in a memfd was made from (its name is
/// the program's /proc/self/exe, where the host would say the memfd's).
/// \p ExecFn: the path the caller named. A dynamic program (or k42-exec,
/// for a static one) replaces this image in user space where that can be
/// exact (ExecOverlay); the host execs it otherwise.
long execProgram(SyscallCall &Call, const char *K42Path, long ExecFn) {
  const char *Loader = ProcessState::loaderPath();
  // An image without the personality is filtered by the host: its exec
  // is the host's, the filters installed there first.
  if (SeccompFilters::leavingPersonality(Call.Arg[0], Call.Arg[2])) {
    SeccompFilters::installOnHost();
    return hostExec(Call.Arg[0], Call.Arg[1], Call.Arg[2]);
  }
  // The overlay reads the file's headers anyway: whether it is a static
  // program is its answer, read again only where it gave up sooner.
  long Overlay =
      ExecOverlay::replace(Call.Arg[0], ExecFn, Call.Arg[1], Call.Arg[2],
                           Call.Trap, K42Path != nullptr);
  if (Overlay < 0)
    return Overlay;
  bool Static = Overlay == ExecOverlay::StaticProgram ||
                (Overlay == ExecOverlay::NotExamined && Loader &&
                 isStaticProgram(Call.Arg[0]));
  if (!Loader || !Static)
    return hostExec(Call.Arg[0], Call.Arg[1], Call.Arg[2]);
  // argv becomes:
  // k42-exec [--exe <K42 path>] --argv0 <argv[0]> <path> <argv[1]> ...
  auto *Argv = reinterpret_cast<const long *>(Call.Arg[1]);
  long Count = 0;
  for (long Word = 0;; ++Count) {
    if (!Argv || UserMemory::copyIn(&Word, Argv + Count, sizeof(Word)) < 0)
      return Argv ? -EFAULT : passToHost(Call);
    if (!Word || Count > 1 << 20)
      break;
  }
  long Bytes = (Count + 7) * static_cast<long>(sizeof(long));
  long Map = hostCall(SYS_mmap, 0, Bytes, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (isError(Map))
    return Map;
  auto *NewArgv = reinterpret_cast<long *>(Map);
  long N = 0;
  NewArgv[N++] = reinterpret_cast<long>(Loader);
  if (K42Path) {
    static const char ExeFlag[] = "--exe";
    NewArgv[N++] = reinterpret_cast<long>(ExeFlag);
    NewArgv[N++] = reinterpret_cast<long>(K42Path);
  }
  if (Count > 0) {
    static const char Argv0Flag[] = "--argv0";
    NewArgv[N++] = reinterpret_cast<long>(Argv0Flag);
    NewArgv[N++] = Argv[0];
  }
  NewArgv[N++] = Call.Arg[0];
  for (long I = 1; I < Count; ++I)
    NewArgv[N++] = Argv[I];
  NewArgv[N] = 0;
  long Result = ExecOverlay::replace(reinterpret_cast<long>(Loader),
                                     reinterpret_cast<long>(Loader), Map,
                                     Call.Arg[2], Call.Trap, false, true);
  if (Result >= 0)
    Result = hostExec(reinterpret_cast<long>(Loader), Map, Call.Arg[2]);
  (void)hostCall(SYS_munmap, Map, Bytes);
  return Result;
}
} // namespace
