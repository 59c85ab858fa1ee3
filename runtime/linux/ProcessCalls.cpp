//===- runtime/linux/ProcessCalls.cpp - getpid and friends ----------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The identity calls K42 answers, and K42's null call. They prove the path:
/// a program's getpid reaches K42's answer whether it branched to the table
/// or was trapped. The values equal the host's until the Linux process
/// server hands out K42 pids.
///
//===----------------------------------------------------------------------===//

#include "k42/personality/Handlers.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/ProcessState.h"

#include <sys/syscall.h>

using namespace k42::personality;

long sys::getpid(SyscallCall &) { return ProcessState::pid(); }

long sys::getppid(SyscallCall &) { return hostCall(SYS_getppid); }

long sys::gettid(SyscallCall &) { return hostCall(SYS_gettid); }

long sys::k42_null(SyscallCall &) { return K42NullMagic; }
