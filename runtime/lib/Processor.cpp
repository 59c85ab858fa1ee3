//===- runtime/lib/Processor.cpp - Whose processor ------------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/ipc/Processor.h"

#include <sched.h>

namespace k42 {
namespace {

/// The processor this thread serves for, or -1 when it serves nobody.
thread_local int64_t Serving = -1;

} // namespace

uint32_t currentProcessor() {
  if (Serving >= 0)
    return uint32_t(Serving);
  int Cpu = sched_getcpu();
  return Cpu < 0 ? 0 : uint32_t(Cpu);
}

ProcessorScope::ProcessorScope(uint32_t Processor) : Saved(Serving) {
  Serving = Processor;
}

ProcessorScope::~ProcessorScope() { Serving = Saved; }

} // namespace k42
