// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <k42/idl.h>

#include <string>
#include <string_view>

namespace outside {

class K42_EXPORT K42_RIGHTS(use) K42_VERSION(4) Greeter {
public:
  virtual ~Greeter() = default;
  K42_REQUIRES(use)
  virtual k42::Status greet(std::string_view Name, std::string &Out) = 0;
};

} // namespace outside
