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
  bool Holds = false;
  forEach([&](long, const PipeEnd *E) { Holds = Holds || E->Id == Id; });
  return Holds;
}

bool PipeTable::holdsOtherEnd(const PipeEnd &End) const {
  bool Holds = false;
  forEach([&](long, const PipeEnd *E) {
    Holds = Holds || (E->Id == End.Id && (E->Writer != End.Writer ||
                                          E->ReadWrite || End.ReadWrite));
  });
  return Holds;
}
