//===- runtime/linux/HandlerStack.cpp - Room for a call's frames ----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/HandlerStack.h"

#include "k42/personality/HostCall.h"

#include <atomic>
#include <csignal>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>

using namespace k42::personality;

/// The process's initial stack pointer, as glibc's loader recorded it.
[[gnu::weak]] extern void *__libc_stack_end;

uintptr_t HandlerStack::MainLow = 0;
uintptr_t HandlerStack::MainSpan = 0;
uintptr_t HandlerStack::FastSpan = 0;
bool HandlerStack::AltStacks = false;

namespace {

/// The calls whose handlers take little stack (at most 16 KiB below the
/// caller's frame, measured by test/linux/Inputs/HandlerDepth.c): the
/// descriptor calls that move bytes or flags, the process and signal
/// calls, and every call that blocks for long, so a thread waiting in one
/// waits on its own stack. Calls with a path, and getdents, are not among
/// them.
constexpr long LightCalls[] = {
    SYS_read,
    SYS_write,
    SYS_close,
    SYS_fstat,
    SYS_poll,
    SYS_lseek,
    SYS_mmap,
    SYS_rt_sigaction,
    SYS_rt_sigprocmask,
    SYS_rt_sigreturn,
    SYS_ioctl,
    SYS_pread64,
    SYS_pwrite64,
    SYS_readv,
    SYS_writev,
    SYS_pipe,
    SYS_select,
    SYS_dup,
    SYS_dup2,
    SYS_pause,
    SYS_getpid,
    SYS_accept,
    SYS_sendto,
    SYS_recvfrom,
    SYS_sendmsg,
    SYS_recvmsg,
    SYS_getsockname,
    SYS_getpeername,
    SYS_shutdown,
    SYS_listen,
    SYS_setsockopt,
    SYS_getsockopt,
    SYS_clone,
    SYS_fork,
    SYS_vfork,
    SYS_wait4,
    SYS_kill,
    SYS_fcntl,
    SYS_flock,
    SYS_fsync,
    SYS_fdatasync,
    SYS_ftruncate,
    SYS_fchmod,
    SYS_fchown,
    SYS_umask,
    SYS_getrlimit,
    SYS_ptrace,
    SYS_getuid,
    SYS_getgid,
    SYS_setuid,
    SYS_setgid,
    SYS_geteuid,
    SYS_getegid,
    SYS_setpgid,
    SYS_getppid,
    SYS_getpgrp,
    SYS_setsid,
    SYS_setreuid,
    SYS_setregid,
    SYS_getgroups,
    SYS_setgroups,
    SYS_setresuid,
    SYS_getresuid,
    SYS_setresgid,
    SYS_getresgid,
    SYS_getpgid,
    SYS_getsid,
    SYS_rt_sigpending,
    SYS_rt_sigtimedwait,
    SYS_rt_sigqueueinfo,
    SYS_rt_sigsuspend,
    SYS_sigaltstack,
    SYS_setrlimit,
    SYS_gettid,
    SYS_tkill,
    SYS_exit_group,
    SYS_epoll_wait,
    SYS_epoll_ctl,
    SYS_tgkill,
    SYS_waitid,
    SYS_pselect6,
    SYS_ppoll,
    SYS_epoll_pwait,
    SYS_fallocate,
    SYS_accept4,
    SYS_dup3,
    SYS_pipe2,
    SYS_preadv,
    SYS_pwritev,
    SYS_rt_tgsigqueueinfo,
    SYS_prlimit64,
    SYS_preadv2,
    SYS_pwritev2,
    SYS_pidfd_send_signal,
    SYS_close_range,
    SYS_epoll_pwait2,
    K42FirstPrivate, // k42_null
};

enum class Disp { K42, Host, NoSys };

constexpr std::array<uint64_t, (TableSize + 63) / 64> lightBits() {
  std::array<uint64_t, (TableSize + 63) / 64> Bits{};
  auto Set = [&Bits](long Number) {
    Bits[size_t(Number) / 64] |= uint64_t(1) << (Number % 64);
  };
  // The host's calls and the refused ones take no stack to speak of.
#define K42_DISP_K42 Disp::K42
#define K42_DISP_HOST Disp::Host
#define K42_DISP_NOSYS(Errno) Disp::NoSys
#define K42_SYSCALL(Number, Name, Args, D)                                     \
  if (K42_DISP_##D != Disp::K42)                                               \
    Set(Number);
#include "syscalls.def"
#undef K42_SYSCALL
#undef K42_DISP_K42
#undef K42_DISP_HOST
#undef K42_DISP_NOSYS
  for (long Number : LightCalls)
    Set(Number);
  return Bits;
}

/// The pool: one reservation of Slots stacks, each a guard page and
/// StackBytes above it, made at its first use; a slot's stack is made
/// writable at the slot's first use.
constexpr size_t Guard = 4096;
constexpr size_t SlotBytes = HandlerStack::StackBytes + Guard;
constexpr size_t PoolBytes = SlotBytes * HandlerStack::Slots;
/// A pool stack's top holds the caller's frame (the link) and a word of
/// padding, so the stack pointer starts 16-aligned below them.
constexpr size_t LinkBytes = 16;
/// How far below the link a program's handler starts (runHandler): past
/// deep()'s frame and k42_call_on_stack's.
constexpr uintptr_t HandlerGap = 1024;

std::atomic<uintptr_t> PoolBase{0};
std::atomic<uint8_t> Busy[HandlerStack::Slots];
/// Whether a slot's stack is writable: set by the slot's holder only.
bool Ready[HandlerStack::Slots];

uintptr_t pool() {
  uintptr_t Base = PoolBase.load(std::memory_order_acquire);
  if (Base)
    return Base;
  long Map = hostCall(SYS_mmap, 0, long(PoolBytes), PROT_NONE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (isError(Map))
    return 0;
  uintptr_t Expected = 0;
  if (PoolBase.compare_exchange_strong(Expected, uintptr_t(Map),
                                       std::memory_order_acq_rel))
    return uintptr_t(Map);
  // Another thread's reservation came first.
  (void)hostCall(SYS_munmap, Map, long(PoolBytes));
  return Expected;
}

/// The slot \p Frame lies in, or -1.
int slotOf(uintptr_t Frame) {
  uintptr_t Base = PoolBase.load(std::memory_order_acquire);
  if (!Base || Frame - Base >= PoolBytes)
    return -1;
  return int((Frame - Base) / SlotBytes);
}

/// A free slot, writable, or -1 when none is (all busy, or no memory).
int acquire(uintptr_t Here) {
  uintptr_t Base = pool();
  if (!Base)
    return -1;
  // Threads start looking at different slots (their stacks differ).
  int First = int((Here >> 16) % HandlerStack::Slots);
  for (int I = 0; I < HandlerStack::Slots; ++I) {
    int S = (First + I) % HandlerStack::Slots;
    if (Busy[S].load(std::memory_order_relaxed) ||
        Busy[S].exchange(1, std::memory_order_acquire))
      continue;
    if (!Ready[S]) {
      if (hostCall(SYS_mprotect, long(Base + S * SlotBytes + Guard),
                   long(HandlerStack::StackBytes),
                   PROT_READ | PROT_WRITE) != 0) {
        Busy[S].store(0, std::memory_order_release);
        return -1;
      }
      Ready[S] = true;
    }
    return S;
  }
  return -1;
}

uintptr_t topOf(int Slot) {
  return PoolBase.load(std::memory_order_relaxed) + (Slot + 1) * SlotBytes;
}

/// What runs on the pool stack.
struct Work {
  long (*Fn)(void *);
  void *Arg;
  /// On an alternate stack: the pool stack's low end, made the thread's
  /// alternate stack while the call runs, and the mask to run it with
  /// (every signal is blocked across the switches).
  uintptr_t AltLow;
  uint64_t Mask;
};

constexpr uint64_t AllSignals = ~uint64_t(0);
/// The kernel's SS_AUTODISARM, which glibc's headers do not name.
constexpr int AutoDisarm = int(1U << 31);

long runOnPool(void *Arg) {
  auto *W = static_cast<Work *>(Arg);
  if (W->AltLow) {
    stack_t Pool{};
    Pool.ss_sp = reinterpret_cast<void *>(W->AltLow);
    Pool.ss_size = HandlerStack::StackBytes;
    (void)hostCall(SYS_sigaltstack, reinterpret_cast<long>(&Pool), 0);
    (void)hostCall(SYS_rt_sigprocmask, SIG_SETMASK,
                   reinterpret_cast<long>(&W->Mask), 0, 8);
  }
  long Result = W->Fn(W->Arg);
  if (W->AltLow)
    (void)hostCall(SYS_rt_sigprocmask, SIG_SETMASK,
                   reinterpret_cast<long>(&AllSignals), 0, 8);
  return Result;
}

} // namespace

constinit const std::array<uint64_t, (TableSize + 63) / 64>
    HandlerStack::Light = lightBits();

void HandlerStack::start() {
  auto Here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  // Above the initial stack pointer lie only argv, envp and auxv.
  uintptr_t Top = &__libc_stack_end && __libc_stack_end
                      ? reinterpret_cast<uintptr_t>(__libc_stack_end)
                      : Here + CallBytes;
  if (Top < Here)
    Top = Here + CallBytes;
  rlimit Limit{};
  uintptr_t Low = 0;
  if (hostCall(SYS_prlimit64, 0, RLIMIT_STACK, 0,
               reinterpret_cast<long>(&Limit)) == 0 &&
      Limit.rlim_cur != RLIM_INFINITY && Limit.rlim_cur < Top)
    Low = Top - Limit.rlim_cur;
  MainLow = Low + CallBytes;
  MainSpan = Top > MainLow ? Top - MainLow : 0;
  FastSpan = AltStacks ? 0 : MainSpan;
}

void HandlerStack::forked() {
  // The frames of this thread's calls under way, pool stack by pool
  // stack; every other busy slot was another thread's.
  bool Mine[Slots] = {};
  auto Frame = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  uintptr_t Top, Caller;
  while (linkOf(Frame, Top, Caller)) {
    Mine[slotOf(Frame)] = true;
    Frame = Caller;
  }
  for (int S = 0; S < Slots; ++S)
    if (!Mine[S])
      Busy[S].store(0, std::memory_order_relaxed);
}

void HandlerStack::alternateStackSet() {
  AltStacks = true;
  FastSpan = 0;
}

bool HandlerStack::onPool() {
  return slotOf(reinterpret_cast<uintptr_t>(__builtin_frame_address(0))) >= 0;
}

bool HandlerStack::linkOf(uintptr_t Frame, uintptr_t &Top, uintptr_t &Caller) {
  int S = slotOf(Frame);
  if (S < 0)
    return false;
  Top = topOf(S) - LinkBytes;
  Caller = *reinterpret_cast<const uintptr_t *>(Top);
  return true;
}

void HandlerStack::runHandler(void (*Fn)(void *), void *Arg) {
  auto Here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  uintptr_t Top, Caller;
  if (!linkOf(Here, Top, Caller)) {
    Fn(Arg);
    return;
  }
  // Below the frame deep() was called from, past deep()'s own frame and
  // k42_call_on_stack's (a few hundred bytes), which are still in use.
  struct Pair {
    void (*Fn)(void *);
    void *Arg;
  } P{Fn, Arg};
  uintptr_t Start = (Caller - HandlerGap) & ~uintptr_t(15);
  (void)k42_call_on_stack(
      [](void *A) -> long {
        auto *P = static_cast<Pair *>(A);
        P->Fn(P->Arg);
        return 0;
      },
      &P, reinterpret_cast<void *>(Start));
}

long HandlerStack::runElsewhere(SyscallHandler Handler, SyscallCall &Call) {
  BoundCall Bound{Handler, &Call};
  return deep(BoundCall::run, &Bound);
}

long HandlerStack::deep(long (*Fn)(void *), void *Arg) {
  auto Here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  stack_t Alt{};
  bool OnAlt =
      AltStacks &&
      hostCall(SYS_sigaltstack, 0, reinterpret_cast<long>(&Alt)) == 0 &&
      (Alt.ss_flags & SS_ONSTACK);
  if (OnAlt) {
    if (Here - reinterpret_cast<uintptr_t>(Alt.ss_sp) >= CallBytes)
      return Fn(Arg);
  } else if (Here - MainLow < MainSpan) {
    return Fn(Arg);
  }
  // A program's handler that interrupted a call on the pool, and calls
  // again: the rest of that stack is room enough.
  int Mine = slotOf(Here);
  if (Mine >= 0 && Here - (topOf(Mine) - SlotBytes + Guard) >= CallBytes)
    return Fn(Arg);
  int S = acquire(Here);
  if (S < 0)
    return Fn(Arg); // the caller's stack, and hope
  uintptr_t Top = topOf(S) - LinkBytes;
  *reinterpret_cast<uintptr_t *>(Top) = Here;
  Work W{Fn, Arg, 0, 0};
  long Result;
  if (!OnAlt) {
    Result = k42_call_on_stack(runOnPool, &W, reinterpret_cast<void *>(Top));
  } else {
    // No signal between here and the pool stack's being the alternate
    // one: it would be delivered at the top of the stack this handler
    // still runs on.
    (void)hostCall(SYS_rt_sigprocmask, SIG_SETMASK,
                   reinterpret_cast<long>(&AllSignals),
                   reinterpret_cast<long>(&W.Mask), 8);
    W.AltLow = topOf(S) - StackBytes;
    Result = k42_call_on_stack(runOnPool, &W, reinterpret_cast<void *>(Top));
    // Back on the handler's stack, which may be named again now that
    // the stack pointer is not on the alternate stack (the pool's).
    Alt.ss_flags &= AutoDisarm;
    (void)hostCall(SYS_sigaltstack, reinterpret_cast<long>(&Alt), 0);
    (void)hostCall(SYS_rt_sigprocmask, SIG_SETMASK,
                   reinterpret_cast<long>(&W.Mask), 0, 8);
  }
  Busy[S].store(0, std::memory_order_release);
  return Result;
}
