// SPDX-License-Identifier: Apache-2.0
// stubc-0007, bad: views that cannot travel the way they are used: a
// std::string_view out, a std::span by non-const reference, a fixed-extent
// std::span.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <cstdint>
#include <span>
#include <string_view>

class K42_EXPORT NameServer {
public:
  virtual ~NameServer() = default;

  // CHECK: 0007-no-marshalling-rule-views.bad.h:[[@LINE+3]]:66: error: parameter 'Path' has type 'std::string_view &'{{.*}}, which is not trivially copyable and has no marshalling rule [stubc-0007]
  // CHECK: 0007-no-marshalling-rule-views.bad.h:[[@LINE+4]]:48: error: parameter 'Entries' has type 'std::span<uint8_t> &'{{.*}}, which is not trivially copyable and has no marshalling rule [stubc-0007]
  // CHECK: 0007-no-marshalling-rule-views.bad.h:[[@LINE+4]]:59: error: parameter 'Key' has type 'std::span<const uint8_t, 16>'{{.*}}, which is not trivially copyable and has no marshalling rule [stubc-0007]
  virtual k42::Status resolve(uint64_t Handle, std::string_view &Path) = 0;
  virtual k42::Status list(std::string_view Dir,
                           std::span<uint8_t> &Entries) = 0;
  virtual k42::Status unlock(std::span<const uint8_t, 16> Key) = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}3 errors generated.
