//===- runtime/linux/PipeTable.cpp - The process's pipe ends --------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/PipeTable.h"

#include "k42/personality/HostCall.h"

using namespace k42::personality;

namespace {
/// Constant-initialised: no guard variable (and no libc) on first use.
alignas(TableAlign) constinit PipeTable TheTable;
} // namespace

PipeTable &PipeTable::process() { return TheTable; }

bool PipeTable::holdsPipe(uint64_t Id) const {
  for (const PipeEnd *E : Slots)
    if (E && E->Id == Id)
      return true;
  return false;
}

bool PipeTable::holdsOtherEnd(const PipeEnd &End) const {
  for (const PipeEnd *E : Slots)
    if (E && E->Id == End.Id &&
        (E->Writer != End.Writer || E->ReadWrite || End.ReadWrite))
      return true;
  return false;
}
