//===- utils/swap/tool/SwapMain.cpp - k42-swap ----------------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// k42-swap: hot swap and dynamic upgrade of a running system's clustered
/// objects from the command line (utils/swap/README.md).
///
//===----------------------------------------------------------------------===//

#include "SwapCommand.h"

int main(int Argc, char **Argv) {
  return k42::swaptool::runSwapCommand(
      std::vector<std::string>(Argv + 1, Argv + Argc), stdout, stderr);
}
