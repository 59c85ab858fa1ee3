//===- stubc/include/stubc/StubcMain.h - The stubc driver -------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The whole stubc command as a library function, so that the tool's main
/// is one line and tests can drive the exact code users run.
///
//===----------------------------------------------------------------------===//

#ifndef K42_STUBC_STUBCMAIN_H
#define K42_STUBC_STUBCMAIN_H

namespace stubc {

/// Runs stubc with a command line of the form
/// `stubc [options] <header> -- <compiler arguments>`. Returns the process
/// exit status: 0 on success, 1 if the header has errors, 2 for misuse.
int stubcMain(int Argc, const char **Argv);

} // namespace stubc

#endif // K42_STUBC_STUBCMAIN_H
