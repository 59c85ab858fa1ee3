// SPDX-License-Identifier: Apache-2.0
// An interface derived from one declared in another header.
#pragma once

#include "Kinds.h"

namespace store {

class K42_EXPORT K42_RIGHTS(snap) Snapshot : public Volume {
public:
  K42_REQUIRES(snap, read) virtual k42::Status snapshot(uint64_t &Id) = 0;
};

} // namespace store
