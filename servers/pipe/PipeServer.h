//===- servers/pipe/PipeServer.h - The pipe server's root object -*- C++
//-*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// PipeService over the registry, and the program around both
/// (`k42-pipe-server`, started by linux.boot).
///
//===----------------------------------------------------------------------===//

#ifndef K42_SERVERS_PIPE_PIPESERVER_H
#define K42_SERVERS_PIPE_PIPESERVER_H

#include "PipeRegistry.h"
#include "PipeService.h"

namespace k42::pipe {

/// Answers PipeService from the registry.
class PipeServer : public PipeService {
public:
  explicit PipeServer(PipeRegistry &Registry) : Registry(Registry) {}
  Status stats(uint64_t &Live, uint64_t &Made) override;
  Status list(std::vector<uint64_t> &Pipes) override;
  Status syncs(uint64_t &Answered) override;

private:
  PipeRegistry &Registry;
};

/// The server's main: listens at pipe.sock beside the kernel's socket,
/// publishes /services/pipe, serves until shutdown.
int pipeServerMain(int Argc, char **Argv);

/// `k42-pipe`: prints the live pipes of the running system.
int pipeToolMain(int Argc, char **Argv);

} // namespace k42::pipe

#endif // K42_SERVERS_PIPE_PIPESERVER_H
