// SPDX-License-Identifier: Apache-2.0
// stubc-0036, good: right names are identifiers other than 'all' and 'none';
// MetaFile::Rights::all is generated anyway.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "name": "File",
// CHECK: "rights": [
// CHECK: "name": "read"
// CHECK: "name": "write"
// CHECK: "name": "everything"
// CHECK: "name": "Snapshot",
// CHECK: "name": "readOnly"
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

class K42_EXPORT K42_RIGHTS(read, write, everything) File {
public:
  virtual ~File() = default;
};

class K42_EXPORT K42_RIGHTS(readOnly) Snapshot {
public:
  virtual ~Snapshot() = default;
};
