//===- runtime/lib/ThreadExit.cpp - Per-thread cleanup --------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "ThreadExit.h"

#include <utility>
#include <vector>

namespace k42::detail {
namespace {

struct ExitList {
  std::vector<std::pair<void (*)(void *), void *>> Calls;
  ~ExitList() {
    while (!Calls.empty()) {
      auto [Fn, Arg] = Calls.back();
      Calls.pop_back();
      Fn(Arg);
    }
  }
};

thread_local ExitList Exits;

} // namespace

void atThreadExit(void (*Fn)(void *), void *Arg) {
  Exits.Calls.emplace_back(Fn, Arg);
}

} // namespace k42::detail
