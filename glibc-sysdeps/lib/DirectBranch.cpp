//===- glibc-sysdeps/lib/DirectBranch.cpp - Calls without a trap ----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/DirectBranch.h"

extern "C" [[gnu::visibility("default")]] long
k42_syscall(long Number, long A0, long A1, long A2, long A3, long A4, long A5) {
  return k42::personality::directCall(Number, A0, A1, A2, A3, A4, A5);
}
