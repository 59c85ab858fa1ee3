//===- servers/name/NameServer.cpp - The name table -----------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "NameServer.h"

namespace k42::name {

static bool isPath(std::string_view Path) {
  return Path.size() > 1 && Path.size() < 96 && Path[0] == '/' &&
         Path.find('\0') == std::string_view::npos;
}

k42::Status NameServer::publish(std::string_view Path,
                                const k42::Badge &Caller) {
  if (!isPath(Path))
    return k42::Status::error(EINVAL);
  std::lock_guard<std::mutex> Guard(Lock);
  auto [It, Inserted] = Paths.try_emplace(std::string(Path), Caller.Pid);
  if (!Inserted && It->second != Caller.Pid)
    return k42::Status::error(EEXIST);
  return k42::Status::ok();
}

k42::Status NameServer::withdraw(std::string_view Path,
                                 const k42::Badge &Caller) {
  std::lock_guard<std::mutex> Guard(Lock);
  auto It = Paths.find(Path);
  if (It == Paths.end())
    return k42::Status::error(ENOENT);
  if (It->second != Caller.Pid)
    return k42::Status::error(EPERM);
  Paths.erase(It);
  return k42::Status::ok();
}

k42::Status NameServer::resolve(std::string_view Path, uint32_t &Server) {
  std::lock_guard<std::mutex> Guard(Lock);
  auto It = Paths.find(Path);
  if (It == Paths.end())
    return k42::Status::error(ENOENT);
  Server = It->second;
  return k42::Status::ok();
}

void NameServer::forget(ProcessId Pid) {
  std::lock_guard<std::mutex> Guard(Lock);
  std::erase_if(Paths, [&](const auto &Entry) { return Entry.second == Pid; });
}

} // namespace k42::name
