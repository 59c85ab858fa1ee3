// SPDX-License-Identifier: Apache-2.0
#include <k42/idl.h>
class K42_EXPORT Broken {
public:
  virtual ~Broken() = default;
  k42::Status notVirtual();
};
