//===- servers/ramfs/RamClock.cpp - ramfs's file times ----------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "RamClock.h"

#include <atomic>
#include <cstdint>

using namespace k42::ramfs;

namespace {

constexpr int64_t NsPerSec = 1000000000;

/// The latest fine time handed out, in nanoseconds (Linux's ctime floor).
std::atomic<int64_t> Floor{0};

int64_t toNs(const timespec &T) {
  return int64_t(T.tv_sec) * NsPerSec + T.tv_nsec;
}

timespec fromNs(int64_t Ns) {
  return {time_t(Ns / NsPerSec), long(Ns % NsPerSec)};
}

int64_t clockNs(clockid_t Id) {
  timespec T;
  clock_gettime(Id, &T);
  return toNs(T);
}

int64_t coarseNs() {
  int64_t Now = clockNs(CLOCK_REALTIME_COARSE);
  int64_t Low = Floor.load(std::memory_order_acquire);
  return Now > Low ? Now : Low;
}

/// A fine time, raised into the floor (or the later one another thread
/// put there first, which is just as new).
int64_t fineNs() {
  int64_t Now = clockNs(CLOCK_REALTIME);
  int64_t Low = Floor.load(std::memory_order_acquire);
  while (Now > Low)
    if (Floor.compare_exchange_weak(Low, Now, std::memory_order_acq_rel))
      return Now;
  return Low;
}

} // namespace

timespec RamClock::coarse() { return fromNs(coarseNs()); }

timespec RamClock::changed(RamInode &N, bool Modified) {
  int64_t Now = coarseNs();
  int64_t Ctime = N.Attr.CtimeSec * NsPerSec + N.Attr.CtimeNsec;
  if (N.TimesQueried.exchange(false, std::memory_order_acq_rel) && Now <= Ctime)
    Now = fineNs();
  timespec T = fromNs(Now);
  N.Attr.CtimeSec = T.tv_sec;
  N.Attr.CtimeNsec = T.tv_nsec;
  if (Modified) {
    N.Attr.MtimeSec = T.tv_sec;
    N.Attr.MtimeNsec = T.tv_nsec;
  }
  return T;
}

void RamClock::queried(RamInode &N) {
  N.TimesQueried.store(true, std::memory_order_release);
}

void RamClock::accessed(RamInode &N) {
  int64_t Atime = N.Attr.AtimeSec * NsPerSec + N.Attr.AtimeNsec;
  int64_t Mtime = N.Attr.MtimeSec * NsPerSec + N.Attr.MtimeNsec;
  int64_t Ctime = N.Attr.CtimeSec * NsPerSec + N.Attr.CtimeNsec;
  timespec T = fromNs(coarseNs());
  constexpr time_t Day = 24 * 60 * 60;
  if (Atime > Mtime && Atime > Ctime && T.tv_sec - N.Attr.AtimeSec < Day)
    return;
  N.Attr.AtimeSec = T.tv_sec;
  N.Attr.AtimeNsec = T.tv_nsec;
}
