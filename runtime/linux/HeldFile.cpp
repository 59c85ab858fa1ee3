//===- runtime/linux/HeldFile.cpp - A K42 file a call holds ---------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/HeldFile.h"

#include "k42/personality/FileState.h"
#include "k42/personality/SpawnView.h"

using namespace k42::personality;

OpenFile *HoldPolicy<OpenFile>::hold(long Fd) {
  if (SpawnView *V = SpawnView::current())
    return V->holdFile(Fd);
  return FdTable::process().hold(Fd, FileState::releaseFile);
}

void HoldPolicy<OpenFile>::release(OpenFile *File) {
  FileState::releaseFile(File);
}
