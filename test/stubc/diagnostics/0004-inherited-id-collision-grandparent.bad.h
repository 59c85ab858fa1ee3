// SPDX-License-Identifier: Apache-2.0
// stubc-0004, bad: the colliding method is inherited from two levels up.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <cstdint>
#include <string>

namespace fs {

class K42_EXPORT Node {
public:
  virtual ~Node() = default;

  K42_METHOD_ID(0x100) virtual k42::Status size(uint64_t &Bytes) = 0;
};

class K42_EXPORT File : public Node {
public:
  K42_METHOD_ID(0x200) virtual k42::Status truncate(uint64_t Bytes) = 0;
};

class K42_EXPORT Dir : public File {
public:
  // CHECK: 0004-inherited-id-collision-grandparent.bad.h:[[@LINE+2]]:44: error: method id 0x00000100 of 'list' is already used by 'size', inherited from 'Node' [stubc-0004]
  // CHECK: 0004-inherited-id-collision-grandparent.bad.h:[[@LINE-11]]:44: note: 'size' declared here
  K42_METHOD_ID(0x100) virtual k42::Status list(std::string &Names) = 0;
};

} // namespace fs

// CHECK-NOT: error:
// CHECK: {{^}}1 error generated.
