//===- servers/ramfs/RamfsMain.cpp - k42-ramfs ----------------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The ramfs server: `k42-ramfs [--mount PATH] [--dir PATH[=MODE]]...`
/// mounts an empty in-memory tree at PATH (default /) holding the
/// directories --dir names (mount points for other servers, /tmp, /home).
///
//===----------------------------------------------------------------------===//

#include "Ramfs.h"

int main(int Argc, char **Argv) { return k42::ramfs::ramfsMain(Argc, Argv); }
