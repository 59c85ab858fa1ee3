// SPDX-License-Identifier: Apache-2.0
// stubc-0034, bad: an exported interface derives privately from another.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <cstdint>
#include <span>

class K42_EXPORT Readable {
public:
  virtual ~Readable() = default;

  virtual k42::Status read(std::span<uint8_t> Into) = 0;
};

// CHECK: 0034-non-public-exported-base.bad.h:[[@LINE+3]]:25: error: exported interface 'File' must derive publicly from 'Readable' [stubc-0034]
// CHECK-NEXT: [[@LINE+2]] | class K42_EXPORT File : private Readable {
// CHECK-NEXT: {{^ +[|] +\^$}}
class K42_EXPORT File : private Readable {
public:
  virtual k42::Status write(std::span<const uint8_t> From) = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}1 error generated.
