// SPDX-License-Identifier: Apache-2.0
// Two interfaces in one header: K42_TRACE on one of them only
// (test/stubc/codegen/trace.test).

#include <k42/idl.h>

#include <cstdint>

namespace meters {

class K42_EXPORT K42_TRACE Meter {
public:
  virtual ~Meter() = default;
  virtual k42::Status read(uint64_t &Value) = 0;
  K42_ONEWAY virtual void bump(uint64_t By) = 0;
};

class K42_EXPORT Quiet {
public:
  virtual ~Quiet() = default;
  virtual k42::Status hush() = 0;
};

} // namespace meters
