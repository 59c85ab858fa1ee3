//===- servers/linux-process/LinuxProcessMain.cpp - k42-linux-process -----===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The Linux process server, started at boot by linux.boot.
///
//===----------------------------------------------------------------------===//

#include "ProcessServerMain.h"

int main(int Argc, char **Argv) {
  return k42::linuxproc::processServerMain(Argc, Argv);
}
