//===- runtime/lib/Processor.cpp - Whose processor ------------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/ipc/Processor.h"


namespace k42 {

ProcessorScope::ProcessorScope(uint32_t Processor)
    : Saved(detail::ServingProcessor) {
  detail::ServingProcessor = Processor;
}

ProcessorScope::~ProcessorScope() { detail::ServingProcessor = Saved; }

} // namespace k42
