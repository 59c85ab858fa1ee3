//===- runtime/include/k42/ipc/Processor.h - Whose processor ----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The processor a thread is working for. In K42 a server runs a call on
/// its caller's processor, so per-processor state the server touches (a
/// clustered object's representative, a per-processor free list) is the
/// caller's processor's. Hosted on Linux, a server's worker may run on
/// another processor than its caller; while it serves a call, this names
/// the caller's processor anyway, so per-processor structures keep K42's
/// meaning.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_IPC_PROCESSOR_H
#define K42_RUNTIME_IPC_PROCESSOR_H

#include <cstdint>

namespace k42 {

/// The caller's processor while this thread serves a call from another
/// process; otherwise the processor this thread runs on.
uint32_t currentProcessor();

/// Makes currentProcessor() answer \p Processor on this thread while it
/// lives (transports put one around each dispatch).
class ProcessorScope {
public:
  explicit ProcessorScope(uint32_t Processor);
  ~ProcessorScope();
  ProcessorScope(const ProcessorScope &) = delete;
  ProcessorScope &operator=(const ProcessorScope &) = delete;

private:
  int64_t Saved;
};

} // namespace k42

#endif // K42_RUNTIME_IPC_PROCESSOR_H
