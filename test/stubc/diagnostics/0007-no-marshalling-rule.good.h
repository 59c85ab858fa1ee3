// SPDX-License-Identifier: Apache-2.0
// stubc-0007, good: the page is passed by value (a trivially copyable
// struct), and the other interfaces use types with marshalling rules.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "name": "put",
// CHECK: "kind": "pod",
// CHECK: "name": "Data",
// CHECK: "name": "Cache"
// CHECK: "name": "resolve",
// CHECK: "direction": "out",
// CHECK: "kind": "string",
// CHECK: "name": "Path",
// CHECK: "name": "list",
// CHECK: "direction": "out",
// CHECK: "kind": "span",
// CHECK: "name": "Entries",
// CHECK: "name": "unlock",
// CHECK: "kind": "pod",
// CHECK: "name": "Key",
// CHECK: "name": "NameServer"
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

struct Page {
  uint8_t Bytes[4000];
};

class K42_EXPORT Cache {
public:
  virtual ~Cache() = default;

  virtual k42::Status put(uint64_t Key, const Page &Data) = 0;
};

struct Key128 {
  uint8_t Bytes[16];
};

class K42_EXPORT NameServer {
public:
  virtual ~NameServer() = default;

  virtual k42::Status resolve(uint64_t Handle, std::string &Path) = 0;
  virtual k42::Status list(std::string_view Dir,
                           std::span<uint8_t> Entries) = 0;
  virtual k42::Status unlock(const Key128 &Key) = 0;
};
