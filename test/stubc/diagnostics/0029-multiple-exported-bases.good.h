// SPDX-License-Identifier: Apache-2.0
// stubc-0029, good: a single chain of exported interfaces; File inherits
// read() from Readable and adds write(), with both rights.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "name": "Readable",
// CHECK: "base": "Readable",
// CHECK: "name": "read",
// CHECK: "name": "write",
// CHECK: "name": "File",
// CHECK: "name": "read"
// CHECK: "name": "write"
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

#include <cstdint>
#include <span>

class K42_EXPORT K42_RIGHTS(read) Readable {
public:
  virtual ~Readable() = default;

  K42_REQUIRES(read) virtual k42::Status read(std::span<uint8_t> Into) = 0;
};

class K42_EXPORT K42_RIGHTS(write) File : public Readable {
public:
  K42_REQUIRES(write)
  virtual k42::Status write(std::span<const uint8_t> From) = 0;
};
