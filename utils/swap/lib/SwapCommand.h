//===- utils/swap/lib/SwapCommand.h - k42-swap ------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// What `utils/k42 swap` does: lists the swappable objects of every process
/// of a running system, swaps one to another implementation, or asks every
/// process for a lazy upgrade of a class (utils/swap/README.md).
///
//===----------------------------------------------------------------------===//

#ifndef K42_UTILS_SWAP_SWAPCOMMAND_H
#define K42_UTILS_SWAP_SWAPCOMMAND_H

#include <cstdio>
#include <string>
#include <vector>

namespace k42::swaptool {

/// Runs the command \p Args (without the program name), printing results
/// to \p Out and errors to \p Err; returns the exit status (0 done, 1
/// refused or failed, 2 usage).
int runSwapCommand(const std::vector<std::string> &Args, std::FILE *Out,
                   std::FILE *Err);

} // namespace k42::swaptool

#endif // K42_UTILS_SWAP_SWAPCOMMAND_H
