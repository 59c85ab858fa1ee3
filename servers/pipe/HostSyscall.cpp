//===- servers/pipe/HostSyscall.cpp - The gate's call, in a server --------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A ring's lock is the personality's GateLock (GateLock.cpp, shared so
/// the server and the processes lock it the same way), whose futex calls
/// go through k42_host_syscall: in a personality process, the one call
/// site trap reflection lets through. The server runs no personality, so
/// here it is a plain system call.
///
//===----------------------------------------------------------------------===//

#include "k42/personality/HostCall.h"

#include <cerrno>

#include <unistd.h>

extern "C" long k42_host_syscall(long Number, long A0, long A1, long A2,
                                 long A3, long A4, long A5) {
  long R = syscall(Number, A0, A1, A2, A3, A4, A5);
  return R == -1 ? -errno : R;
}
