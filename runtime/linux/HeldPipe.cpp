//===- runtime/linux/HeldPipe.cpp - A K42 pipe end a call holds -----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/HeldPipe.h"

#include "k42/personality/PipeCalls.h"

using namespace k42::personality;

PipeEnd *HoldPolicy<PipeEnd>::hold(long Fd) { return PipeCalls::hold(Fd); }

void HoldPolicy<PipeEnd>::release(PipeEnd *End) { PipeCalls::release(End); }
