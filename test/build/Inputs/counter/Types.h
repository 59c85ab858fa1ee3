// SPDX-License-Identifier: Apache-2.0
// Included by Counter.h: editing it must rerun stubc.
#pragma once
#include <cstdint>
namespace counter {
struct Tally {
  int64_t Total;
  uint32_t Adds;
};
} // namespace counter
