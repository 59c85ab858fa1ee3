//===- runtime/linux/FdTable.cpp - The process's descriptors --------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/FdTable.h"

#include "k42/personality/FileState.h"
#include "k42/personality/HeldScan.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/PipeCalls.h"
#include "k42/personality/PipeTable.h"

using namespace k42::personality;

namespace {
/// Constant-initialised: no guard variable (and no libc) on first use.
alignas(TableAlign) constinit FdTable TheTable;
} // namespace

FdTable &FdTable::process() { return TheTable; }

void FdTable::forked() {
  forEach([](long, OpenFile *F) {
    F->Server.LeaseRing = nullptr;
    FsBridge::drop(F->Server); // dup'd: the first drop lets go
  });
  if (!RefCount::threaded())
    return; // the forking thread's holds are all there are
  HeldScan Mine;
  Mine.scan();
  DescriptorSlots<OpenFile>::forked(Mine, FileState::releaseFile);
  PipeTable::process().DescriptorSlots<PipeEnd>::forked(Mine,
                                                        PipeCalls::release);
}
