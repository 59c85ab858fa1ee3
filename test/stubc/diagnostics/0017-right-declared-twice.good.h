// SPDX-License-Identifier: Apache-2.0
// stubc-0017, good: each right declared once; the derived interface adds only
// its new right, after the inherited ones.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "name": "File",
// CHECK: "name": "Dir",
// CHECK: "rights": [
// CHECK: "bit": 0,
// CHECK-NEXT: "declaredBy": "File",
// CHECK-NEXT: "name": "read"
// CHECK: "bit": 1,
// CHECK-NEXT: "declaredBy": "File",
// CHECK-NEXT: "name": "write"
// CHECK: "bit": 2,
// CHECK-NEXT: "declaredBy": "Dir",
// CHECK-NEXT: "name": "list"
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

#include <string>

class K42_EXPORT K42_RIGHTS(read, write) File {
public:
  virtual ~File() = default;
};

class K42_EXPORT K42_RIGHTS(list) Dir : public File {
public:
  K42_REQUIRES(list) virtual k42::Status entries(std::string &Names) = 0;
};
