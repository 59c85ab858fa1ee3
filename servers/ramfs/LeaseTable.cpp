//===- servers/ramfs/LeaseTable.cpp - Single-client leases ----------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "LeaseTable.h"

#include <algorithm>

using namespace k42;
using namespace k42::ramfs;

bool LeaseTable::takeLease(File &F, ProcessId Pid, Badge &Holder,
                           uint32_t &Id) {
  if (!F.Lease || F.Holder.Pid == Pid)
    return false;
  Holder = F.Holder;
  Id = F.Lease;
  F.Lease = 0;
  return true;
}

void LeaseTable::send(const Badge &Holder, uint32_t Id) {
  // Outside Lock: a notification never waits for its client, and a slow
  // sender must not hold up opens of other files.
  if (Notify)
    (void)Notify(Holder, Id);
  std::lock_guard<std::mutex> Guard(Lock);
  ++Revoked;
}

uint32_t LeaseTable::opened(uint64_t Ino, const Badge &Caller, bool WantLease,
                            bool PathOnly) {
  Badge Holder;
  uint32_t Old = 0, Granted = 0;
  bool Revoke = false;
  {
    std::lock_guard<std::mutex> Guard(Lock);
    File &F = Files[Ino];
    F.Openers[Caller.Pid] = Caller;
    if (PathOnly) {
      ++F.PathOpens[Caller.Pid];
      return 0;
    }
    Revoke = takeLease(F, Caller.Pid, Holder, Old);
    ++F.Opens[Caller.Pid];
    if (WantLease && F.Opens.size() == 1) {
      if (!F.Lease) {
        F.Lease = NextLease++;
        if (NextLease == 0) // 0 is no lease.
          NextLease = 1;
        F.Holder = Caller;
      }
      Granted = F.Lease;
    }
  }
  if (Revoke)
    send(Holder, Old);
  return Granted;
}

void LeaseTable::closed(uint64_t Ino, ProcessId Pid, bool PathOnly) {
  std::lock_guard<std::mutex> Guard(Lock);
  auto It = Files.find(Ino);
  if (It == Files.end())
    return;
  File &F = It->second;
  auto &Counts = PathOnly ? F.PathOpens : F.Opens;
  auto Open = Counts.find(Pid);
  if (Open == Counts.end() || --Open->second)
    return;
  Counts.erase(Open);
  if (!F.Opens.count(Pid) && !F.PathOpens.count(Pid))
    F.Openers.erase(Pid);
  if (!PathOnly && F.Lease && F.Holder.Pid == Pid)
    F.Lease = 0;
  if (F.Opens.empty() && F.PathOpens.empty())
    Files.erase(It);
}

void LeaseTable::changed(uint64_t Ino, const Badge &Caller) {
  Badge Holder;
  uint32_t Old = 0;
  bool Revoke;
  {
    std::lock_guard<std::mutex> Guard(Lock);
    auto It = Files.find(Ino);
    if (It == Files.end())
      return;
    Revoke = takeLease(It->second, Caller.Pid, Holder, Old);
  }
  if (Revoke)
    send(Holder, Old);
}

void LeaseTable::revoke(uint64_t Ino) {
  Badge Holder;
  uint32_t Old = 0;
  {
    std::lock_guard<std::mutex> Guard(Lock);
    auto It = Files.find(Ino);
    if (It == Files.end() || !It->second.Lease)
      return;
    Holder = It->second.Holder;
    Old = It->second.Lease;
    It->second.Lease = 0;
  }
  send(Holder, Old);
}

void LeaseTable::tellOpeners(uint64_t Ino, std::vector<ProcessId> &Told) {
  std::vector<Badge> Tell;
  {
    std::lock_guard<std::mutex> Guard(Lock);
    auto It = Files.find(Ino);
    if (It == Files.end())
      return;
    for (auto &[Pid, Who] : It->second.Openers) {
      if (std::find(Told.begin(), Told.end(), Pid) != Told.end())
        continue;
      Told.push_back(Pid);
      Tell.push_back(Who);
      // Its leases go with the notification: the count it was granted at
      // has moved.
      for (auto &[OtherIno, Other] : Files)
        if (Other.Lease && Other.Holder.Pid == Pid)
          Other.Lease = 0;
    }
  }
  for (const Badge &Who : Tell)
    send(Who, 0);
}

void LeaseTable::forget(ProcessId Pid) {
  std::lock_guard<std::mutex> Guard(Lock);
  for (auto It = Files.begin(); It != Files.end();) {
    File &F = It->second;
    F.Opens.erase(Pid);
    F.PathOpens.erase(Pid);
    F.Openers.erase(Pid);
    if (F.Lease && F.Holder.Pid == Pid)
      F.Lease = 0;
    if (F.Opens.empty() && F.PathOpens.empty())
      It = Files.erase(It);
    else
      ++It;
  }
}

uint32_t LeaseTable::lease(uint64_t Ino) {
  std::lock_guard<std::mutex> Guard(Lock);
  auto It = Files.find(Ino);
  return It == Files.end() ? 0 : It->second.Lease;
}

size_t LeaseTable::openers(uint64_t Ino) {
  std::lock_guard<std::mutex> Guard(Lock);
  auto It = Files.find(Ino);
  if (It == Files.end())
    return 0;
  size_t N = It->second.Opens.size();
  for (auto &[Pid, Count] : It->second.PathOpens)
    N += It->second.Opens.count(Pid) ? 0 : 1;
  return N;
}

uint64_t LeaseTable::revocations() {
  std::lock_guard<std::mutex> Guard(Lock);
  return Revoked;
}
