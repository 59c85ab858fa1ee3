//===- runtime/linux/HeldFile.cpp - A K42 file a call holds ---------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/HeldFile.h"

#include "k42/personality/FileState.h"
#include "k42/personality/SpawnView.h"

using namespace k42::personality;

HeldFile::HeldFile(long Fd) { hold(Fd); }

HeldFile::~HeldFile() {
  if (File)
    FileState::releaseFile(File);
}

bool HeldFile::hold(long Fd) {
  if (File)
    FileState::releaseFile(File);
  if (SpawnView *V = SpawnView::current())
    File = V->holdFile(Fd);
  else
    File = FdTable::process().hold(Fd, FileState::releaseFile);
  return File != nullptr;
}
