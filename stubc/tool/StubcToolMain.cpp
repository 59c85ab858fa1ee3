//===- stubc/tool/StubcToolMain.cpp - The stubc command ---------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The stubc command. Everything lives in the library so that tests link the
/// same code the tool runs.
///
//===----------------------------------------------------------------------===//

#include "stubc/StubcMain.h"

int main(int Argc, const char **Argv) { return stubc::stubcMain(Argc, Argv); }
