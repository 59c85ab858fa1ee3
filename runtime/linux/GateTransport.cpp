//===- runtime/linux/GateTransport.cpp - PPC from handlers ----------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/GateTransport.h"
#include "k42/personality/AsLimit.h"

#include "k42/personality/CallStats.h"
#include "k42/personality/FdLimit.h"
#include "k42/personality/GateHeap.h"
#include "k42/personality/GateLock.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/ProcessState.h"

#include "k42/ipc/ChannelWake.h"

#include <cerrno>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

using namespace k42;
using namespace k42::personality;

namespace {

// The channel layout of runtime/lib/Channel.cpp, which a server maps too.
size_t headerBytes() { return ChannelLayout::headerBytes(); }
size_t bulkStart(uint32_t NumSlots) {
  return ChannelLayout::bulkStart(NumSlots);
}
size_t sizeFor(uint32_t NumSlots) { return ChannelLayout::sizeFor(NumSlots); }

constexpr int SpinIterations = 2000;
/// The least a caller spins once replies stopped coming within its spin.
constexpr int MinSpinIterations = 64;
constexpr long PollIntervalNs = 50'000'000;
/// How long a join spins for the server's answer before it sleeps: about
/// what a server takes to map the channel and answer once woken.
constexpr int AnswerSpinIterations = 2000;

} // namespace

GateTransport *GateTransport::attach(int Fd, long ServerPid, long &Error,
                                     Children Forks, size_t Bytes) {
  // A posix_spawn child connecting for its parent (whose memory it runs
  // in) holds the memfd in a descriptor table that is not the parent's:
  // the mapping alone serves, as below.
  bool Borrowed = !ProcessState::callerIsThisProcess();
  long High =
      Borrowed ? -EMFILE : FdLimit::copyHigh(Fd, F_DUPFD_CLOEXEC, FirstFd);
  if (isError(High)) {
    // No room up there (a low RLIMIT_NOFILE): the mapping alone serves,
    // and the channel is not handed on across exec.
    GateTransport *T = map(Fd, ServerPid, Error, Forks, Bytes);
    if (T) {
      (void)hostCall(SYS_close, Fd);
      T->Fd = -1;
    }
    return T;
  }
  (void)hostCall(SYS_close, Fd);
  return map(int(High), ServerPid, Error, Forks, Bytes);
}

GateTransport *GateTransport::adopt(int Fd, long ServerPid, long &Error,
                                    Children Forks) {
  // Mapped at first use (ensureMapped): a program that never calls this
  // server (most of those exec'd in a process that once did) pays no map,
  // no page fault on the header and no unmap. No slot needs taking back:
  // the old program held slots only during its calls (a Lease), and one
  // left mid-call by a thread the exec ended may still be answered.
  Error = 0;
  void *Memory = GateHeap::allocate(sizeof(GateTransport));
  if (!Memory) {
    (void)hostCall(SYS_close, Fd);
    Error = -ENOMEM;
    return nullptr;
  }
  return new (Memory) GateTransport(Fd, ServerPid, Forks);
}

GateTransport *GateTransport::borrow(GateTransport &ParentCopy) {
  void *Memory =
      ParentCopy.Fd >= 0 ? GateHeap::allocate(sizeof(GateTransport)) : nullptr;
  if (!Memory)
    return nullptr;
  auto *T = new (Memory)
      GateTransport(ParentCopy.Fd, ParentCopy.ServerPid, Children::DropIt);
  ParentCopy.Fd = -1;
  return T;
}

GateTransport *GateTransport::map(int Fd, long ServerPid, long &Error,
                                  Children Forks, size_t Bytes) {
  void *Memory = GateHeap::allocate(sizeof(GateTransport));
  if (!Memory) {
    (void)hostCall(SYS_close, Fd);
    Error = -ENOMEM;
    return nullptr;
  }
  auto *T = new (Memory) GateTransport(Fd, ServerPid, Forks);
  Error = T->mapNow(Bytes);
  if (Error < 0) {
    GateHeap::destroy(T); // closes Fd
    return nullptr;
  }
  return T;
}

GateTransport::GateTransport(int Fd, long ServerPid, Children Forks)
    : Fd(Fd), ServerPid(ServerPid), Forks(Forks) {}

long GateTransport::mapNow(size_t Bytes) {
  // Sized and sealed by the kernel, which said so: nothing to ask.
  if (Bytes < sizeFor(1)) {
    struct stat Info;
    long Sealed = hostCall(SYS_fcntl, Fd, F_GET_SEALS);
    if (hostCall(SYS_fstat, Fd, reinterpret_cast<long>(&Info)) != 0 ||
        size_t(Info.st_size) < sizeFor(1) || isError(Sealed) ||
        !(Sealed & F_SEAL_SHRINK))
      return -EBADMSG;
    Bytes = size_t(Info.st_size);
  }
  // The program's RLIMIT_AS does not count the channel (AsLimit.h).
  AsLimit::willMap(Bytes);
  long At = hostCall(SYS_mmap, 0, long(Bytes), PROT_READ | PROT_WRITE,
                     MAP_SHARED, Fd, 0);
  if (isError(At)) {
    AsLimit::unmapped(Bytes, false);
    return At;
  }
  // Not the program's memory: left out of its core dumps (a channel is
  // 2 GiB of address space, and a crash wrote each whole into the core:
  // 6 GB, battery 40). A fork child's copies keep the mark.
  (void)hostCall(SYS_madvise, At, long(Bytes), MADV_DONTDUMP);
  // The header (read next) and the first slot up to its reply's header
  // (its reply page is last) are what this process's first call touches:
  // mapped now, in this call, rather than a page fault each (two of a fork
  // child's first call). The kernel made those pages with the channel
  // (Channel::createRegion), so this maps them and allocates none. A host
  // without MADV_POPULATE_WRITE refuses it, and the faults stay.
  size_t Touched = ChannelLayout::firstCallBytes();
  (void)hostCall(SYS_madvise, At, long(Touched < Bytes ? Touched : Bytes),
                 MADV_POPULATE_WRITE);
  auto *At8 = reinterpret_cast<std::byte *>(At);
  auto *H = reinterpret_cast<ChannelHeader *>(At8);
  uint32_t Count = H->NumSlots;
  if (!ChannelLayout::fits(*H, Count, Bytes)) {
    (void)hostCall(SYS_munmap, At, long(Bytes));
    AsLimit::unmapped(Bytes, false);
    return -EBADMSG;
  }
  // A fork child would only unmap it again (its slots are this
  // process's threads'): it never gets it. If the host will not, the
  // child has it and unmaps nothing (the destructor), which costs only
  // address space.
  if (Forks == Children::DropIt &&
      isError(hostCall(SYS_madvise, At, long(Bytes), MADV_DONTFORK)))
    Forks = Children::WatchIt;
  if (Forks == Children::WatchIt)
    AsLimit::keptByChildren(Bytes);
  MappedBy = ProcessState::pid();
  // A program's calls come one at a time between its own work: the
  // server should not keep a processor spinning for the next one.
  H->CallsApart.store(1, std::memory_order_relaxed);
  Base = At8;
  Size = Bytes;
  Header = H;
  Slots = reinterpret_cast<ChannelSlot *>(At8 + headerBytes());
  Ring = reinterpret_cast<NotifyRing *>(At8 + ChannelLayout::ringStart(Count));
  NumSlots = Count;
  Mapped.store(true, std::memory_order_release);
  return 0;
}

bool GateTransport::ensureMapped() {
  if (Mapped.load(std::memory_order_acquire))
    return true;
  GateLockGuard Guard(MapLock);
  if (Mapped.load(std::memory_order_acquire))
    return true;
  if (MapError == 0 && Fd >= 0)
    MapError = mapNow();
  return MapError == 0 && Mapped.load(std::memory_order_acquire);
}

GateTransport *GateTransport::retain(GateTransport *Via) {
  if (Via)
    Via->Holders.fetch_add(1, std::memory_order_relaxed);
  return Via;
}

void GateTransport::release(GateTransport *Via) {
  if (Via && Via->Holders.fetch_sub(1, std::memory_order_acq_rel) == 1)
    GateHeap::destroy(Via);
}

GateTransport::~GateTransport() {
  if (Mapped.load(std::memory_order_acquire) &&
      (Forks == Children::WatchIt || MappedBy == ProcessState::pid())) {
    (void)hostCall(SYS_munmap, reinterpret_cast<long>(Base), long(Size));
    AsLimit::unmapped(Size, Forks == Children::WatchIt);
  }
  if (Fd >= 0)
    (void)hostCall(SYS_close, Fd);
}

long GateTransport::awaitAnswer(ObjectHandle &Root) {
  if (!ensureMapped())
    return -EBADMSG;
  ChannelHeader &H = *Header;
  for (int Spin = 0; H.Answered.load(std::memory_order_acquire) == 0;) {
    if (Spin < AnswerSpinIterations) {
      ++Spin;
      __builtin_ia32_pause();
      continue;
    }
    // Said before the last look, so a server that answers after it wakes
    // this process (KernelLink::answerInChannel).
    H.AnswerWaited.store(1, std::memory_order_seq_cst);
    if (H.Answered.load(std::memory_order_seq_cst) != 0)
      break;
    GateLock::wait(H.Answered, 0, PollIntervalNs);
    if (H.Answered.load(std::memory_order_acquire) == 0 && !peerAlive())
      return -long(errc::PeerDied);
  }
  // Read once: the server may write the header again.
  int64_t Raw = H.RootStatus;
  ObjectHandle Answer = H.Root;
  if (Raw != 0)
    return -long(Status::fromRaw(Raw < 0 ? Raw : -EPROTO).errorCode());
  Root = Answer;
  return 0;
}

bool GateTransport::peerAlive() const {
  return ServerPid <= 0 || hostCall(SYS_kill, ServerPid, 0) != -ESRCH;
}

uint32_t GateTransport::notificationCount() {
  return ensureMapped() ? notificationCount(*Ring) : 0;
}

bool GateTransport::closed() {
  return !ensureMapped() || Header->Closed.load(std::memory_order_seq_cst) != 0;
}

const NotifyRing *GateTransport::ring() {
  return ensureMapped() ? Ring : nullptr;
}

void GateTransport::consumeNotifications() {
  if (!ensureMapped())
    return;
  Ring->Tail.store(Ring->Head.load(std::memory_order_acquire),
                   std::memory_order_release);
}

uint32_t GateTransport::claim() {
  // Slot 0 is nearly always free: calls are short and one at a time.
  for (uint32_t S = 0; S < NumSlots; ++S) {
    uint32_t Free = uint32_t(SlotState::Free);
    if (Slots[S].State.compare_exchange_strong(Free,
                                               uint32_t(SlotState::Claimed))) {
      ChannelLayout::markUsed(*Header, S);
      return S;
    }
  }
  return NumSlots;
}

namespace {
/// Counted before the slot is claimed: a handler between the claim and the
/// count could leave by siglongjmp with the slot still claimed.
GateTransport &starting(GateTransport &Via) {
  GateLock::callStarts();
  return Via;
}
} // namespace

GateTransport::Lease::Lease(GateTransport &Via)
    : Via(starting(Via)), Slot(Via.ensureMapped() ? Via.claim() : 0) {}

GateTransport::Lease::~Lease() {
  // Claimed again after every call (a server that died leaves it so too):
  // only this lease's slot, and only from Claimed, goes back.
  if (held()) {
    uint32_t Claimed = uint32_t(SlotState::Claimed);
    Via.Slots[Slot].State.compare_exchange_strong(Claimed,
                                                  uint32_t(SlotState::Free));
  }
  GateLock::callEnds();
}

BulkWindow GateTransport::Lease::bulk() {
  return BulkWindow::at(Via.Base + bulkStart(Via.NumSlots) +
                        Slot * BulkWindow::Size);
}

Status GateTransport::Lease::call(const ObjectHandle &Target) {
  if (!held())
    return Status::error(EAGAIN);
  PPCPage &Request = Via.Slots[Slot].Pages.Request;
  Request.Control = uint64_t(ControlOp::Call);
  CallStats::count(Via.serverPid(), Request.Fingerprint, Request.MethodId);
  return Via.submit(Slot, Target);
}

Status GateTransport::submit(uint32_t S, const ObjectHandle &Handle) {
  ChannelHeader &H = *Header;
  if (H.Closed.load(std::memory_order_acquire))
    return Status::error(errc::ChannelClosed);
  ChannelSlot &Slot = Slots[S];
  Slot.Target = Handle;
  Slot.OneWay = 0;
  Slot.CallerCpu = 0;
  Slot.State.store(uint32_t(SlotState::Requested), std::memory_order_seq_cst);
  if (ChannelWake::ring(H) ||
      ChannelWake::unclaimed(H, Slot, [] { __builtin_ia32_pause(); }))
    GateLock::wake(H.Doorbell, 1);
  uint32_t Done = uint32_t(SlotState::Replied);
  int Budget = SpinBudget.load(std::memory_order_relaxed);
  bool Caught = false;
  for (int Spin = 0; Spin < Budget; ++Spin) {
    if (Slot.State.load(std::memory_order_acquire) == Done) {
      Caught = true;
      break;
    }
    __builtin_ia32_pause();
  }
  // A reply that came while spinning keeps the spin worth its processor
  // (doubled back up); one that came later halves it: a server doing host
  // I/O, or a machine with no processor to spare, is waited for asleep.
  SpinBudget.store(
      Caught
          ? (Budget * 2 < SpinIterations ? Budget * 2 : SpinIterations)
          : (Budget / 2 > MinSpinIterations ? Budget / 2 : MinSpinIterations),
      std::memory_order_relaxed);
  for (;;) {
    if (Slot.State.load(std::memory_order_acquire) == Done)
      break;
    // Said before the last look, so the server wakes this thread if the
    // reply comes after it (ChannelWake).
    uint32_t State = ChannelWake::prepareSleep(Slot);
    if (State == Done)
      break;
    GateLock::wait(Slot.State, State, PollIntervalNs);
    if (Slot.State.load(std::memory_order_acquire) == Done)
      break;
    if (!peerAlive()) {
      ChannelWake::awake(Slot);
      Slot.State.store(uint32_t(SlotState::Claimed));
      return Status::error(errc::PeerDied);
    }
    if (H.Closed.load(std::memory_order_acquire) &&
        Slot.State.load() == uint32_t(SlotState::Requested)) {
      ChannelWake::awake(Slot);
      Slot.State.store(uint32_t(SlotState::Claimed));
      return Status::error(errc::ChannelClosed);
    }
  }
  ChannelWake::awake(Slot);
  Slot.State.store(uint32_t(SlotState::Claimed), std::memory_order_relaxed);
  return Status::fromRaw(Slot.Pages.Reply.Status);
}
