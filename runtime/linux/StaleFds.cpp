//===- runtime/linux/StaleFds.cpp - Entries a close left behind -----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/StaleFds.h"

#include "k42/personality/FdTable.h"
#include "k42/personality/FileState.h"
#include "k42/personality/PipeCalls.h"
#include "k42/personality/PipeTable.h"
#include "k42/personality/SpawnView.h"

using namespace k42::personality;

void StaleFds::drop(long Fd) {
  PipeTable &Pipes = PipeTable::process();
  FdTable &Files = FdTable::process();
  if (!Pipes.get(Fd) && !Files.get(Fd))
    return;
  if (SpawnView::current())
    return;
  if (PipeEnd *Old = Pipes.remove(Fd))
    PipeCalls::release(Old);
  if (OpenFile *Old = Files.remove(Fd))
    FileState::releaseFile(Old);
}
