//===- servers/pipe/PipeService.h - The pipe server's interface -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// What the pipe server answers by PPC: which pipes it holds. Pipes are
/// made over its unix socket instead (PipeClient.h in the personality),
/// because their descriptors have to travel with SCM_RIGHTS, which a PPC
/// page cannot carry; the data never passes through the server at all.
///
//===----------------------------------------------------------------------===//

#ifndef K42_SERVERS_PIPE_PIPESERVICE_H
#define K42_SERVERS_PIPE_PIPESERVICE_H

#include <k42/idl.h>

#include <cstdint>
#include <vector>

namespace k42::pipe {

/// The pipe server's root object, at /services/pipe.
class K42_EXPORT K42_RIGHTS(read) K42_VERSION(1) PipeService {
public:
  virtual ~PipeService() = default;

  /// How many pipes are alive (an end still open somewhere) and how many
  /// were ever made: `k42-pipe` shows them, and tests see that a program's
  /// pipes are K42's.
  K42_REQUIRES(read)
  virtual Status stats(uint64_t &Live, uint64_t &Made) = 0;

  /// Each live pipe: its id, then bytes held, then whether readers and
  /// writers remain (1/0), four numbers per pipe.
  K42_REQUIRES(read)
  virtual Status list(std::vector<uint64_t> &Pipes) = 0;

  /// How many Syncs the server has answered: a process asks one when a
  /// close of its own must show before it next uses a pipe (EOF, EPIPE:
  /// runtime/linux/PipeCalls.cpp), a round trip each, so `k42-pipe` shows
  /// the count and tests see which closes asked none.
  K42_REQUIRES(read)
  virtual Status syncs(uint64_t &Answered) = 0;
};

} // namespace k42::pipe

#endif // K42_SERVERS_PIPE_PIPESERVICE_H
