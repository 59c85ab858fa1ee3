//===- runtime/linux/HeldPipe.cpp - A K42 pipe end a call holds -----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/HeldPipe.h"

#include "k42/personality/PipeCalls.h"
#include "k42/personality/SpawnView.h"

using namespace k42::personality;

HeldPipe::HeldPipe(long Fd) { hold(Fd); }

HeldPipe::~HeldPipe() {
  if (End)
    PipeCalls::release(End);
}

bool HeldPipe::hold(long Fd) {
  if (End)
    PipeCalls::release(End);
  End = PipeCalls::hold(Fd);
  return End != nullptr;
}
