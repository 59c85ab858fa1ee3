// SPDX-License-Identifier: Apache-2.0
// stubc-0034, bad: a class's bases are private unless written public, and a
// protected base is not public either.
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

// CHECK: 0034-non-public-exported-base-implicit.bad.h:[[@LINE+1]]:25: error: exported interface 'File' must derive publicly from 'Readable' [stubc-0034]
class K42_EXPORT File : Readable {
public:
  virtual k42::Status write(std::span<const uint8_t> From) = 0;
};

// CHECK: 0034-non-public-exported-base-implicit.bad.h:[[@LINE+1]]:25: error: exported interface 'Pipe' must derive publicly from 'Readable' [stubc-0034]
class K42_EXPORT Pipe : protected Readable {
public:
  virtual k42::Status close() = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}2 errors generated.
