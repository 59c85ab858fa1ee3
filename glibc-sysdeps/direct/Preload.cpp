//===- glibc-sysdeps/direct/Preload.cpp - The personality library --------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// libk42linux.so, loaded into a dynamic program with LD_PRELOAD (K42's
/// exec.so, in the shape the host allows): it arms trap reflection before
/// the program's own constructors run, and replaces glibc's wrappers for
/// the calls below, so they branch to the transfer table with no trap. What
/// it does not replace (glibc's internal calls, inline `syscall`
/// instructions) is trapped and reaches the same table.
///
/// The wrappers keep glibc's contract: -1 and errno on failure, and those
/// of glibc's cancellation points are cancellation points (cancellable()).
///
//===----------------------------------------------------------------------===//

#include "k42/personality/CallStats.h"
#include "k42/personality/DirectBranch.h"
#include "k42/personality/ExecEnvironment.h"
#include "k42/personality/ExecOverlay.h"
#include "k42/personality/FileDispatch.h"
#include "k42/personality/FileState.h"
#include "k42/personality/FsBridge.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/LibraryExport.h"
#include "k42/personality/ProcessBridge.h"
#include "k42/personality/ProcessState.h"
#include "k42/personality/ProgramFds.h"
#include "k42/personality/RefCount.h"
#include "k42/personality/RefusalLog.h"
#include "k42/personality/SitePatch.h"
#include "k42/personality/TraceStops.h"
#include "k42/personality/TrapReflection.h"
#include "k42/personality/VdsoSymbol.h"

#include <atomic>
#include <cerrno>
#include <cstdarg>
#include <cstdlib>
#include <cstring>
#include <type_traits>

#include <dlfcn.h>
#include <link.h>
#include <pthread.h>

#include <sys/syscall.h>
#include <sys/types.h>
#include <time.h>

using namespace k42::personality;

namespace {

/// One argument register's worth of \p Value.
template <typename T> long word(T Value) {
  if constexpr (std::is_pointer_v<T>)
    return reinterpret_cast<long>(Value);
  else
    return static_cast<long>(Value);
}

/// Whether this image runs as an emulator's guest on a personality that is
/// already there (TrapReflection::nested): then this library stays out of
/// the way, and its wrappers make plain system calls, which the emulator
/// makes for the guest and its personality serves.
bool Nested = false;

/// A direct call with glibc's error convention.
template <typename... Args> long call(long Number, Args... A) {
  long Result = __builtin_expect(Nested, false)
                    ? hostCall(Number, word(A)...)
                    : directCall(Number, word(A)...);
  if (isError(Result)) {
    errno = static_cast<int>(-Result);
    return -1;
  }
  return Result;
}

/// call() for the wrappers of glibc's cancellation points (read, write,
/// pread, pwrite, close, fsync): as glibc's own (LIBC_CANCEL_ASYNC),
/// asynchronous cancellation is on for the call, so a thread blocked in
/// one (a pipe's read) is cancelled where pthread_cancel finds it, and one
/// already cancelled is at its start. Unwinding then passes through the
/// personality's frames (the gate's restorer is glibc's, in bytes). Not
/// while the process has one thread, as glibc's SINGLE_THREAD_P: the two
/// calls cost a 4 KiB pread a fifth more.
template <typename... Args> long cancellable(long Number, Args... A) {
  if (!RefCount::threaded())
    return call(Number, A...);
  int Old = PTHREAD_CANCEL_DEFERRED;
  (void)pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, &Old);
  long Result = call(Number, A...);
  // errno is left alone: the call's.
  (void)pthread_setcanceltype(Old, nullptr);
  return Result;
}

void say(const char *Text) {
  long Length = 0;
  while (Text[Length])
    ++Length;
  (void)hostCall(SYS_write, 2, reinterpret_cast<long>(Text), Length);
}

/// Whether environment variable \p Name is "1".
bool isOn(const char *Name) {
  const char *Value = std::getenv(Name);
  return Value && std::strcmp(Value, "1") == 0;
}

/// What SitePatch needs to know of libc.so.6.
struct LibcImage {
  /// Its executable segment.
  uintptr_t Text[2] = {0, 0};
  /// Its GNU build id (IdBytes 0: none found).
  const uint8_t *Id = nullptr;
  size_t IdBytes = 0;
};

/// The GNU build id among the notes of segment \p P of \p Info, if any.
void findBuildId(const dl_phdr_info *Info, const ElfW(Phdr) & P,
                 LibcImage &Libc) {
  const auto *At =
      reinterpret_cast<const uint8_t *>(Info->dlpi_addr + P.p_vaddr);
  const uint8_t *End = At + P.p_memsz;
  auto Align = [](size_t N) { return (N + 3) & ~size_t(3); };
  while (At + sizeof(ElfW(Nhdr)) <= End) {
    ElfW(Nhdr) Note;
    std::memcpy(&Note, At, sizeof(Note));
    const uint8_t *Name = At + sizeof(Note);
    const uint8_t *Desc = Name + Align(Note.n_namesz);
    if (Desc + Note.n_descsz > End)
      return;
    if (Note.n_type == NT_GNU_BUILD_ID && Note.n_namesz == 4 &&
        std::memcmp(Name, "GNU", 4) == 0) {
      Libc.Id = Desc;
      Libc.IdBytes = Note.n_descsz;
      return;
    }
    At = Desc + Align(Note.n_descsz);
  }
}

/// Finds libc.so.6's executable segment and build id for SitePatch.
int findLibc(dl_phdr_info *Info, size_t, void *Out) {
  const char *Name = Info->dlpi_name;
  const char *Base = Name ? std::strrchr(Name, '/') : nullptr;
  if (!Name || std::strcmp(Base ? Base + 1 : Name, "libc.so.6") != 0)
    return 0;
  auto &Libc = *static_cast<LibcImage *>(Out);
  for (int I = 0; I < Info->dlpi_phnum; ++I) {
    const ElfW(Phdr) &P = Info->dlpi_phdr[I];
    if (P.p_type == PT_LOAD && (P.p_flags & PF_X) && !Libc.Text[1]) {
      Libc.Text[0] = Info->dlpi_addr + P.p_vaddr;
      Libc.Text[1] = Libc.Text[0] + P.p_memsz;
    } else if (P.p_type == PT_NOTE && !Libc.IdBytes) {
      findBuildId(Info, P, Libc);
    }
  }
  return Libc.Text[1] != 0;
}

/// Before the program's constructors (priority 101 is the first a program
/// may use), so they are trapped too. (k42-exec, which arms itself with its
/// own copy of the personality when it loads a static program, is
/// static-pie: LD_PRELOAD never brings this library into it.)
[[gnu::constructor(101)]] void startPersonality(int, char **, char **Envp) {
  // Linked DF_1_INITFIRST (CMakeLists.txt), this runs before libc's own
  // initialisation, which sets environ: from ld.so's arguments, the same
  // value libc sets next.
  if (!environ)
    environ = Envp;
  if (TrapReflection::nested()) {
    Nested = true;
    return;
  }
  // The descriptors from 1000 up the program had before it came into K42
  // are its own (k42-exec names them).
  ProgramFds::inherit(environ);
  // The K42 libraries the exec handed to ld.so are loaded: the program
  // gets its LD_LIBRARY_PATH back.
  LibraryExport::start(environ);
  // Before anything the program runs can change them.
  ExecEnvironment::start(environ);
  RefusalLog::configure(std::getenv("K42_LINUX_LOG"));
  ExecOverlay::configure(std::getenv("K42_HOST_EXEC"),
                         std::getenv("K42_LINUX_LOG"),
                         std::getenv("K42_EXEC_MAPS_TEXT"));
  ProcessState::start(std::getenv("K42_EXEC"));
  FsBridge::configure(std::getenv("K42_KERNEL_SOCKET"));
  FsBridge::addHostPaths(std::getenv("K42_HOST_PATHS"));
  ProcessBridge::configure(std::getenv("K42_KERNEL_SOCKET"));
  // The program's one thread is this one: glibc's trapped sites may be
  // patched into branches from the first trap on (K42_NO_SITE_PATCH=1: all
  // of glibc's own calls keep trapping), and those the image that exec'd
  // this one had patched are patched now (FileState::start reads them).
  LibcImage Libc;
  if (!isOn("K42_NO_SITE_PATCH") && dl_iterate_phdr(findLibc, &Libc)) {
    SitePatch::configure(Libc.Text[0], Libc.Text[1]);
    SitePatch::identify(Libc.Id, Libc.IdBytes);
    // read's sites are the starts of glibc's two read functions: the next
    // definitions after this library's own read (libc's, unless another
    // preloaded library wraps read too, whose bytes SitePatch then does
    // not take). RTLD_NEXT costs a process's start 3-5 us where a
    // dlopen of libc.so.6, two lookups and a dlclose cost 13-16.
    SitePatch::readEntries(
        reinterpret_cast<uintptr_t>(dlsym(RTLD_NEXT, "read")),
        reinterpret_cast<uintptr_t>(
            dlvsym(RTLD_NEXT, "__read_nocancel", "GLIBC_PRIVATE")));
  }
  FileState::start();
  if (isOn("K42_LINUX_TRAP_STATS"))
    TrapReflection::countAtExit();
  CallStats::configure(std::getenv("K42_LINUX_CALL_STATS"));
  TraceStops::configure(std::getenv("K42_TRACE_PERSONALITY"));
  if (TrapReflection::install() < 0 || TrapReflection::armThread() < 0)
    say("k42-linux: no Syscall User Dispatch here; only calls through "
        "glibc's replaced wrappers reach K42\n");
}

constexpr size_t PathBytes = FileDispatch::PathBytes;

/// libc's dlopen (dlopen@GLIBC_2.34, or the only one), found at first use:
/// a constructor of another library may call it before this one's runs.
using DlopenFn = void *(*)(const char *, int);
DlopenFn realDlopen() {
  static DlopenFn Real = nullptr;
  if (!Real) {
    Real =
        reinterpret_cast<DlopenFn>(dlvsym(RTLD_NEXT, "dlopen", "GLIBC_2.34"));
    if (!Real)
      Real = reinterpret_cast<DlopenFn>(dlsym(RTLD_NEXT, "dlopen"));
  }
  return Real;
}

/// Where string-table offset \p Tag of \p Map's dynamic section points,
/// or null: ld.so relocates the dynamic section's addresses in place for
/// an object loaded away from 0, not for every object.
const char *dynamicString(const link_map *Map, ElfW(Sxword) Tag) {
  uintptr_t StrTab = 0;
  ElfW(Xword) Offset = 0;
  bool Has = false;
  for (const ElfW(Dyn) *D = Map->l_ld; D && D->d_tag != DT_NULL; ++D) {
    if (D->d_tag == DT_STRTAB)
      StrTab = D->d_un.d_ptr;
    else if (D->d_tag == Tag) {
      Offset = D->d_un.d_val;
      Has = true;
    }
  }
  if (!Has || !StrTab)
    return nullptr;
  if (StrTab < Map->l_addr)
    StrTab += Map->l_addr;
  return reinterpret_cast<const char *>(StrTab + Offset);
}

/// The folder of \p Map's object into \p Out (PathBytes); false if not
/// known: the program's by /proc/self/exe (the personality's answer: a
/// K42 program's K42 path, where ld.so read the host's name for its copy),
/// a library's by its name, but for one an exec handed on.
bool originOf(const link_map *Map, bool Program, char *Out) {
  long Length;
  if (Program) {
    Length = readlink("/proc/self/exe", Out, PathBytes - 1);
    if (Length <= 0)
      return false;
  } else {
    if (!Map->l_name || Map->l_name[0] != '/' ||
        LibraryExport::handedOn(Map->l_name))
      return false;
    Length = long(std::strlen(Map->l_name));
    if (Length >= long(PathBytes))
      return false;
    std::memcpy(Out, Map->l_name, size_t(Length));
  }
  Out[Length] = 0;
  char *Slash = std::strrchr(Out, '/');
  if (!Slash)
    return false;
  Slash[Slash == Out ? 1 : 0] = 0;
  return true;
}

/// A dlopen of a bare name from \p Address: the K42 file ld.so's search
/// would have loaded, had it seen K42's folders at start, into \p Out.
bool k42Library(const char *Name, const void *Address, char *Out) {
  Dl_info Info;
  link_map *Map = nullptr;
  if (!dladdr1(Address, &Info, reinterpret_cast<void **>(&Map),
               RTLD_DL_LINKMAP) ||
      !Map)
    return false;
  const link_map *Program = Map;
  while (Program->l_prev)
    Program = Program->l_prev;
  char Origin[PathBytes], ProgramOrigin[PathBytes];
  LibraryExport::DlopenCaller C;
  C.RunPath = dynamicString(Map, DT_RUNPATH);
  if (!C.RunPath)
    C.RPath = dynamicString(Map, DT_RPATH);
  if (Map != Program && !dynamicString(Program, DT_RUNPATH))
    C.ProgramRPath = dynamicString(Program, DT_RPATH);
  if ((C.RunPath || C.RPath) && originOf(Map, Map == Program, Origin))
    C.Origin = Origin;
  if (C.ProgramRPath && originOf(Program, true, ProgramOrigin))
    C.ProgramOrigin = ProgramOrigin;
  return LibraryExport::dlopenPath(Name, C, Out);
}

} // namespace

#define K42_EXPORT_WRAPPER extern "C" [[gnu::visibility("default")]]

/// dlopen of a bare name searches the folders ld.so took at start: K42's
/// were missing to it then (its start runs before the personality), so
/// a library in K42's files that LD_LIBRARY_PATH or the caller's
/// DT_RUNPATH/DT_RPATH names is opened here by its path. Anything else,
/// a name already loaded included, is libc's dlopen from the caller's own
/// frame (a tail call: ld.so takes the caller's search lists from it).
K42_EXPORT_WRAPPER void *dlopen(const char *File, int Mode) {
  DlopenFn Real = realDlopen();
  if (!Nested && File && *File && !std::strchr(File, '/') &&
      !(Mode & RTLD_NOLOAD)) {
    if (void *Loaded = Real(File, Mode | RTLD_NOLOAD))
      return Loaded;
    char Path[PathBytes];
    if (k42Library(File, __builtin_return_address(0), Path))
      return Real(Path, Mode);
  }
  [[clang::musttail]] return Real(File, Mode);
}

K42_EXPORT_WRAPPER long syscall(long Number, ...) {
  va_list Args;
  va_start(Args, Number);
  long A[6];
  for (long &Arg : A)
    Arg = va_arg(Args, long);
  va_end(Args);
  return call(Number, A[0], A[1], A[2], A[3], A[4], A[5]);
}

K42_EXPORT_WRAPPER pid_t getpid() { return call(SYS_getpid); }
K42_EXPORT_WRAPPER pid_t getppid() { return call(SYS_getppid); }
K42_EXPORT_WRAPPER pid_t gettid() { return call(SYS_gettid); }
K42_EXPORT_WRAPPER uid_t getuid() { return call(SYS_getuid); }
K42_EXPORT_WRAPPER uid_t geteuid() { return call(SYS_geteuid); }
K42_EXPORT_WRAPPER gid_t getgid() { return call(SYS_getgid); }
K42_EXPORT_WRAPPER gid_t getegid() { return call(SYS_getegid); }
K42_EXPORT_WRAPPER pid_t getpgrp() { return call(SYS_getpgrp); }
K42_EXPORT_WRAPPER mode_t umask(mode_t Mask) { return call(SYS_umask, Mask); }

K42_EXPORT_WRAPPER ssize_t read(int Fd, void *Buffer, size_t Count) {
  return cancellable(SYS_read, Fd, Buffer, Count);
}
K42_EXPORT_WRAPPER ssize_t write(int Fd, const void *Buffer, size_t Count) {
  return cancellable(SYS_write, Fd, Buffer, Count);
}
K42_EXPORT_WRAPPER ssize_t pread64(int Fd, void *Buffer, size_t Count,
                                   off_t Offset) {
  return cancellable(SYS_pread64, Fd, Buffer, Count, Offset);
}
K42_EXPORT_WRAPPER ssize_t pread(int Fd, void *Buffer, size_t Count,
                                 off_t Offset) {
  return cancellable(SYS_pread64, Fd, Buffer, Count, Offset);
}
K42_EXPORT_WRAPPER ssize_t pwrite64(int Fd, const void *Buffer, size_t Count,
                                    off_t Offset) {
  return cancellable(SYS_pwrite64, Fd, Buffer, Count, Offset);
}
K42_EXPORT_WRAPPER ssize_t pwrite(int Fd, const void *Buffer, size_t Count,
                                  off_t Offset) {
  return cancellable(SYS_pwrite64, Fd, Buffer, Count, Offset);
}
K42_EXPORT_WRAPPER off_t lseek(int Fd, off_t Offset, int Whence) {
  return call(SYS_lseek, Fd, Offset, Whence);
}
K42_EXPORT_WRAPPER off_t lseek64(int Fd, off_t Offset, int Whence) {
  return call(SYS_lseek, Fd, Offset, Whence);
}
namespace {
using ClockFn = int (*)(clockid_t, timespec *);

/// Whether the vDSO answers \p Clock itself (the kernel's vDSO clocks);
/// any other, a CPU-time clock above all, it asks the kernel for from a
/// `syscall` of its own, which lies outside the personality's gate and
/// traps: 2.1 us a call against 0.4 natively (clock(), Python's
/// process_time, profilers).
bool vdsoAnswers(clockid_t Clock) {
  switch (Clock) {
  case CLOCK_REALTIME:
  case CLOCK_MONOTONIC:
  case CLOCK_MONOTONIC_RAW:
  case CLOCK_REALTIME_COARSE:
  case CLOCK_MONOTONIC_COARSE:
  case CLOCK_BOOTTIME:
  case CLOCK_TAI:
    return true;
  default:
    return false;
  }
}

/// The vDSO's function \p Name, looked up once into \p Slot (races only
/// look it up twice); null if there is none.
ClockFn vdsoFunction(std::atomic<ClockFn> &Slot, std::atomic<bool> &Looked,
                     const char *Name) {
  if (!Looked.load(std::memory_order_acquire)) {
    Slot.store(reinterpret_cast<ClockFn>(VdsoSymbol::find(Name)),
               std::memory_order_relaxed);
    Looked.store(true, std::memory_order_release);
  }
  return Slot.load(std::memory_order_relaxed);
}

std::atomic<ClockFn> VdsoGettime{nullptr}, VdsoGetres{nullptr};
std::atomic<bool> GettimeLooked{false}, GetresLooked{false};

/// A clock call: the vDSO's \p Vdso where it answers \p Clock, else the
/// call \p Number by direct branch; libc's result and errno.
int clockCall(long Number, ClockFn Vdso, clockid_t Clock, timespec *Out) {
  if (Vdso && vdsoAnswers(Clock)) {
    int Result = Vdso(Clock, Out);
    if (Result == 0)
      return 0;
    errno = -Result;
    return -1;
  }
  return int(call(Number, Clock, Out));
}
} // namespace

K42_EXPORT_WRAPPER int clock_gettime(clockid_t Clock, timespec *Time) {
  return clockCall(
      SYS_clock_gettime,
      vdsoFunction(VdsoGettime, GettimeLooked, "__vdso_clock_gettime"), Clock,
      Time);
}
K42_EXPORT_WRAPPER int clock_getres(clockid_t Clock, timespec *Resolution) {
  return clockCall(
      SYS_clock_getres,
      vdsoFunction(VdsoGetres, GetresLooked, "__vdso_clock_getres"), Clock,
      Resolution);
}
/// glibc's clock(): the process's CPU time in CLOCKS_PER_SEC units.
K42_EXPORT_WRAPPER clock_t clock() {
  timespec Time;
  if (call(SYS_clock_gettime, CLOCK_PROCESS_CPUTIME_ID, &Time) != 0)
    return clock_t(-1);
  return clock_t(Time.tv_sec * CLOCKS_PER_SEC +
                 Time.tv_nsec / (1'000'000'000 / CLOCKS_PER_SEC));
}

K42_EXPORT_WRAPPER int close(int Fd) { return cancellable(SYS_close, Fd); }
K42_EXPORT_WRAPPER int dup(int Fd) { return call(SYS_dup, Fd); }
K42_EXPORT_WRAPPER int dup2(int Fd, int To) { return call(SYS_dup2, Fd, To); }
K42_EXPORT_WRAPPER int fsync(int Fd) { return cancellable(SYS_fsync, Fd); }
K42_EXPORT_WRAPPER int sched_yield() { return call(SYS_sched_yield); }
