//===- runtime/lib/ThreadExit.h - Per-thread cleanup ------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Runs a function when the calling thread exits. It lives in its own file
/// because a thread_local with a destructor makes Clang guard every
/// thread_local access in the same translation unit, and the call path's
/// per-thread pages must be reachable in one instruction.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_LIB_THREADEXIT_H
#define K42_RUNTIME_LIB_THREADEXIT_H

namespace k42::detail {

/// Calls \p Fn(\p Arg) when the current thread exits (in reverse order of
/// registration).
void atThreadExit(void (*Fn)(void *), void *Arg);

} // namespace k42::detail

#endif // K42_RUNTIME_LIB_THREADEXIT_H
