// SPDX-License-Identifier: Apache-2.0
// stubc-0029, bad: an interface deriving from two exported interfaces.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <cstdint>
#include <span>

class K42_EXPORT K42_RIGHTS(read) Readable {
public:
  virtual ~Readable() = default;

  K42_REQUIRES(read) virtual k42::Status read(std::span<uint8_t> Into) = 0;
};

class K42_EXPORT K42_RIGHTS(write) Writable {
public:
  virtual ~Writable() = default;

  K42_REQUIRES(write)
  virtual k42::Status write(std::span<const uint8_t> From) = 0;
};

// The diagnostic points at the second exported base.
// CHECK: 0029-multiple-exported-bases.bad.h:[[@LINE+3]]:42: error: exported interface 'File' derives from more than one exported interface ('Readable' and 'Writable') [stubc-0029]
// CHECK-NEXT: [[@LINE+2]] | class K42_EXPORT File : public Readable, public Writable {};
// CHECK-NEXT: {{^ +[|] +\^$}}
class K42_EXPORT File : public Readable, public Writable {};

// CHECK-NOT: error:
// CHECK: {{^}}1 error generated.
