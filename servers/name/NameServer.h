//===- servers/name/NameServer.h - The name table ---------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The name server's implementation: a path -> process table, thread-safe
/// because each client's calls arrive on threads of their own.
///
//===----------------------------------------------------------------------===//

#ifndef K42_SERVERS_NAME_NAMESERVER_H
#define K42_SERVERS_NAME_NAMESERVER_H

#include "NameService.h"

#include <map>
#include <mutex>
#include <string>

namespace k42::name {

/// Paths and who serves them.
class NameServer final : public NameService {
public:
  k42::Status publish(std::string_view Path,
                      const k42::Badge &Caller) override;
  k42::Status withdraw(std::string_view Path,
                       const k42::Badge &Caller) override;
  k42::Status resolve(std::string_view Path, uint32_t &Server) override;

  /// Forgets every path of process \p Pid (it is gone).
  void forget(ProcessId Pid);

private:
  std::mutex Lock;
  std::map<std::string, ProcessId, std::less<>> Paths;
};

} // namespace k42::name

#endif // K42_SERVERS_NAME_NAMESERVER_H
