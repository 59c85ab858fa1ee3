// SPDX-License-Identifier: Apache-2.0
// stubc-0034, good: public inheritance; File's clients may call read().
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "name": "Readable",
// CHECK: "base": "Readable",
// CHECK: "compatible": [
// CHECK: "declaredBy": "Readable",
// CHECK: "name": "read",
// CHECK: "declaredBy": "File",
// CHECK: "name": "write",
// CHECK: "name": "File",
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

#include <cstdint>
#include <span>

class K42_EXPORT Readable {
public:
  virtual ~Readable() = default;

  virtual k42::Status read(std::span<uint8_t> Into) = 0;
};

class K42_EXPORT File : public Readable {
public:
  virtual k42::Status write(std::span<const uint8_t> From) = 0;
};
