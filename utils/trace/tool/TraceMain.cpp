//===- utils/trace/tool/TraceMain.cpp - k42-trace -------------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// k42-trace: switch a K42 system's tracing on and off, and dump what it
/// recorded (utils/trace/README.md).
///
//===----------------------------------------------------------------------===//

#include "TraceCommand.h"

int main(int Argc, char **Argv) {
  return k42::tracetool::runTraceCommand(Argc, Argv);
}
