//===- servers/ramfs/RamInode.cpp - A file's inode ------------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "RamInode.h"

#include "LockFiles.h"
#include "RamShadow.h"

#include <sys/stat.h>

using namespace k42::ramfs;

RamInode::~RamInode() {
  delete Shadow.load(std::memory_order_relaxed);
  // Gone: no name and no open. A file or folder a process could have
  // locked takes its host lock files with it.
  if (S_ISREG(Attr.Mode) || S_ISDIR(Attr.Mode))
    LockFiles::forget(Attr.Dev, Attr.Ino);
}
