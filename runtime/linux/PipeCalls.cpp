//===- runtime/linux/PipeCalls.cpp - K42 pipes in the process -------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// pipe, pipe2, ioctl, and the pipe side of the descriptor calls. A read
/// or a write takes the ring's lock, moves bytes between the caller and
/// the ring, bumps Seq and wakes sleepers if there are any; one that must
/// wait sleeps on Seq as read before it looked, so no change is missed.
///
//===----------------------------------------------------------------------===//

#include "k42/personality/PipeCalls.h"

#include "k42/personality/FdLimit.h"
#include "k42/personality/FileControl.h"
#include "k42/personality/FileDispatch.h"
#include "k42/personality/ForkLocks.h"
#include "k42/personality/GateHeap.h"
#include "k42/personality/GateLock.h"
#include "k42/personality/Handlers.h"
#include "k42/personality/HeldFile.h"
#include "k42/personality/HeldPipe.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/KernelConnection.h"
#include "k42/personality/OwnMemfd.h"
#include "k42/personality/PipeClient.h"
#include "k42/personality/ProcessState.h"
#include "k42/personality/ProgramFds.h"
#include "k42/personality/SignalDefer.h"
#include "k42/personality/SpawnView.h"
#include "k42/personality/StaleFds.h"
#include "k42/personality/SyscallTable.h"
#include "k42/personality/UserMemory.h"

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstring>
#include <ctime>

#include <fcntl.h>
#include <linux/capability.h>
#include <linux/futex.h>
#include <linux/sockios.h>
#include <linux/stat.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>

using namespace k42::personality;

namespace {

PipeTable &pipes() { return PipeTable::process(); }

/// Pipes (by Id) one end of which this process let go of while it held
/// the other. The pipe server has the hang-up to handle (its peer
/// socket's) before the pipe shows EOF or EPIPE, and what this process
/// sees next must already show what its own close did: so before a look
/// that cannot wait for the server it asks the server to catch up
/// (settle: one Sync, a round trip). Those looks are a write (EPIPE), a
/// read that finds the ring empty and may not sleep (EOF, not EAGAIN), and
/// poll's readiness; a read that sleeps is woken by the server when it
/// marks the writers gone, as for another process's close. A pipe whose
/// last end here goes too is struck off. A shell closes both ends of each
/// pipeline's pipe after its forks and reads a command substitution's
/// until EOF: neither asks a Sync now, where every such close asked one
/// (`k42-pipe`'s syncs, ../../test/linux/pipes.test). A fork child
/// inherits the list (it holds the same ends), an exec hands it on with
/// the ends (ExecRecord::Owed): a pipeline's reader asks nothing.
constexpr unsigned MaxOwed = 8;
GateLock OwedLock;
K42_HELD_ACROSS_FORK(OwedLock);
uint64_t Owed[MaxOwed];
std::atomic<unsigned> NumOwed{0};

/// Asks the pipe server to catch up if a close here is owed a Sync;
/// whether it asked.
bool settle() {
  if (NumOwed.load(std::memory_order_acquire) == 0)
    return false;
  {
    GateLockGuard Guard(OwedLock);
    if (NumOwed.load(std::memory_order_relaxed) == 0)
      return false;
    // Cleared before the Sync is sent: a close after this is owed its own.
    NumOwed.store(0, std::memory_order_release);
  }
  PipeClient::sync();
  return true;
}

/// Whether pipe \p Id is owed a Sync.
bool owed(uint64_t Id) {
  if (NumOwed.load(std::memory_order_acquire) == 0)
    return false;
  GateLockGuard Guard(OwedLock);
  unsigned N = NumOwed.load(std::memory_order_relaxed);
  for (unsigned I = 0; I < N; ++I)
    if (Owed[I] == Id)
      return true;
  return false;
}

/// Notes that pipe \p Id is owed a Sync (settle); a full list is settled
/// first.
void owe(uint64_t Id) {
  for (;;) {
    {
      GateLockGuard Guard(OwedLock);
      unsigned N = NumOwed.load(std::memory_order_relaxed);
      for (unsigned I = 0; I < N; ++I)
        if (Owed[I] == Id)
          return;
      if (N < MaxOwed) {
        Owed[N] = Id;
        NumOwed.store(N + 1, std::memory_order_release);
        return;
      }
    }
    settle();
  }
}

/// Strikes pipe \p Id off the owed list: no end of it is left here.
void forgive(uint64_t Id) {
  if (NumOwed.load(std::memory_order_acquire) == 0)
    return;
  GateLockGuard Guard(OwedLock);
  unsigned N = NumOwed.load(std::memory_order_relaxed);
  for (unsigned I = 0; I < N; ++I)
    if (Owed[I] == Id) {
      Owed[I] = Owed[N - 1];
      NumOwed.store(N - 1, std::memory_order_release);
      return;
    }
}

/// The end's ring, mapped again from the server's memfd after exec (or
/// from the process's own copy of it, pinned before a change of user).
PipeRing *ring(PipeEnd &End) {
  if (PipeRing *R = __atomic_load_n(&End.Ring, __ATOMIC_ACQUIRE))
    return R;
  PipeRing *R = End.LocalFd >= 0
                    ? PipeClient::attachLocal(End.LocalFd, End.Id)
                    : PipeClient::attach(End.ServerPid, End.ServerFd, End.Id);
  if (!R)
    return nullptr;
  PipeRing *Expected = nullptr;
  if (!__atomic_compare_exchange_n(&End.Ring, &Expected, R, false,
                                   __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
    PipeClient::detach(R);
    return Expected;
  }
  return R;
}

/// The status flags of \p End's description: its slot's when it was opened
/// by name, else its side's.
std::atomic<uint32_t> &flagsOf(PipeRing &R, const PipeEnd &End) {
  if (End.Slot >= 0 && End.Slot < PipeRing::Slots)
    return R.SlotFlags[End.Slot];
  return End.Writer ? R.WriteFlags : R.ReadFlags;
}

/// After a change made under the lock (and released): tell the sleepers.
void changed(PipeRing &R) {
  R.Seq.fetch_add(1);
  if (R.Sleepers.load())
    (void)hostCall(SYS_futex, reinterpret_cast<long>(&R.Seq), FUTEX_WAKE,
                   INT_MAX, 0, 0, 0);
}

/// Sleeps while Seq still holds \p Seen; -EINTR when a signal handler ran
/// (with SA_RESTART the host restarts the wait itself), also one that ran
/// outside the wait since the call began (its SignalDefer::interrupts()
/// were \p Since), -EPIPE when the
/// pipe server is gone (the ring is then marked as if both sides had
/// closed: PipeCalls::serverLost). The wait ends every
/// PipeCalls::ServerCheckNs to look, since only the server would wake it.
long sleepOn(PipeRing &R, uint32_t Seen, uint32_t Since) {
  if (SignalDefer::interrupts() != Since)
    return -EINTR;
  // futex_waitv, with an absolute deadline: a handler with SA_RESTART
  // restarts it as it is (a futex wait with a timeout would go through
  // restart_syscall).
  constexpr long Billion = 1'000'000'000;
  timespec At;
  (void)hostCall(SYS_clock_gettime, CLOCK_MONOTONIC,
                 reinterpret_cast<long>(&At));
  long Until = At.tv_sec * Billion + At.tv_nsec + PipeCalls::ServerCheckNs;
  At = timespec{Until / Billion, Until % Billion};
  futex_waitv Wait{};
  Wait.val = Seen;
  Wait.uaddr = reinterpret_cast<uint64_t>(&R.Seq);
  Wait.flags = FUTEX_32;
  R.Sleepers.fetch_add(1);
  long E = hostCall(SYS_futex_waitv, reinterpret_cast<long>(&Wait), 1, 0,
                    reinterpret_cast<long>(&At), CLOCK_MONOTONIC);
  R.Sleepers.fetch_sub(1);
  if (E == -EINTR || SignalDefer::interrupts() != Since)
    return -EINTR;
  if (E == -ETIMEDOUT && PipeCalls::serverLost(R))
    return -EPIPE;
  return 0;
}

/// One read; \p MayBlock false after the first piece of a readv, and for
/// RWF_NOWAIT.
long readSome(PipeEnd &End, char *Buffer, size_t Count, bool MayBlock) {
  if (End.Writer)
    return -EBADF;
  PipeRing *R = ring(End);
  if (!R)
    return -EIO;
  if (Count == 0)
    return 0;
  uint32_t Since = SignalDefer::interrupts();
  for (;;) {
    uint32_t Seen = R->Seq.load();
    R->Lock.lock();
    if (uint64_t Used = R->used()) {
      size_t N = Count < Used ? Count : size_t(Used);
      long E = R->get(Buffer, N, UserMemory::copyOut);
      R->Lock.unlock();
      if (E < 0)
        return E;
      changed(*R);
      return long(N);
    }
    R->Lock.unlock();
    if (R->WritersGone.load())
      return 0;
    if (!MayBlock || (flagsOf(*R, End).load() & O_NONBLOCK)) {
      // EAGAIN only once the server has seen this process's own closes.
      if (settle())
        continue;
      return -EAGAIN;
    }
    if (sleepOn(*R, Seen, Since) == -EINTR)
      return -EINTR;
  }
}

/// Children ended in this process (PipeCalls::childEnded).
std::atomic<uint32_t> ChildrenEnded{0};

/// Waits until no record a writer without the personality sent through
/// the placeholder at \p Fd is still on its way into \p R: none left in
/// the socket (SIOCOUTQ: the pipe server has not read it) and none read
/// but not yet put (PumpPending). At most about a second (no pump may
/// come: the server at its limit), then the write goes ahead.
void afterHostRecords(long Fd, PipeRing &R) {
  for (int Slice = 0; Slice < 100; ++Slice) {
    uint32_t Seen = R.Seq.load();
    int Queued = 0;
    if (hostCall(SYS_ioctl, Fd, SIOCOUTQ, reinterpret_cast<long>(&Queued)) !=
            0 ||
        (Queued == 0 && R.PumpPending.load() == 0))
      return;
    timespec Slice10ms{0, 10'000'000};
    R.Sleepers.fetch_add(1);
    (void)hostCall(SYS_futex, reinterpret_cast<long>(&R.Seq), FUTEX_WAIT, Seen,
                   reinterpret_cast<long>(&Slice10ms), 0, 0);
    R.Sleepers.fetch_sub(1);
  }
}

/// One write: all of it (blocking unless \p NonBlock or O_NONBLOCK),
/// atomically when it is at most PIPE_BUF. \p Fd: the end's descriptor
/// (its placeholder).
long writeAll(long Fd, PipeEnd &End, const char *Buffer, size_t Count,
              PipeRing::CopyFn Copy, bool NonBlock = false) {
  if (!End.Writer && !End.ReadWrite)
    return -EBADF;
  PipeRing *R = ring(End);
  if (!R)
    return -EIO;
  if (Count == 0)
    return 0;
  // A child ended since this end last looked: its bytes first.
  if (uint32_t Ended = ChildrenEnded.load(std::memory_order_relaxed);
      End.EndedSeen != Ended) {
    afterHostRecords(Fd, *R);
    End.EndedSeen = Ended;
  }
  // EPIPE if this process's own close left no reader.
  settle();
  size_t Done = 0;
  uint32_t Since = SignalDefer::interrupts();
  uint32_t HandledSince = SignalDefer::handled();
  for (;;) {
    uint32_t Seen = R->Seq.load();
    if (R->ReadersGone.load()) {
      raiseInThisThread(SIGPIPE);
      return Done ? long(Done) : -EPIPE;
    }
    R->Lock.lock();
    if (size_t N = R->fits(Count, Done)) {
      long E = R->put(Buffer + Done, N, Copy);
      R->Lock.unlock();
      if (E < 0)
        return Done ? long(Done) : E;
      Done += N;
      changed(*R);
      if (Done == Count)
        return long(Done);
      continue;
    }
    R->Lock.unlock();
    if (NonBlock || (flagsOf(*R, End).load() & O_NONBLOCK))
      return Done ? long(Done) : -EAGAIN;
    // A handler that ran with some bytes written ends the write at them,
    // SA_RESTART or not (Linux's signal_pending before each wait).
    if (Done && SignalDefer::handled() != HandledSince)
      return long(Done);
    if (sleepOn(*R, Seen, Since) == -EINTR)
      return Done ? long(Done) : -EINTR;
    if (Done && SignalDefer::handled() != HandledSince)
      return long(Done);
  }
}

long copyLocal(void *To, const void *From, size_t Length) {
  std::memcpy(To, From, Length);
  return 0;
}

/// Makes a pipe: K42's when a pipe server answers, the host's otherwise.
long makePipe(SyscallCall &Call, long User, long Flags) {
  if (Flags & ~long(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
    return -EINVAL;
  if (Flags & O_DIRECT)
    return passToHost(Call); // packet mode: the host's
  // A child running in its parent's memory (posix_spawn's, before its
  // exec) would put the ends in its parent's table: the host's pipe.
  if (SpawnView::current())
    return passToHost(Call);
  long ReadFd = -1, WriteFd = -1;
  PipeRing *Ring = nullptr;
  long E = PipeClient::create(Flags & O_CLOEXEC, ReadFd, WriteFd, Ring);
  if (E == -ENOSYS)
    return passToHost(Call);
  if (E < 0)
    return E;
  // Off the exec's numbers (ProgramFds::place): not yet in the tables.
  ReadFd = ProgramFds::place(ReadFd);
  WriteFd = ProgramFds::place(WriteFd);
  // Past the program's soft limit (FdLimit): EMFILE, as Linux. Past the
  // tables (a program holding more than a thousand descriptors): the
  // host's pipe.
  bool PastLimit = uint64_t(ReadFd) >= FdLimit::soft() ||
                   uint64_t(WriteFd) >= FdLimit::soft();
  long Limit = SpawnView::descriptorLimit();
  if (PastLimit || ReadFd >= Limit || WriteFd >= Limit) {
    ProgramFds::lost(ReadFd);
    ProgramFds::lost(WriteFd);
    (void)hostCall(SYS_close, ReadFd);
    (void)hostCall(SYS_close, WriteFd);
    PipeClient::detach(Ring);
    return PastLimit ? -EMFILE : passToHost(Call);
  }
  auto *R = PipeTable::makeEnd();
  auto *W = PipeTable::makeEnd();
  int Fds[2] = {int(ReadFd), int(WriteFd)};
  if (!R || !W ||
      UserMemory::copyOut(reinterpret_cast<void *>(User), Fds, sizeof(Fds)) <
          0) {
    PipeTable::recycle(R);
    PipeTable::recycle(W);
    (void)hostCall(SYS_close, ReadFd);
    (void)hostCall(SYS_close, WriteFd);
    PipeClient::detach(Ring);
    return R && W ? -EFAULT : -ENOMEM;
  }
  if (Flags & O_NONBLOCK) {
    Ring->ReadFlags.fetch_or(O_NONBLOCK);
    Ring->WriteFlags.fetch_or(O_NONBLOCK);
  }
  uint64_t Id = Ring->Id.load();
  R->Ring = Ring;
  R->Id = Id;
  W->Ring = Ring;
  W->Id = Id;
  W->Writer = true;
  // The write end maps the ring too: a second mapping, so that each end
  // unmaps its own when its last descriptor here closes.
  long Again = hostCall(SYS_mremap, reinterpret_cast<long>(Ring), 0,
                        PipeRing::Bytes, MREMAP_MAYMOVE, 0);
  W->Ring = isError(Again) ? nullptr : reinterpret_cast<PipeRing *>(Again);
  if (!W->Ring) {
    // No second mapping: find it again from the server on first use.
    W->ServerPid = 0;
  }
  // Files another thread's close left at the numbers go (StaleFds).
  StaleFds::drop(ReadFd);
  StaleFds::drop(WriteFd);
  pipes().install(ReadFd, R, PipeCalls::release);
  pipes().install(WriteFd, W, PipeCalls::release);
  return 0;
}

} // namespace

namespace {

/// A new open file description of a pipe (\p Named: a FIFO's), joined
/// through the pipe server; a FIFO's blocking open then waits for the
/// other side as Linux's does.
long joinPipe(const uint64_t Key[2], long Flags, bool Named) {
  long Access = Flags & O_ACCMODE;
  if (Access == O_ACCMODE)
    return -EINVAL;
  bool Reads = Access != O_WRONLY, Writes = Access != O_RDONLY;
  bool NonBlock = Flags & O_NONBLOCK;
  uint32_t Mode = (Reads ? PipeJoin::JoinReads : 0) |
                  (Writes ? PipeJoin::JoinWrites : 0) |
                  (Named ? PipeJoin::JoinFifo : 0);
  if (Named && Writes && !Reads && NonBlock)
    Mode |= PipeJoin::JoinNeedReader;
  uint32_t Status = uint32_t(Flags) & (O_NONBLOCK | O_ASYNC | O_NOATIME);
  long Fd = -1;
  PipeRing *Ring = nullptr;
  PipeAnswer Answer;
  uint32_t Since = SignalDefer::interrupts();
  long E =
      PipeClient::join(Mode, Key, Status, Flags & O_CLOEXEC, Fd, Ring, Answer);
  if (E < 0)
    return E == -ENOSYS ? -ENXIO : E;
  if (Named && !NonBlock && Reads != Writes && !Answer.OthersThen) {
    // Until the other side has an opener, or had one since we joined.
    std::atomic<uint32_t> &Others = Reads ? Ring->Writers : Ring->Readers;
    std::atomic<uint32_t> &Opens =
        Reads ? Ring->WriterOpens : Ring->ReaderOpens;
    for (;;) {
      uint32_t Seen = Ring->Seq.load();
      if (Others.load() || Opens.load() != Answer.OtherOpens)
        break;
      long Slept = sleepOn(*Ring, Seen, Since);
      if (Slept == -EINTR) {
        (void)hostCall(SYS_close, Fd);
        PipeClient::detach(Ring);
        return -EINTR;
      }
      if (Slept == -EPIPE)
        break; // no server: the other side will never come; reads see EOF
    }
  }
  auto *End = PipeTable::makeEnd();
  if (!End) {
    (void)hostCall(SYS_close, Fd);
    PipeClient::detach(Ring);
    return -ENOMEM;
  }
  End->Writer = Writes && !Reads;
  End->ReadWrite = Reads && Writes;
  End->Slot = Answer.Slot;
  End->HupAwaitsWriter = Named && Reads && !Writes && NonBlock &&
                         !Answer.OthersThen && !Ring->Writers.load();
  End->WriterOpensAtOpen = Answer.OtherOpens;
  End->Ring = Ring;
  End->Id = Ring->Id.load();
  End->ServerPid = Ring->ServerPid.load();
  End->ServerFd = Ring->ServerFd.load();
  SpawnView *V = SpawnView::current();
  if (!V)
    StaleFds::drop(Fd); // a file another thread's close left at Fd
  // A spawn child's own, until its view goes.
  if (V ? !V->set(Fd, nullptr, End)
        : !pipes().install(Fd, End, PipeCalls::release)) {
    (void)hostCall(SYS_close, Fd);
    PipeClient::detach(Ring);
    PipeTable::recycle(End);
    return -EMFILE;
  }
  return Fd;
}

} // namespace

bool PipeCalls::serverLost(PipeRing &R) {
  int32_t Pid = R.ServerPid.load();
  // Not taken yet (0): the server is taken to be alive.
  if (Pid <= 0 || hostCall(SYS_kill, Pid, 0) != -ESRCH)
    return false;
  R.Readers.store(0);
  R.Writers.store(0);
  R.WritersGone.store(1);
  R.ReadersGone.store(1);
  changed(R);
  return true;
}

void PipeCalls::taken(PipeEnd &End) {
  if (PipeRing *R = ring(End))
    for (int Try = 0; Try < 100 && R->ServerFd.load() == 0; ++Try)
      PipeClient::sync();
}

long PipeCalls::reopen(long Fd, long Flags) {
  HeldPipe End(Fd);
  if (!End)
    return -EBADF;
  if (SpawnView *V = SpawnView::current()) {
    // A posix_spawn child shares the end's description (its view cannot
    // hold a description of its own past the exec: a limit).
    long To = hostCall(SYS_fcntl, Fd,
                       (Flags & O_CLOEXEC) ? F_DUPFD_CLOEXEC : F_DUPFD, 0);
    if (!isError(To) && !V->set(To, nullptr, End.get())) {
      (void)hostCall(SYS_close, To);
      return -EMFILE;
    }
    return To;
  }
  const uint64_t Key[2] = {End->Id, 0};
  return joinPipe(Key, Flags, false);
}

long PipeCalls::openFifo(uint64_t Dev, uint64_t Ino, long Flags) {
  const uint64_t Key[2] = {Dev, Ino};
  return joinPipe(Key, Flags, true);
}

long PipeCalls::read(PipeEnd &End, void *Buffer, size_t Count, bool NonBlock) {
  return readSome(End, static_cast<char *>(Buffer), Count, !NonBlock);
}

long PipeCalls::write(long Fd, PipeEnd &End, const void *Buffer, size_t Count,
                      bool NonBlock) {
  return writeAll(Fd, End, static_cast<const char *>(Buffer), Count,
                  UserMemory::copyIn, NonBlock);
}

long PipeCalls::space(PipeEnd &End) {
  if (!End.Writer && !End.ReadWrite)
    return -EBADF;
  PipeRing *R = ring(End);
  if (!R)
    return -EIO;
  R->Lock.lock();
  long Free = long(R->space());
  R->Lock.unlock();
  return Free;
}

void PipeCalls::childEnded() {
  ChildrenEnded.fetch_add(1, std::memory_order_relaxed);
}

long PipeCalls::readv(PipeEnd &End, long Iov, long Count, bool NonBlock) {
  // EAGAIN after some pieces moved answers those bytes, as every error
  // does (forEachPiece).
  return forEachPiece(Iov, Count, [&](void *Base, size_t Length, long Done) {
    return readSome(End, static_cast<char *>(Base), Length,
                    Done == 0 && !NonBlock);
  });
}

long PipeCalls::tee(PipeEnd &In, PipeEnd &Out, size_t Count, bool NonBlock) {
  if (In.Writer || !(Out.Writer || Out.ReadWrite))
    return -EBADF;
  PipeRing *From = ring(In), *To = ring(Out);
  if (!From || !To)
    return -EIO;
  if (From->Id.load() == To->Id.load())
    return -EINVAL;
  if (Count == 0)
    return 0;
  NonBlock = NonBlock || (flagsOf(*From, In).load() & O_NONBLOCK) ||
             (flagsOf(*To, Out).load() & O_NONBLOCK);
  // The two rings' locks in one order (by address), whoever tees.
  PipeRing *First = From < To ? From : To, *Second = From < To ? To : From;
  uint32_t Since = SignalDefer::interrupts();
  for (;;) {
    uint32_t SeenFrom = From->Seq.load(), SeenTo = To->Seq.load();
    if (To->ReadersGone.load()) {
      raiseInThisThread(SIGPIPE);
      return -EPIPE;
    }
    First->Lock.lock();
    Second->Lock.lock();
    uint64_t Used = From->used(), Room = To->space();
    size_t N = Count;
    if (Used < N)
      N = size_t(Used);
    if (Room < N)
      N = size_t(Room);
    if (N) {
      // Through a bounce buffer, a piece at a time; From's bytes stay
      // (its Head is put back after each copy out).
      char Piece[4096];
      uint64_t Keep = From->Head;
      for (size_t Done = 0; Done < N;) {
        size_t Take = N - Done < sizeof(Piece) ? N - Done : sizeof(Piece);
        (void)From->get(Piece, Take, copyLocal);
        (void)To->put(Piece, Take, copyLocal);
        Done += Take;
      }
      From->Head = Keep;
    }
    Second->Lock.unlock();
    First->Lock.unlock();
    if (N) {
      changed(*To);
      return long(N);
    }
    if (Used == 0 && From->WritersGone.load())
      return 0;
    if (NonBlock)
      return -EAGAIN;
    long E = Used == 0 ? sleepOn(*From, SeenFrom, Since)
                       : sleepOn(*To, SeenTo, Since);
    if (E < 0)
      return E;
  }
}

long PipeCalls::writev(long Fd, PipeEnd &End, long Iov, long Count,
                       bool NonBlock) {
  if (Count < 0 || Count > 1024)
    return -EINVAL;
  // Up to PIPE_BUF in all: gathered, and written as one atomic write.
  char Small[PipeRing::AtomicMax];
  size_t Gathered = 0;
  bool Fits = true;
  for (long I = 0; I < Count && Fits; ++I) {
    iovec V;
    if (UserMemory::copyIn(&V, reinterpret_cast<iovec *>(Iov) + I, sizeof(V)) <
        0)
      return -EFAULT;
    if (V.iov_len > sizeof(Small) - Gathered) {
      Fits = false;
      break;
    }
    if (V.iov_len &&
        UserMemory::copyIn(Small + Gathered, V.iov_base, V.iov_len) < 0)
      return -EFAULT;
    Gathered += V.iov_len;
  }
  if (Fits)
    return writeAll(Fd, End, Small, Gathered, copyLocal, NonBlock);
  return forEachPiece(Iov, Count, [&](void *Base, size_t Length, long) {
    return writeAll(Fd, End, static_cast<const char *>(Base), Length,
                    UserMemory::copyIn, NonBlock);
  });
}

void PipeCalls::release(PipeEnd *End) {
  if (!PipeTable::release(End))
    return;
  // The last call on an end whose descriptors were closed under it: the
  // pipe server hears of the close now.
  if (int32_t Kept = __atomic_exchange_n(&End->KeptFd, -1, __ATOMIC_ACQ_REL);
      Kept >= 0)
    (void)hostCall(SYS_close, Kept);
  if (End->LocalFd >= 0)
    (void)hostCall(SYS_close, End->LocalFd);
  // This process may have closed the end's last descriptor: if it holds
  // the other end, its next read or write must already see EOF or EPIPE
  // (settle, before its next look at a ring). A posix_spawn child, in its
  // parent's memory, asks at once: the list is its parent's.
  if (SpawnView::current()) {
    if (pipes().holdsOtherEnd(*End))
      PipeClient::sync();
  } else if (pipes().holdsOtherEnd(*End)) {
    owe(End->Id);
  } else if (!pipes().holdsPipe(End->Id)) {
    forgive(End->Id);
  }
  PipeClient::detach(End->Ring);
  PipeTable::recycle(End);
}

void PipeCalls::keepForCalls(long Fd, PipeEnd &End, uint32_t Ours) {
  if (SpawnView::current() ||
      __atomic_load_n(&End.Refs, __ATOMIC_ACQUIRE) <= Ours ||
      __atomic_load_n(&End.KeptFd, __ATOMIC_ACQUIRE) >= 0)
    return;
  long Kept =
      FdLimit::copyHigh(Fd, F_DUPFD_CLOEXEC, KernelConnection::FirstPrivateFd);
  int32_t None = -1;
  if (Kept >= 0 &&
      !__atomic_compare_exchange_n(&End.KeptFd, &None, int32_t(Kept), false,
                                   __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
    (void)hostCall(SYS_close, Kept);
}

long PipeCalls::close(long Fd) {
  forgetWatches(Fd);
  // The host's descriptor first: another thread's call on Fd meanwhile
  // finds the end (as if it came first), never the placeholder socket
  // alone, whose host read would wait for bytes no one sends. The end is
  // held meanwhile (StaleFds, FileCalls' closeFd).
  PipeEnd *Look = pipes().hold(Fd, release);
  if (Look)
    keepForCalls(Fd, *Look, 2); // the descriptor's reference and the look
  long Host = hostCall(SYS_close, Fd);
  if (PipeEnd *End = pipes().removeIf(Fd, Look))
    release(End); // the descriptor's reference
  if (!Look)
    return Host;
  release(Look);
  return 0;
}

long PipeCalls::fstat(long Fd, long User, bool Statx) {
  // The placeholder's owner and times, with a FIFO's type and no size.
  if (Statx) {
    struct statx X;
    static const char Empty[] = "";
    long E =
        hostCall(SYS_statx, Fd, reinterpret_cast<long>(Empty), AT_EMPTY_PATH,
                 STATX_BASIC_STATS, reinterpret_cast<long>(&X));
    if (isError(E))
      return E;
    X.stx_mode = uint16_t(S_IFIFO | 0600);
    X.stx_size = 0;
    X.stx_blksize = 4096;
    return UserMemory::copyOut(reinterpret_cast<void *>(User), &X, sizeof(X));
  }
  struct stat S;
  long E = hostCall(SYS_fstat, Fd, reinterpret_cast<long>(&S));
  if (isError(E))
    return E;
  S.st_mode = S_IFIFO | 0600;
  S.st_size = 0;
  S.st_blksize = 4096;
  return UserMemory::copyOut(reinterpret_cast<void *>(User), &S, sizeof(S));
}

long PipeCalls::fcntl(PipeEnd &End, long Command, long Arg) {
  PipeRing *R = ring(End);
  if (!R)
    return -EIO;
  switch (Command) {
  case F_GETFL:
    return long((flagsOf(*R, End).load() & ~uint32_t(O_ACCMODE)) |
                (End.ReadWrite ? O_RDWR
                 : End.Writer  ? O_WRONLY
                               : O_RDONLY));
  case F_SETFL: {
    constexpr uint32_t Settable = O_NONBLOCK | O_ASYNC | O_NOATIME;
    auto &Flags = flagsOf(*R, End);
    uint32_t Old = Flags.load();
    while (!Flags.compare_exchange_weak(Old, (Old & ~Settable) |
                                                 (uint32_t(Arg) & Settable)))
      ;
    return 0;
  }
  case F_GETPIPE_SZ:
    return long(R->Capacity);
  case F_SETPIPE_SZ: {
    // Linux's pipe_set_size: the argument an unsigned int, rounded up to
    // a power of two pages (resize() rounds it; past 2^31, EINVAL);
    // growing past the largest size (pipe-max-size; a ring here holds at
    // most MaxCapacity, a power of two and its default) takes
    // CAP_SYS_RESOURCE, EPERM without it. With it, Linux would allocate
    // more: ENOMEM here.
    uint64_t Want = uint32_t(Arg);
    if (Want > (uint64_t(1) << 31))
      return -EINVAL;
    if (Want > PipeRing::MaxCapacity)
      return hasCapability(CAP_SYS_RESOURCE) ? -ENOMEM : -EPERM;
    R->Lock.lock();
    long N = R->resize(Want);
    R->Lock.unlock();
    if (N > 0)
      changed(*R);
    return N;
  }
  default:
    return -ENOSYS;
  }
}

short PipeCalls::ready(PipeEnd &End, short Events, std::atomic<uint32_t> *&Word,
                       uint32_t &Seen) {
  Word = nullptr;
  PipeRing *R = ring(End);
  if (!R)
    return POLLERR;
  settle(); // POLLHUP and POLLERR for this process's own closes
  Word = &R->Seq;
  Seen = R->Seq.load();
  short Mask = 0;
  R->Lock.lock();
  uint64_t Used = R->used(), Space = R->space();
  uint32_t Room =
      R->Capacity < PipeRing::AtomicMax ? R->Capacity : PipeRing::AtomicMax;
  R->Lock.unlock();
  if (End.Writer || End.ReadWrite) {
    if (Space >= Room)
      Mask |= POLLOUT | POLLWRNORM;
    if (R->ReadersGone.load())
      Mask |= POLLERR;
  }
  if (!End.Writer) {
    if (Used)
      Mask |= POLLIN | POLLRDNORM;
    if (R->WritersGone.load() &&
        !(End.HupAwaitsWriter &&
          R->WriterOpens.load() == End.WriterOpensAtOpen))
      Mask |= POLLHUP;
  }
  return short(Mask & (Events | POLLHUP | POLLERR));
}

void PipeCalls::edges(PipeEnd &End, uint64_t &In, uint64_t &Out) {
  In = Out = 0;
  PipeRing *R = ring(End);
  if (!R)
    return;
  R->Lock.lock();
  uint64_t Tail = R->Tail, Head = R->Head;
  R->Lock.unlock();
  constexpr uint64_t Gone = uint64_t(1) << 63;
  In = Tail | (R->WritersGone.load() ? Gone : 0);
  Out = Head | (R->ReadersGone.load() ? Gone : 0);
}

void PipeCalls::sleeping(PipeEnd &End, bool Arrives) {
  if (PipeRing *R = End.Ring) {
    if (Arrives)
      R->Sleepers.fetch_add(1);
    else
      R->Sleepers.fetch_sub(1);
  }
}

//===-- Across exec
//--------------------------------------------------------===//

namespace {
constexpr long PipeStateFd = 1007;
struct ExecRecord {
  int32_t Fd;
  int32_t Writer;
  int32_t ServerPid;
  int32_t ServerFd;
  uint64_t Id;
  int32_t ReadWrite;
  int32_t Slot;
  /// The pipe is owed a Sync (owe): the new program settles before its
  /// first look that cannot wait, as this one would have.
  int32_t Owed;
  /// PipeEnd::HupAwaitsWriter and WriterOpensAtOpen.
  int32_t HupAwaitsWriter;
  uint32_t WriterOpensAtOpen;
  /// PipeEnd::LocalFd (kept across the exec), or -1.
  int32_t LocalFd;
};
} // namespace

namespace {
/// This process's end at \p Fd as the new program will have it (false: it
/// keeps none there).
bool recordHere(long Fd, ExecRecord &Rec) {
  // Held: the process's other threads go on meanwhile (an exec's of a
  // threaded process), and an end one of them closed went with its ring
  // under this loop.
  PipeEnd *E = pipes().hold(Fd, PipeCalls::release);
  if (!E)
    return false;
  struct Release {
    PipeEnd *E;
    ~Release() { PipeCalls::release(E); }
  } Held{E};
  if (hostCall(SYS_fcntl, Fd, F_GETFD) & FD_CLOEXEC)
    return false;
  Rec = ExecRecord{int32_t(Fd),
                   E->Writer,
                   E->ServerPid,
                   E->ServerFd,
                   E->Id,
                   E->ReadWrite,
                   E->Slot,
                   owed(E->Id),
                   E->HupAwaitsWriter,
                   E->WriterOpensAtOpen,
                   E->LocalFd};
  if (PipeRing *R = ring(*E)) {
    // The server records where it keeps the memfd when it takes the
    // pipe; a pipe made just now may not be taken yet.
    PipeCalls::taken(*E);
    Rec.ServerPid = R->ServerPid.load();
    Rec.ServerFd = R->ServerFd.load();
  }
  return true;
}

/// The same for a posix_spawn child, from what its host descriptor at \p Fd
/// is (its placeholder's tag), not from the tables of the memory it shares
/// with its parent: the parent's other threads may have closed that number
/// since the clone and made another pipe there, whose end the child never
/// had (8 threads spawning `cat` with piped stdio: a child read another's
/// input as its locale file, battery 29). \p Synced: a Sync was asked.
bool recordInChild(SpawnView &View, long Fd, bool &Synced, ExecRecord &Rec) {
  if (!View.keeps(Fd))
    return false;
  PipeTag Tag;
  long E = PipeClient::peekTag(Fd, Tag);
  if (E == -EAGAIN && !Synced) {
    // A placeholder whose pipe the server has not taken yet, or a host
    // socket with nothing to read: once the server caught up, the tag is
    // there if it is an end.
    PipeClient::sync();
    Synced = true;
    E = PipeClient::peekTag(Fd, Tag);
  }
  if (E != 0)
    return false;
  Rec = ExecRecord{int32_t(Fd),
                   Tag.Writes && !Tag.Reads,
                   Tag.ServerPid,
                   Tag.ServerFd,
                   Tag.Id,
                   Tag.Reads && Tag.Writes,
                   Tag.Slot,
                   owed(Tag.Id),
                   0,
                   0,
                   -1};
  // Its parent's own copy of the ring, if it pinned one (the child shares
  // its descriptors' numbers up there: inherited at the clone).
  for (long Other = 0, End = pipes().end(); Other < End; ++Other)
    if (PipeEnd *P = pipes().get(Other); P && P->Id == Tag.Id) {
      Rec.LocalFd = P->LocalFd;
      break;
    }
  return true;
}
} // namespace

void PipeCalls::beforeExec() {
  SpawnView *View = SpawnView::current();
  if (!View && pipes().count() == 0)
    return;
  // Made at the first end to hand on (most spawns hand on none), and
  // close-on-exec until its dup2 to PipeStateFd: at its low number meanwhile
  // it is no descriptor the program keeps (keeps(), F_GETFD).
  long Mem = -1;
  long At = 0;
  bool Synced = false;
  for (long Fd = 0, End = View ? View->keptEnd() : pipes().end(); Fd < End;
       ++Fd) {
    ExecRecord Rec;
    if (View ? !recordInChild(*View, Fd, Synced, Rec) : !recordHere(Fd, Rec))
      continue;
    static const char Name[] = "k42-pipe-exec-state";
    if (Mem < 0 &&
        isError(Mem = hostCall(SYS_memfd_create, reinterpret_cast<long>(Name),
                               MFD_CLOEXEC)))
      return;
    (void)OwnMemfd::write(Mem, &Rec, sizeof(Rec), uint64_t(At));
    At += sizeof(Rec);
  }
  // No end to hand on: no state (the new program's start() finds none).
  if (Mem < 0)
    return;
  OwnMemfd::moveTo(Mem, PipeStateFd);
}

void PipeCalls::pinRings() {
  if (SpawnView::current() || pipes().count() == 0)
    return;
  for (long Fd = 0, End = pipes().end(); Fd < End; ++Fd) {
    PipeEnd *E = pipes().hold(Fd, PipeCalls::release);
    if (!E)
      continue;
    struct Release {
      PipeEnd *E;
      ~Release() { PipeCalls::release(E); }
    } Held{E};
    if (E->LocalFd >= 0)
      continue;
    PipeRing *R = ring(*E);
    if (!R)
      continue;
    PipeCalls::taken(*E);
    long Mem = PipeClient::openServers(R->ServerPid.load(), R->ServerFd.load());
    if (isError(Mem))
      continue;
    // Kept across exec: not close-on-exec.
    long Local =
        FdLimit::copyHigh(Mem, F_DUPFD, KernelConnection::FirstPrivateFd);
    (void)hostCall(SYS_close, Mem);
    int32_t Expected = -1;
    if (!isError(Local) &&
        !__atomic_compare_exchange_n(&E->LocalFd, &Expected, int32_t(Local),
                                     false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
      (void)hostCall(SYS_close, Local); // another thread's came first
  }
}

void PipeCalls::execFailed() {
  char Link[64];
  static const char Self[] = "/proc/self/fd/1007";
  long N = hostCall(SYS_readlink, reinterpret_cast<long>(Self),
                    reinterpret_cast<long>(Link), sizeof(Link) - 1);
  if (N > 0 && std::strncmp(Link, "/memfd:k42-pipe-exec-state", 26) == 0)
    (void)hostCall(SYS_close, PipeStateFd);
}

void PipeCalls::start() {
  // Most programs start with no pipe ends handed on: one fcntl says so
  // (EBADF), where the readlink below walks /proc.
  if (hostCall(SYS_fcntl, PipeStateFd, F_GETFD) < 0)
    return;
  char Link[64];
  static const char Self[] = "/proc/self/fd/1007";
  long N = hostCall(SYS_readlink, reinterpret_cast<long>(Self),
                    reinterpret_cast<long>(Link), sizeof(Link) - 1);
  if (N < 0)
    return;
  Link[N] = 0;
  if (std::strncmp(Link, "/memfd:k42-pipe-exec-state", 26) != 0)
    return;
  ExecRecord Rec;
  for (long At = 0;
       hostCall(SYS_pread64, PipeStateFd, reinterpret_cast<long>(&Rec),
                sizeof(Rec), At) == sizeof(Rec);
       At += sizeof(Rec)) {
    auto *E = PipeTable::makeEnd();
    if (!E)
      break;
    E->Writer = Rec.Writer;
    E->ReadWrite = Rec.ReadWrite;
    E->Slot = Rec.Slot;
    E->HupAwaitsWriter = Rec.HupAwaitsWriter;
    E->WriterOpensAtOpen = Rec.WriterOpensAtOpen;
    E->ServerPid = Rec.ServerPid;
    E->ServerFd = Rec.ServerFd;
    E->Id = Rec.Id;
    E->LocalFd = Rec.LocalFd;
    if (!pipes().install(Rec.Fd, E)) {
      PipeTable::recycle(E);
      continue;
    }
    if (Rec.Owed)
      owe(Rec.Id);
  }
  (void)hostCall(SYS_close, PipeStateFd);
}

//===-- The handlers
//-------------------------------------------------------===//

long k42::personality::sys::pipe(SyscallCall &Call) {
  return makePipe(Call, Call.Arg[0], 0);
}
long k42::personality::sys::pipe2(SyscallCall &Call) {
  return makePipe(Call, Call.Arg[0], Call.Arg[1]);
}

long k42::personality::sys::ioctl(SyscallCall &Call) {
  HeldPipe End(Call.Arg[0]);
  if (!End) {
    // A K42 file's placeholder is a memfd: never the host's ioctl.
    if (HeldFile F;
        FileDispatch::fd(Call.Arg[0], F) == FileDispatch::FdKind::File)
      return FileDispatch::pathOnly(*F)
                 ? -EBADF
                 : FileControl::ioctl(*F, Call.Arg[1], Call.Arg[2],
                                      Call.Arg[1] == FIOCLEX ||
                                              Call.Arg[1] == FIONCLEX
                                          ? passToHost(Call)
                                          : 0);
    return passToHost(Call);
  }
  switch (Call.Arg[1]) {
  case FIONREAD: {
    PipeRing *R = ring(*End);
    if (!R)
      return -EIO;
    R->Lock.lock();
    int N = int(R->used());
    R->Lock.unlock();
    return UserMemory::copyOut(reinterpret_cast<void *>(Call.Arg[2]), &N,
                               sizeof(N));
  }
  case FIONBIO: {
    int On;
    if (UserMemory::copyIn(&On, reinterpret_cast<void *>(Call.Arg[2]),
                           sizeof(On)) < 0)
      return -EFAULT;
    PipeRing *R = ring(*End);
    if (!R)
      return -EIO;
    if (On)
      flagsOf(*R, *End).fetch_or(O_NONBLOCK);
    else
      flagsOf(*R, *End).fetch_and(~uint32_t(O_NONBLOCK));
    return 0;
  }
  case FIOCLEX:
  case FIONCLEX:
    return passToHost(Call);
  default:
    return -ENOTTY;
  }
}
