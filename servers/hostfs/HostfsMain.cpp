//===- servers/hostfs/HostfsMain.cpp - k42-hostfs -------------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The hostfs server: `k42-hostfs ROOT [--mount PATH] [--read-only |
/// --read-write]` serves host directory ROOT at PATH (default ROOT),
/// read-only unless told otherwise.
///
//===----------------------------------------------------------------------===//

#include "Hostfs.h"

int main(int Argc, char **Argv) { return k42::hostfs::hostfsMain(Argc, Argv); }
