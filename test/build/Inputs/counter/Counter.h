// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <k42/idl.h>

#include "Types.h"

namespace counter {

class K42_EXPORT K42_RIGHTS(add) Counter {
public:
  virtual ~Counter() = default;
  K42_REQUIRES(add) virtual k42::Status add(int64_t Delta, Tally &Now) = 0;
  // MORE
};

} // namespace counter
