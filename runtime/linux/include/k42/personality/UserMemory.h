//===- k42/personality/UserMemory.h - Checked copies ------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Copies between the personality and memory a caller named in a system
/// call. A handler runs in the caller's own process, so a bad pointer would
/// fault the personality, not return EFAULT; these copies go through the
/// host (process_vm_readv/writev on the calling thread), which checks the
/// address and answers EFAULT as the kernel would have.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_USERMEMORY_H
#define K42_PERSONALITY_USERMEMORY_H

#include <cstddef>

namespace k42::personality {

/// Checked copies in and out of the caller's memory.
class UserMemory {
public:
  /// Copies \p Length bytes from the caller's \p From; 0 or -EFAULT.
  static long copyIn(void *To, const void *From, size_t Length);
  /// Copies \p Length bytes to the caller's \p To; 0 or -EFAULT.
  static long copyOut(void *To, const void *From, size_t Length);
};

} // namespace k42::personality

#endif // K42_PERSONALITY_USERMEMORY_H
