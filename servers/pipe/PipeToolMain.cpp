//===- servers/pipe/PipeToolMain.cpp - k42-pipe ---------------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// `k42-pipe [list]`: the running system's pipes, from the pipe server.
///
//===----------------------------------------------------------------------===//

#include "PipeServer.h"

int main(int Argc, char **Argv) { return k42::pipe::pipeToolMain(Argc, Argv); }
