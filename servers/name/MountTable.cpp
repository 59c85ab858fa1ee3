//===- servers/name/MountTable.cpp - The mount-point table ----------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "MountTable.h"

#include <cstring>

using namespace k42;
using namespace k42::name;

bool MountTable::isCanonical(std::string_view Path) {
  if (Path.empty() || Path.front() != '/' || Path.size() >= MountPathCapacity ||
      Path.find('\0') != std::string_view::npos)
    return false;
  if (Path == "/")
    return true;
  if (Path.back() == '/')
    return false;
  for (size_t I = 1; I <= Path.size();) {
    size_t J = Path.find('/', I);
    if (J == std::string_view::npos)
      J = Path.size();
    std::string_view C = Path.substr(I, J - I);
    if (C.empty() || C == "." || C == "..")
      return false;
    I = J + 1;
  }
  return true;
}

Status MountTable::mount(std::string_view Path, std::string_view Object,
                         uint32_t Flags, const Badge &Caller) {
  if (!isCanonical(Path) || Object.empty() ||
      Object.size() >= MountObjectCapacity ||
      Object.find('\0') != std::string_view::npos)
    return Status::error(EINVAL);
  MountEntry E = {};
  std::memcpy(E.Path, Path.data(), Path.size());
  std::memcpy(E.Object, Object.data(), Object.size());
  E.Server = Caller.Pid;
  E.Flags = Flags;
  std::unique_lock<std::mutex> Guard(Lock);
  auto [It, Inserted] = Mounts.try_emplace(std::string(Path), E);
  if (!Inserted) {
    if (It->second.Server != Caller.Pid)
      return Status::error(EBUSY);
    It->second = E;
  }
  Version.fetch_add(1, std::memory_order_release);
  Guard.unlock();
  changed();
  return Status::ok();
}

Status MountTable::unmount(std::string_view Path, const Badge &Caller) {
  std::unique_lock<std::mutex> Guard(Lock);
  auto It = Mounts.find(Path);
  if (It == Mounts.end())
    return Status::error(EINVAL);
  if (It->second.Server != Caller.Pid)
    return Status::error(EPERM);
  Mounts.erase(It);
  Version.fetch_add(1, std::memory_order_release);
  Guard.unlock();
  changed();
  return Status::ok();
}

Status MountTable::version(uint64_t &V) {
  V = Version.load(std::memory_order_acquire);
  return Status::ok();
}

Status MountTable::list(std::vector<MountEntry> &Entries, uint64_t &V) {
  std::lock_guard<std::mutex> Guard(Lock);
  Entries.clear();
  for (auto &[Path, E] : Mounts)
    Entries.push_back(E);
  V = Version.load(std::memory_order_acquire);
  return Status::ok();
}

Status MountTable::watch(uint64_t &V, const Badge &Caller) {
  std::lock_guard<std::mutex> Guard(Lock);
  if (Notify)
    Watchers.insert({Caller.Pid, Caller.Channel});
  // Read under the lock: a change after this is told to the new watcher.
  V = Version.load(std::memory_order_acquire);
  return Status::ok();
}

void MountTable::forget(ProcessId Pid) {
  std::unique_lock<std::mutex> Guard(Lock);
  std::erase_if(Watchers, [&](const auto &W) { return W.first == Pid; });
  if (!std::erase_if(Mounts,
                     [&](const auto &M) { return M.second.Server == Pid; }))
    return;
  Version.fetch_add(1, std::memory_order_release);
  Guard.unlock();
  changed();
}

void MountTable::changed() {
  std::set<std::pair<ProcessId, uint32_t>> Told;
  {
    std::lock_guard<std::mutex> Guard(Lock);
    if (!Notify)
      return;
    Told = Watchers;
  }
  std::vector<std::pair<ProcessId, uint32_t>> Gone;
  for (const auto &[Pid, Channel] : Told) {
    Badge W{};
    W.Pid = Pid;
    W.Channel = Channel;
    if (!Notify(W))
      Gone.push_back({Pid, Channel});
  }
  std::lock_guard<std::mutex> Guard(Lock);
  for (const auto &G : Gone)
    Watchers.erase(G);
}
