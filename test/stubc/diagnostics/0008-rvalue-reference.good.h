// SPDX-License-Identifier: Apache-2.0
// stubc-0008, good: the string is taken by const reference; the server gets
// its own copy.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "direction": "in",
// CHECK: "kind": "string",
// CHECK: "name": "Message",
// CHECK: "type": "const std::string &",
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

#include <string>

class K42_EXPORT Mailbox {
public:
  virtual ~Mailbox() = default;

  virtual k42::Status post(const std::string &Message) = 0;
};
