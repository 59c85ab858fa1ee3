//===- servers/fs/FsToolMain.cpp - k42-fs ---------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "FsTool.h"

int main(int Argc, char **Argv) { return k42::fs::fsToolMain(Argc, Argv); }
