//===- servers/pipe/HostWriterPump.cpp - Host writes into a ring ----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "HostWriterPump.h"

#include "k42/personality/PipeRing.h"

#include <cerrno>
#include <climits>
#include <cstring>
#include <ctime>
#include <vector>

#include <linux/futex.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

using namespace k42::pipe;
using k42::personality::PipeRing;

namespace {
/// How long a wait for room sleeps before it looks at Stopping again.
constexpr long WaitNs = 200'000'000;

long copyLocal(void *To, const void *From, size_t Length) {
  std::memcpy(To, From, Length);
  return 0;
}

/// Whether every descriptor of the other side is closed (a recv of 0 is
/// also what an empty record reads as).
bool hungUp(int Fd) {
  pollfd P{Fd, POLLRDHUP, 0};
  return poll(&P, 1, 0) == 1 && (P.revents & (POLLRDHUP | POLLHUP));
}

/// Puts \p Length bytes in the ring as the personality's write does: a
/// record of at most PIPE_BUF bytes whole, a larger one in pieces as room
/// comes. False if the readers went or the server stops first.
bool put(PipeRing &R, const char *Bytes, size_t Length,
         const std::atomic<bool> &Stopping, HostWriterPump::Ended &Why) {
  size_t Done = 0;
  while (Done < Length) {
    uint32_t Seen = R.Seq.load();
    if (R.ReadersGone.load()) {
      Why = HostWriterPump::Ended::ReadersGone;
      return false;
    }
    if (Stopping.load()) {
      Why = HostWriterPump::Ended::Stopped;
      return false;
    }
    R.Lock.lock();
    if (size_t N = R.fits(Length, Done)) {
      (void)R.put(Bytes + Done, N, copyLocal);
      R.Lock.unlock();
      Done += N;
      HostWriterPump::wakeSleepers(R);
      continue;
    }
    R.Lock.unlock();
    timespec Limit{0, WaitNs};
    R.Sleepers.fetch_add(1);
    syscall(SYS_futex, &R.Seq, FUTEX_WAIT, Seen, &Limit, nullptr, 0);
    R.Sleepers.fetch_sub(1);
  }
  return true;
}
} // namespace

void HostWriterPump::wakeSleepers(PipeRing &R) {
  R.Seq.fetch_add(1);
  if (R.Sleepers.load())
    syscall(SYS_futex, &R.Seq, FUTEX_WAKE, INT_MAX, nullptr, nullptr, 0);
}

HostWriterPump::Ended HostWriterPump::run(int Fd, PipeRing &R,
                                          const std::atomic<bool> &Stopping) {
  std::vector<char> Record;
  Ended Why = Ended::WritersGone;
  for (;;) {
    if (Stopping.load())
      return Ended::Stopped;
    // A SEQPACKET record read into less than its length loses the rest:
    // its length first (the peek waits for one, or for the hang-up).
    ssize_t Length = recv(Fd, nullptr, 0, MSG_PEEK | MSG_TRUNC);
    // ECONNRESET: the writers closed the placeholder with our tag unread
    // in it (PipeTag); the error is reported once, before the records.
    if (Length < 0 && (errno == EINTR || errno == ECONNRESET))
      continue;
    if (Length < 0)
      return Ended::WritersGone; // shut down by stop(), or no socket
    if (Length == 0 && hungUp(Fd)) {
      // Records sent before the last close are read before the hang-up
      // is reported: none is left.
      return Ended::WritersGone;
    }
    Record.resize(Length ? size_t(Length) : 1);
    // Counted from before it leaves the socket until it is in the ring:
    // a personality writer that must come after it waits for both
    // (PipeCalls' afterHostRecords).
    R.PumpPending.fetch_add(1);
    ssize_t Got = recv(Fd, Record.data(), Record.size(), MSG_DONTWAIT);
    int Error = Got < 0 ? errno : 0;
    bool Put = Got <= 0 || put(R, Record.data(), size_t(Got), Stopping, Why);
    R.PumpPending.fetch_sub(1);
    wakeSleepers(R);
    if (Error == EINTR || Error == EAGAIN || Error == ECONNRESET)
      continue;
    if (Got < 0)
      return Ended::WritersGone;
    if (!Put)
      return Why;
  }
}
