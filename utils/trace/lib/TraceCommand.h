//===- utils/trace/lib/TraceCommand.h - k42-trace commands ------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The commands of `k42-trace` (and `utils/k42 trace`), as a library the
/// thin main calls:
///
///   k42-trace [--socket PATH | --region FILE] start|stop|status
///   k42-trace [...] dump [--json FILE] [--no-summary]
///   k42-trace [...] mark TEXT [--count N]
///
//===----------------------------------------------------------------------===//

#ifndef K42_UTILS_TRACE_TRACECOMMAND_H
#define K42_UTILS_TRACE_TRACECOMMAND_H

namespace k42::tracetool {

/// Runs the command line \p Argv; returns the process exit status.
int runTraceCommand(int Argc, char **Argv);

} // namespace k42::tracetool

#endif // K42_UTILS_TRACE_TRACECOMMAND_H
