//===- servers/pipe/PipeServerMain.cpp - k42-pipe-server ------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The pipe server: `k42-pipe-server`, started at boot (linux.boot).
///
//===----------------------------------------------------------------------===//

#include "PipeServer.h"

int main(int Argc, char **Argv) {
  return k42::pipe::pipeServerMain(Argc, Argv);
}
