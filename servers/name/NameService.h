//===- servers/name/NameService.h - The name server's interface -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The name server maps paths such as /services/hello to the K42 process
/// that serves them. A server publishes its paths; a client resolves a path
/// and asks the kernel for a channel to that process. Who publishes is the
/// caller's badge, so a server can only publish or withdraw names for
/// itself.
///
//===----------------------------------------------------------------------===//

#ifndef K42_SERVERS_NAME_NAMESERVICE_H
#define K42_SERVERS_NAME_NAMESERVICE_H

#include <k42/idl.h>

#include <cstdint>
#include <string_view>

namespace k42::name {

class K42_EXPORT K42_RIGHTS(resolve, publish) K42_DEFAULT_REQUIRES(resolve)
    K42_VERSION(1) NameService {
public:
  virtual ~NameService() = default;

  /// Serves \p Path from the calling process (EEXIST if another does).
  K42_REQUIRES(publish)
  virtual k42::Status publish(std::string_view Path,
                              K42_CALLER const k42::Badge &Caller) = 0;

  /// Stops serving \p Path (EPERM unless the caller published it).
  K42_REQUIRES(publish)
  virtual k42::Status withdraw(std::string_view Path,
                               K42_CALLER const k42::Badge &Caller) = 0;

  /// The K42 process id serving \p Path (ENOENT if none).
  virtual k42::Status resolve(std::string_view Path, uint32_t &Server) = 0;
};

} // namespace k42::name

#endif // K42_SERVERS_NAME_NAMESERVICE_H
