// SPDX-License-Identifier: Apache-2.0
// stubc-0019, bad: a std::array larger than a PPC page.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <array>
#include <cstdint>

class K42_EXPORT Framebuffer {
public:
  virtual ~Framebuffer() = default;

  // CHECK: 0019-message-too-big-std-array.bad.h:[[@LINE+2]]:23: error: the request of 'blit' needs at least 5000 bytes; a PPC page carries at most 4064 [stubc-0019]
  // CHECK-NOT: stubc-0007
  virtual k42::Status blit(std::array<uint8_t, 5000> Pixels) = 0;
};

// CHECK: {{^}}1 error generated.
