// SPDX-License-Identifier: Apache-2.0
// Included by Kinds.h: a dependency the depfile must list.
#pragma once
#include <atomic>
#include <cstdint>
namespace shared {
struct Range {
  uint64_t Begin;
  uint64_t End;
};
} // namespace shared
