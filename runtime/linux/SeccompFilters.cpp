//===- runtime/linux/SeccompFilters.cpp - The program's filters -----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/SeccompFilters.h"

#include "k42/personality/ExecEnvironment.h"
#include "k42/personality/Handlers.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/OwnMemfd.h"
#include "k42/personality/ProcessBridge.h"
#include "k42/personality/RefusalLog.h"
#include "k42/personality/SeccompProgram.h"
#include "k42/personality/SigsysState.h"
#include "k42/personality/SyscallTable.h"
#include "k42/personality/TrapReflection.h"
#include "k42/personality/UserMemory.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <ucontext.h>

using namespace k42::personality;

std::atomic<bool> SeccompFilters::On{false};

namespace {

// From <linux/seccomp.h> of newer kernels than some build hosts have.
constexpr long FlagTsync = 1;
constexpr long FlagLog = 2;
constexpr long FlagSpecAllow = 4;
constexpr long FlagNewListener = 8;
constexpr long FlagTsyncEsrch = 16;
constexpr long FlagWaitKillableRecv = 32;
constexpr uint32_t RetKillProcess = 0x80000000U;
constexpr uint32_t RetKillThread = 0x00000000U;
constexpr uint32_t RetTrap = 0x00030000U;
constexpr uint32_t RetErrno = 0x00050000U;
constexpr uint32_t RetUserNotif = 0x7fc00000U;
constexpr uint32_t RetTrace = 0x7ff00000U;
constexpr uint32_t RetLog = 0x7ffc0000U;
constexpr uint32_t RetAllow = 0x7fff0000U;
constexpr uint32_t RetActionFull = 0xffff0000U;
constexpr uint32_t RetData = 0x0000ffffU;
/// Linux's MAX_INSNS_PER_PATH: what one chain of filters may add up to,
/// each filter counted with a penalty of four.
constexpr unsigned long MaxPathInstructions = (1UL << 18) / sizeof(sock_filter);
constexpr unsigned CapSysAdmin = CAP_SYS_ADMIN;
/// SIGSYS's si_code for a seccomp trap (glibc names it only for _GNU_SOURCE
/// builds of C).
constexpr int SysSeccomp = 1;

/// One installed filter, in memory of its own (never freed: Linux keeps a
/// task's filters for its life, and fork children share these pages'
/// copies).
struct Filter {
  const Filter *Older;
  uint32_t Length;
  /// SECCOMP_FILTER_FLAG_LOG, kept for the exec state.
  uint32_t Flags;
  const sock_filter *code() const {
    return reinterpret_cast<const sock_filter *>(this + 1);
  }
  sock_filter *code() { return reinterpret_cast<sock_filter *>(this + 1); }
};

/// The newest filter; the chain is read without a lock (a filter is
/// complete before it is linked, and never changes after).
std::atomic<const Filter *> Newest{nullptr};
/// SECCOMP_MODE_STRICT.
std::atomic<bool> Strict{false};
/// The newest filter installed on the host for an exec (one that failed,
/// and then another): older ones are there already.
const Filter *OnHost = nullptr;

/// One filter's record in the exec state, followed by its code.
struct StateRecord {
  uint32_t Length;
  uint32_t Flags;
};

size_t filterBytes(unsigned Length) {
  // The code, and after it the room SeccompProgram::check uses.
  return sizeof(Filter) + Length * sizeof(sock_filter) +
         Length * sizeof(uint16_t);
}

Filter *makeFilter(unsigned Length) {
  long Map =
      hostCall(SYS_mmap, 0, long(filterBytes(Length)), PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return isError(Map) ? nullptr : reinterpret_cast<Filter *>(Map);
}

void dropFilter(Filter *F) {
  (void)hostCall(SYS_munmap, reinterpret_cast<long>(F),
                 long(filterBytes(F->Length)));
}

/// Checks \p F's code as Linux would, with the room after it.
long checkFilter(Filter *F) {
  auto *Room = reinterpret_cast<uint16_t *>(F->code() + F->Length);
  return SeccompProgram(F->code(), F->Length).check(Room);
}

unsigned long chainInstructions() {
  unsigned long Total = 0;
  for (const Filter *F = Newest.load(std::memory_order_acquire); F;
       F = F->Older)
    Total += F->Length + 4;
  return Total;
}

/// Makes \p F (complete) the newest filter; two threads installing at
/// once both get theirs in, as under Linux's lock.
void link(Filter *F) {
  const Filter *Older = Newest.load(std::memory_order_acquire);
  do
    F->Older = Older;
  while (!Newest.compare_exchange_weak(Older, F, std::memory_order_acq_rel,
                                       std::memory_order_acquire));
  // Read-only from now on, as the kernel's copy is to the program.
  (void)hostCall(SYS_mprotect, reinterpret_cast<long>(F),
                 long(filterBytes(F->Length)), PROT_READ);
}

/// Whether this process has a thread besides the caller (the "Threads:"
/// line of /proc/self/status).
bool otherThreads() {
  long Fd = hostCall(SYS_openat, AT_FDCWD,
                     reinterpret_cast<long>("/proc/self/status"),
                     O_RDONLY | O_CLOEXEC);
  if (isError(Fd))
    return false;
  constexpr long Room = 8192;
  long Map = hostCall(SYS_mmap, 0, Room, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  bool Others = false;
  if (!isError(Map)) {
    char *Text = reinterpret_cast<char *>(Map);
    long Got = hostCall(SYS_read, Fd, Map, Room - 1);
    if (Got > 0) {
      Text[Got] = 0;
      if (const char *At = std::strstr(Text, "\nThreads:")) {
        At += 9;
        while (*At == ' ' || *At == '\t')
          ++At;
        Others = !(At[0] == '1' && (At[1] == '\n' || At[1] == 0));
      }
    }
    (void)hostCall(SYS_munmap, Map, Room);
  }
  (void)hostCall(SYS_close, Fd);
  return Others;
}

/// SECCOMP_RET_TRAP: the program's SIGSYS, as the kernel forces it (an
/// ignored or default SIGSYS kills), with the call's registers: the trapped
/// frame itself, whose rax the handler may set as the call's answer, or
/// for a call through a replaced wrapper or a patched site a frame made of
/// its number and arguments, whose rax is the answer.
long trap(SyscallCall &Call, const seccomp_data &Data, uint32_t Errno) {
  KernelSigaction Action = SigsysState::get();
  if (Action.Handler == reinterpret_cast<uint64_t>(SIG_DFL) ||
      Action.Handler == reinterpret_cast<uint64_t>(SIG_IGN))
    SigsysState::dieOf(SIGSYS);
  siginfo_t Info;
  std::memset(&Info, 0, sizeof(Info));
  Info.si_signo = SIGSYS;
  Info.si_errno = int(Errno);
  Info.si_code = SysSeccomp;
  Info.si_call_addr = reinterpret_cast<void *>(Data.instruction_pointer);
  Info.si_syscall = Data.nr;
  Info.si_arch = Data.arch;
  if (Call.Trap) {
    // Linux rolls the call back: rax holds its number again.
    Call.Trap->uc_mcontext.gregs[REG_RAX] = Call.Number;
    SigsysState::deliver(&Info, Call.Trap);
    Call.Redirected = true;
    return 0;
  }
  ucontext_t Frame;
  std::memset(&Frame, 0, sizeof(Frame));
  greg_t *R = Frame.uc_mcontext.gregs;
  R[REG_RAX] = Call.Number;
  R[REG_RDI] = Call.Arg[0];
  R[REG_RSI] = Call.Arg[1];
  R[REG_RDX] = Call.Arg[2];
  R[REG_R10] = Call.Arg[3];
  R[REG_R8] = Call.Arg[4];
  R[REG_R9] = Call.Arg[5];
  R[REG_RIP] = greg_t(Data.instruction_pointer);
  SigsysState::deliver(&Info, &Frame);
  return R[REG_RAX];
}

/// Linux lets a task filter itself only with no_new_privs set or
/// CAP_SYS_ADMIN in effect.
bool mayFilter() {
  return hostCall(SYS_prctl, PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1 ||
         hasCapability(CapSysAdmin);
}

long installFilter(long Flags, long Args) {
  if (Flags & (FlagNewListener | FlagWaitKillableRecv))
    return -EINVAL; // no listener here: a kernel without USER_NOTIF
  if (Flags & ~(FlagTsync | FlagLog | FlagSpecAllow | FlagTsyncEsrch))
    return -EINVAL;
  if (Strict.load(std::memory_order_acquire))
    return -EINVAL;
  sock_fprog Program;
  if (UserMemory::copyIn(&Program, reinterpret_cast<const void *>(Args),
                         sizeof(Program)) < 0)
    return -EFAULT;
  if (Program.len == 0 || Program.len > SeccompProgram::MaxLength)
    return -EINVAL;
  if (!mayFilter())
    return -EACCES;
  Filter *F = makeFilter(Program.len);
  if (!F)
    return -ENOMEM;
  F->Length = Program.len;
  F->Flags = uint32_t(Flags & FlagLog);
  if (UserMemory::copyIn(F->code(), Program.filter,
                         Program.len * sizeof(sock_filter)) < 0) {
    dropFilter(F);
    return -EFAULT;
  }
  if (long E = checkFilter(F); E < 0) {
    dropFilter(F);
    return E;
  }
  if (chainInstructions() + F->Length + 4 > MaxPathInstructions) {
    dropFilter(F);
    return -ENOMEM;
  }
  link(F);
  return 0;
}

long getActionAvail(long Flags, long Args) {
  if (Flags)
    return -EINVAL;
  uint32_t Action;
  if (UserMemory::copyIn(&Action, reinterpret_cast<const void *>(Args),
                         sizeof(Action)) < 0)
    return -EFAULT;
  switch (Action) {
  case RetKillProcess:
  case RetKillThread:
  case RetTrap:
  case RetErrno:
  case RetTrace:
  case RetLog:
  case RetAllow:
    return 0;
  default:
    return -EOPNOTSUPP; // SECCOMP_RET_USER_NOTIF included: no listener
  }
}

/// Whether the image a host exec of \p Path with \p Envp starts will run
/// the personality: its LD_PRELOAD names it and the program's set-id bits
/// change no id (the loader ignores LD_PRELOAD when they do, AT_SECURE).
bool keepsPersonality(long Path, long Envp) {
  struct stat Info;
  if (hostCall(SYS_stat, Path, reinterpret_cast<long>(&Info)) == 0 &&
      (((Info.st_mode & S_ISUID) &&
        long(Info.st_uid) != hostCall(SYS_geteuid)) ||
       ((Info.st_mode & S_ISGID) &&
        long(Info.st_gid) != hostCall(SYS_getegid))))
    return false;
  return ExecEnvironment::preloads(Envp);
}

/// Installs \p F on the host behind a prefix that lets every call from
/// this image's gate through: the personality's own calls until the exec,
/// and after a failed one.
void installOneOnHost(const Filter *F) {
  auto Begin = reinterpret_cast<uint64_t>(k42_gate_begin);
  auto End = reinterpret_cast<uint64_t>(k42_gate_end);
  bool Prefix = (Begin >> 32) == ((End - 1) >> 32);
  unsigned Extra = Prefix ? 6 : 0;
  unsigned Length = F->Length + Extra;
  if (Length > SeccompProgram::MaxLength)
    return;
  long Bytes = long(Length * sizeof(sock_filter));
  long Map = hostCall(SYS_mmap, 0, Bytes, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (isError(Map))
    return;
  auto *Code = reinterpret_cast<sock_filter *>(Map);
  constexpr uint32_t IpLow = offsetof(seccomp_data, instruction_pointer);
  if (Prefix) {
    Code[0] = BPF_STMT(BPF_LD | BPF_W | BPF_ABS, IpLow + 4);
    Code[1] = BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, uint32_t(Begin >> 32), 0, 4);
    Code[2] = BPF_STMT(BPF_LD | BPF_W | BPF_ABS, IpLow);
    Code[3] = BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, uint32_t(Begin), 0, 2);
    Code[4] = BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, uint32_t(End - 1), 1, 0);
    Code[5] = BPF_STMT(BPF_RET | BPF_K, RetAllow);
  }
  std::memcpy(Code + Extra, F->code(), F->Length * sizeof(sock_filter));
  sock_fprog Program{static_cast<unsigned short>(Length), Code};
  (void)hostCall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
                 (F->Flags & FlagLog) ? FlagLog : 0,
                 reinterpret_cast<long>(&Program));
  (void)hostCall(SYS_munmap, Map, Bytes);
}

} // namespace

bool SeccompFilters::screen(SyscallCall &Call, long &Result) {
  seccomp_data Data;
  Data.nr = int(Call.Number);
  Data.arch = AUDIT_ARCH_X86_64;
  Data.instruction_pointer =
      Call.Trap ? uint64_t(Call.Trap->uc_mcontext.gregs[REG_RIP]) : 0;
  for (int I = 0; I < 6; ++I)
    Data.args[I] = uint64_t(Call.Arg[I]);
  if (Strict.load(std::memory_order_acquire)) {
    switch (Data.nr) {
    case SYS_read:
    case SYS_write:
    case SYS_exit:
    case SYS_rt_sigreturn:
      return false;
    default:
      SigsysState::dieOf(SIGKILL);
    }
  }
  // Every filter runs; the verdict of highest precedence wins (the
  // newest's among equals), as in seccomp_run_filters.
  uint32_t Verdict = RetAllow;
  for (const Filter *F = Newest.load(std::memory_order_acquire); F;
       F = F->Older) {
    uint32_t V = SeccompProgram(F->code(), F->Length).run(Data);
    if (int32_t(V & RetActionFull) < int32_t(Verdict & RetActionFull))
      Verdict = V;
  }
  uint32_t Value = Verdict & RetData;
  switch (Verdict & RetActionFull) {
  case RetAllow:
  case RetLog:
    return false;
  case RetErrno:
    Result = -long(Value > 4095 ? 4095 : Value);
    return true;
  case RetTrap:
    Result = trap(Call, Data, Value);
    return true;
  case RetTrace:
  case RetUserNotif:
    // No tracer, no listener: the call fails with ENOSYS, as Linux's.
    Result = -ENOSYS;
    return true;
  case RetKillThread:
    if (otherThreads())
      for (;;)
        (void)hostCall(SYS_exit, 0);
    SigsysState::dieOf(SIGSYS);
  default:
    SigsysState::dieOf(SIGSYS);
  }
}

long SeccompFilters::seccomp(long Operation, long Flags, long Args) {
  switch (Operation) {
  case SECCOMP_SET_MODE_STRICT:
    if (Flags || Args)
      return -EINVAL;
    if (Newest.load(std::memory_order_acquire))
      return -EINVAL;
    Strict.store(true, std::memory_order_release);
    On.store(true, std::memory_order_release);
    return 0;
  case SECCOMP_SET_MODE_FILTER: {
    long Result = installFilter(Flags, Args);
    if (Result == 0)
      On.store(true, std::memory_order_release);
    return Result;
  }
  case SECCOMP_GET_ACTION_AVAIL:
    return getActionAvail(Flags, Args);
  case SECCOMP_GET_NOTIF_SIZES:
    return hostCall(SYS_seccomp, Operation, Flags, Args);
  default:
    return -EINVAL;
  }
}

long SeccompFilters::mode() {
  return Newest.load(std::memory_order_acquire) ? SECCOMP_MODE_FILTER : 0;
}

long SeccompFilters::setMode(long Mode, long Args) {
  if (Mode == SECCOMP_MODE_STRICT)
    return seccomp(SECCOMP_SET_MODE_STRICT, 0, 0);
  if (Mode == SECCOMP_MODE_FILTER)
    return seccomp(SECCOMP_SET_MODE_FILTER, 0, Args);
  return -EINVAL;
}

size_t SeccompFilters::stateBytes() {
  size_t Bytes = 0;
  for (const Filter *F = Newest.load(std::memory_order_acquire); F;
       F = F->Older)
    Bytes += sizeof(StateRecord) + F->Length * sizeof(sock_filter);
  return Bytes;
}

bool SeccompFilters::writeState(long Fd, long At) {
  // Newest first: readState links them back in the order read.
  for (const Filter *F = Newest.load(std::memory_order_acquire); F;
       F = F->Older) {
    StateRecord Record{F->Length, F->Flags};
    long Code = long(F->Length * sizeof(sock_filter));
    if (OwnMemfd::write(Fd, &Record, sizeof(Record), uint64_t(At)) !=
            long(sizeof(Record)) ||
        OwnMemfd::write(Fd, F->code(), size_t(Code),
                        uint64_t(At) + sizeof(Record)) != Code)
      return false;
    At += long(sizeof(Record)) + Code;
  }
  return true;
}

void SeccompFilters::readState(long Fd, long At, size_t Bytes) {
  long End = At + long(Bytes);
  Filter *First = nullptr;
  Filter *Last = nullptr;
  while (At < End) {
    StateRecord Record;
    if (hostCall(SYS_pread64, Fd, reinterpret_cast<long>(&Record),
                 sizeof(Record), At) != long(sizeof(Record)) ||
        Record.Length == 0 || Record.Length > SeccompProgram::MaxLength)
      break;
    Filter *F = makeFilter(Record.Length);
    if (!F)
      break;
    F->Length = Record.Length;
    F->Flags = Record.Flags;
    long Code = long(F->Length * sizeof(sock_filter));
    if (hostCall(SYS_pread64, Fd, reinterpret_cast<long>(F->code()), Code,
                 At + long(sizeof(Record))) != Code ||
        checkFilter(F) < 0) {
      dropFilter(F);
      break;
    }
    At += long(sizeof(Record)) + Code;
    F->Older = nullptr;
    if (Last)
      Last->Older = F;
    else
      First = F;
    Last = F;
  }
  for (const Filter *F = First; F; F = F->Older)
    (void)hostCall(SYS_mprotect, reinterpret_cast<long>(F),
                   long(filterBytes(F->Length)), PROT_READ);
  if (At != End) {
    // A filter lost would let calls through that Linux would stop: the
    // image must not run without it.
    static const char Line[] =
        "k42-linux: the seccomp filters handed across exec could not be "
        "read\n";
    (void)hostCall(SYS_write, 2, reinterpret_cast<long>(Line),
                   sizeof(Line) - 1);
    (void)hostCall(SYS_exit_group, 127);
  }
  if (First) {
    Newest.store(First, std::memory_order_release);
    On.store(true, std::memory_order_release);
  }
}

bool SeccompFilters::leavingPersonality(long Path, long Envp) {
  return on() && !keepsPersonality(Path, Envp);
}

void SeccompFilters::installOnHost() {
  const Filter *Top = Newest.load(std::memory_order_acquire);
  if (Top == OnHost)
    return;
  // Those not there yet, oldest first, so the host's chain is in the same
  // order.
  unsigned Count = 0;
  for (const Filter *F = Top; F != OnHost; F = F->Older)
    ++Count;
  for (unsigned Want = Count; Want-- > 0;) {
    const Filter *F = Top;
    for (unsigned I = 0; I < Want; ++I)
      F = F->Older;
    installOneOnHost(F);
  }
  OnHost = Top;
}

long sys::seccomp(SyscallCall &Call) {
  return SeccompFilters::seccomp(Call.Arg[0], Call.Arg[1], Call.Arg[2]);
}

long sys::prctl(SyscallCall &Call) {
  switch (Call.Arg[0]) {
  case PR_GET_SECCOMP:
    return SeccompFilters::mode();
  case PR_SET_SECCOMP:
    return SeccompFilters::setMode(Call.Arg[1], Call.Arg[2]);
  case PR_SET_CHILD_SUBREAPER: {
    // The host reaps for it; the process server's tree follows, so an
    // orphan's getppid names it (not init).
    long Done = passToHost(Call);
    if (Done == 0)
      (void)ProcessBridge::setSubreaper(Call.Arg[1] != 0);
    return Done;
  }
  case TrapReflection::NestedProbe:
    // An emulator's guest asking (its library's start): its calls are
    // this personality's already.
    return TrapReflection::NestedAnswer;
  case PR_SET_SYSCALL_USER_DISPATCH:
    // The thread's dispatch is the personality's: a program's own would
    // take it over, and the personality's next host call would trap as the
    // program's. Linux's answer where there is none to have. Switching it
    // off is the program's to do (a benchmark's native rounds).
    if (Call.Arg[1] == PR_SYS_DISPATCH_OFF)
      return passToHost(Call);
    RefusalLog::once(SYS_prctl, "prctl PR_SET_SYSCALL_USER_DISPATCH", EINVAL);
    return -EINVAL;
  default:
    return passToHost(Call);
  }
}
