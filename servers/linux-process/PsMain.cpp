//===- servers/linux-process/PsMain.cpp - k42-linux-ps --------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The running system's Linux process tree, as its server holds it.
///
//===----------------------------------------------------------------------===//

#include "ProcessServerMain.h"

int main(int Argc, char **Argv) { return k42::linuxproc::psMain(Argc, Argv); }
