//===- runtime/linux/ProcessBridge.cpp - The process server ---------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/ProcessBridge.h"

#include "k42/personality/ForkLocks.h"
#include "k42/personality/FsBridge.h"
#include "k42/personality/GateHeap.h"
#include "k42/personality/GateLock.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/KernelConnection.h"
#include "k42/personality/ProcessState.h"

#include "LinuxProcess.k42.h"

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>

using namespace k42;
using namespace k42::personality;

namespace {

struct BridgeState {
  long Pid;
  bool Tried;
  bool Up;
  /// Only when the file client's connection could not be used at the
  /// time (connectProcess); closed otherwise.
  KernelConnection Kernel;
  GateTransport *Via;
  ObjectHandle Root;
};

BridgeState State;
/// State's lock, the one part of it every call writes: among the small
/// variables (zero, so in .bss), not on the page of State (in .data),
/// which the parent's forked() after each fork would otherwise copy again.
GateLock StateLock;
K42_HELD_ACROSS_FORK(StateLock);
/// The children this process forked and has neither reported nor reaped
/// (0: a free slot), beside StateLock. A fork is not reported when it
/// happens: the server learns of a child from the host when a call names
/// it, or names its group. Only the parent's death (its children become
/// the kernel's, so the host no longer says whose they were) and its
/// exec (which empties this memory) need the report, made then
/// (reportChildren()). Slots are taken and freed with atomics, never
/// locked, since a program's signal handler may fork or wait.
constexpr size_t PendingSlots = 64;
std::atomic<int32_t> Pending[PendingSlots];
/// The process whose children Pending holds: a fork child's copy holds
/// its parent's until it first uses it (ownPending()), so that the child
/// writes nothing here unless it forks.
std::atomic<int32_t> PendingOwner{0};
/// Whether the server said (hello) that it sees reaps itself
/// (linuxproc::HelloSeesReaps): a property of the system, so a fork child
/// keeps its parent's word.
std::atomic<bool> ServerSeesReaps{false};
/// The kernel socket's path, as FsBridge keeps it: a deep folder's in a
/// page of its own, touched only then.
char ShortSocketPath[108];
alignas(TableAlign) char LongSocketPath[KernelConnection::SocketPathBytes];
const char *SocketPath = ShortSocketPath;

/// Blocks the asynchronous signals for the life of a call (see the
/// header), and takes the lock.
class CallGuard {
public:
  CallGuard() {
    uint64_t All = ~uint64_t(0);
    for (int S : {SIGSYS, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP})
      All &= ~(uint64_t(1) << (S - 1));
    (void)hostCall(SYS_rt_sigprocmask, SIG_BLOCK, reinterpret_cast<long>(&All),
                   reinterpret_cast<long>(&Old), sizeof(All));
    StateLock.lock();
  }
  ~CallGuard() {
    StateLock.unlock();
    (void)hostCall(SYS_rt_sigprocmask, SIG_SETMASK,
                   reinterpret_cast<long>(&Old), 0, sizeof(Old));
  }
  CallGuard(const CallGuard &) = delete;
  CallGuard &operator=(const CallGuard &) = delete;

private:
  uint64_t Old = 0;
};

/// The process server's calls, on this process's channel (lock held):
/// the generated stub that marshals into the channel's slot, no heap.
using Calls = linuxproc::HandlerStubLinuxProcess<GateTransport>;
Calls server() { return Calls(*State.Via, State.Root); }

/// A call's Status as a value or a negated errno.
long result(Status S) { return S ? long(S.value()) : -long(S.errorCode()); }

void drop() {
  GateHeap::destroy(State.Via);
  State.Via = nullptr;
  State.Kernel.close();
}

/// Whether Pending is this process's, making it so (emptied of a
/// parent's children) if \p Take. Threads take it without a lock: one
/// wins the owner, and empties only the slots it saw hold a parent's pid
/// (compare and swap), while the others fill only empty slots.
bool ownPending(bool Take) {
  auto Me = int32_t(ProcessState::pid());
  int32_t Owner = PendingOwner.load(std::memory_order_relaxed);
  if (Owner == Me)
    return true;
  if (!Take)
    return false;
  if (!PendingOwner.compare_exchange_strong(Owner, Me,
                                            std::memory_order_relaxed))
    return true; // another thread of this process took it
  for (std::atomic<int32_t> &Slot : Pending)
    if (int32_t Stale = Slot.load(std::memory_order_relaxed))
      (void)Slot.compare_exchange_strong(Stale, 0, std::memory_order_relaxed);
  return true;
}

/// Makes the channel, through the kernel connection this process shares
/// with the file client, and says hello. Lock held.
bool connectProcess() {
  long Error = 0;
  State.Via =
      FsBridge::connectService(linuxproc::ServicePath, State.Root, Error);
  // No system (ENOENT, ECONNREFUSED), or a kernel that answered that there
  // is no such server; a busy one was asked again (EAGAIN) by
  // connectService.
  if (!State.Via && Error == -EDEADLK) {
    // The file client's lock is held (a handler interrupted a file call,
    // or another thread is in one): a connection of this client's own.
    if (State.Kernel.open(SocketPath) == 0)
      State.Via =
          State.Kernel.connect(0, linuxproc::ServicePath, State.Root, Error);
  }
  if (!State.Via)
    return false;
  long Pid = result(server().hello(int32_t(State.Pid)));
  if (Pid <= 0)
    return false;
  ServerSeesReaps.store((Pid & linuxproc::HelloSeesReaps) != 0,
                        std::memory_order_relaxed);
  return true;
}

/// Whether this process is connected, connecting first if it never
/// tried; a fork child drops its parent's connection. Lock held.
bool ensure() {
  long Pid = ProcessState::pid();
  // A posix_spawn child (clone with CLONE_VM) runs in its parent's memory
  // until it execs: the connection there is the parent's, and one made
  // here would die with the child's descriptors. Its calls are the host's.
  if (!ProcessState::callerIsThisProcess())
    return false;
  if (State.Pid != Pid) {
    if (State.Pid != 0)
      drop();
    State.Pid = Pid;
    State.Tried = false;
    State.Up = false;
  }
  // The shared kernel connection was closed under the channel (the file
  // client gave up on a system that was not ready and tried again): the
  // server has let this process go, so it connects again.
  if (State.Up && State.Via->closed()) {
    drop();
    State.Tried = false;
    State.Up = false;
  }
  if (State.Tried)
    return State.Up;
  State.Tried = true;
  State.Up = connectProcess();
  if (!State.Up)
    drop();
  return State.Up;
}

/// The call \p Make makes on the server's stub, once this process is
/// connected; with \p IfConnected only by a process connected already
/// (-ENOSYS otherwise, nothing connected).
template <typename CallFn>
long callWith(CallFn Make, bool IfConnected = false) {
  if (!SocketPath[0])
    return -ENOSYS;
  CallGuard Guard;
  if (IfConnected && !(State.Up && State.Pid == ProcessState::pid() &&
                       ProcessState::callerIsThisProcess()))
    return -ENOSYS;
  if (!ensure())
    return -ENOSYS;
  return result(Make(server()));
}

} // namespace

void ProcessBridge::configure(const char *Path) {
  bool Long = Path && std::strlen(Path) >= sizeof(ShortSocketPath);
  char *Room = Long ? LongSocketPath : ShortSocketPath;
  KernelConnection::socketPath(
      Path, Room, Long ? sizeof(LongSocketPath) : sizeof(ShortSocketPath));
  SocketPath = Room;
}

void ProcessBridge::registerRoot() {
  struct stat Socket;
  if (SocketPath[0] && hostCall(SYS_stat, reinterpret_cast<long>(SocketPath),
                                reinterpret_cast<long>(&Socket)) == 0)
    (void)available();
}

bool ProcessBridge::available() {
  if (!SocketPath[0])
    return false;
  CallGuard Guard;
  return ensure();
}

long ProcessBridge::forked(long ChildPid) {
  return callWith([&](Calls S) { return S.forked(int32_t(ChildPid)); });
}

void ProcessBridge::childForked(long ChildPid) {
  // A posix_spawn child's memory is its parent's.
  if (!SocketPath[0] || ChildPid <= 0 || !ProcessState::callerIsThisProcess())
    return;
  (void)ownPending(/*Take=*/true);
  for (std::atomic<int32_t> &Slot : Pending) {
    int32_t Free = 0;
    if (Slot.load(std::memory_order_relaxed) == 0 &&
        Slot.compare_exchange_strong(Free, int32_t(ChildPid),
                                     std::memory_order_relaxed))
      return;
  }
  // Full (a parent that does not wait, or whose children the host reaps
  // for it): every one reported now, and this one.
  reportChildren();
  (void)forked(ChildPid);
}

void ProcessBridge::reportChildren() {
  // A posix_spawn child's slots are its parent's.
  if (!SocketPath[0] || !ProcessState::callerIsThisProcess() ||
      !ownPending(/*Take=*/false))
    return;
  for (std::atomic<int32_t> &Slot : Pending)
    if (Slot.load(std::memory_order_relaxed) != 0)
      if (int32_t Child = Slot.exchange(0, std::memory_order_relaxed))
        (void)forked(Child); // ESRCH for one reaped without a wait.
}

void ProcessBridge::leaveParent() { State.Kernel.close(); }

bool ProcessBridge::seesReaps() {
  return ServerSeesReaps.load(std::memory_order_relaxed);
}

void ProcessBridge::knowSeesReaps() {
  ServerSeesReaps.store(true, std::memory_order_relaxed);
}

long ProcessBridge::reaped(long Pid) {
  // Reaped: no longer to be told of at exit or exec.
  if (ProcessState::callerIsThisProcess() && ownPending(/*Take=*/false))
    for (std::atomic<int32_t> &Slot : Pending) {
      auto Child = int32_t(Pid);
      if (Slot.load(std::memory_order_relaxed) == Child &&
          Slot.compare_exchange_strong(Child, 0, std::memory_order_relaxed))
        break;
    }
  // A server that watches reaps itself is not told: a wait costs no round
  // trip (the child leaves the tree when the host's pidfd says so).
  if (ServerSeesReaps.load(std::memory_order_relaxed))
    return 0;
  return callWith([&](Calls S) { return S.reaped(int32_t(Pid)); });
}

long ProcessBridge::execed(const char *Name, size_t Length, bool Failed) {
  // Only a process connected already: a connection made for this alone
  // would cost every fork child that execs (most make no process call)
  // a channel; the server names the others from the host.
  return callWith(
      [&](Calls S) {
        return S.execed(std::string_view(Name, Length), Failed ? 1 : 0);
      },
      /*IfConnected=*/true);
}

long ProcessBridge::queueSignal(long Pid, long Tid, long Signal,
                                const void *Info) {
  return callWith([&](Calls S) {
    return S.queueSignal(
        int32_t(Pid), int32_t(Tid), int32_t(Signal),
        std::span<const uint8_t>(static_cast<const uint8_t *>(Info),
                                 linuxproc::SigInfoSize));
  });
}

long ProcessBridge::setGroups(long Count, const uint32_t *Groups, bool Commit) {
  return callWith([&](Calls S) {
    return S.setGroups(
        int32_t(Count),
        std::span<const uint32_t>(Groups, Groups ? size_t(Count) : 0),
        Commit ? 1 : 0);
  });
}

long ProcessBridge::signal(long Pid, long Signal) {
  return callWith(
      [&](Calls S) { return S.signal(int32_t(Pid), int32_t(Signal)); });
}

long ProcessBridge::signalThread(long Pid, long Tid, long Signal) {
  return callWith([&](Calls S) {
    return S.signalThread(int32_t(Pid), int32_t(Tid), int32_t(Signal));
  });
}

long ProcessBridge::setsid() {
  return callWith([](Calls S) { return S.setsid(); });
}

long ProcessBridge::setpgid(long Pid, long Group, bool Commit) {
  return callWith([&](Calls S) {
    return S.setpgid(int32_t(Pid), int32_t(Group), Commit ? 1 : 0);
  });
}

long ProcessBridge::getpgid(long Pid) {
  return callWith([&](Calls S) { return S.getpgid(int32_t(Pid)); });
}

long ProcessBridge::getsid(long Pid) {
  return callWith([&](Calls S) { return S.getsid(int32_t(Pid)); });
}

long ProcessBridge::getppid() {
  return callWith([](Calls S) { return S.getppid(); });
}

long ProcessBridge::setSubreaper(bool On) {
  return callWith([&](Calls S) { return S.setSubreaper(On ? 1 : 0); });
}

long ProcessBridge::setCredentials(unsigned Call, long A, long B, long C,
                                   bool Commit) {
  return callWith([&](Calls S) {
    return S.setCredentials(uint32_t(Call), int32_t(A), int32_t(B), int32_t(C),
                            Commit ? 1 : 0);
  });
}
