//===- stubc/lib/Driver/OutputFile.h - Writing results ----------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// How stubc puts files on disk. Generated files are rewritten only when
/// their content changes, so that a regeneration that changes nothing leaves
/// timestamps alone and the build system (Ninja's restat, make) recompiles
/// nothing downstream.
///
//===----------------------------------------------------------------------===//

#ifndef K42_STUBC_LIB_DRIVER_OUTPUTFILE_H
#define K42_STUBC_LIB_DRIVER_OUTPUTFILE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>

namespace stubc {

/// Writes files for stubc.
class OutputFile {
public:
  /// Writes \p Content to \p Path unless the file already holds exactly that.
  /// The write goes through a temporary file and a rename, so a reader never
  /// sees half a file. Sets \p Changed to whether the file was written.
  static llvm::Error writeIfChanged(llvm::StringRef Path,
                                    llvm::StringRef Content,
                                    bool *Changed = nullptr);

  /// Writes a make-syntax dependency file: \p Target depends on each of
  /// \p Dependencies. Spaces and other make-special characters are escaped.
  static llvm::Error writeDepfile(llvm::StringRef Path, llvm::StringRef Target,
                                  llvm::ArrayRef<std::string> Dependencies);

  /// Creates \p Path if needed and sets its modification time to now.
  static llvm::Error touch(llvm::StringRef Path);
};

} // namespace stubc

#endif // K42_STUBC_LIB_DRIVER_OUTPUTFILE_H
