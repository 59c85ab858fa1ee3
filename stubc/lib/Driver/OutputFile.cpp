//===- stubc/lib/Driver/OutputFile.cpp - Writing results ------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "Driver/OutputFile.h"

#include "llvm/Support/Chrono.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace stubc {

Error OutputFile::writeIfChanged(StringRef Path, StringRef Content,
                                 bool *Changed) {
  if (Changed)
    *Changed = false;
  if (auto Existing = MemoryBuffer::getFile(Path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false))
    if ((*Existing)->getBuffer() == Content)
      return Error::success();

  StringRef Dir = sys::path::parent_path(Path);
  if (!Dir.empty())
    if (std::error_code EC = sys::fs::create_directories(Dir))
      return createFileError(Dir, EC);

  SmallString<256> Temp;
  int FD = -1;
  if (std::error_code EC = sys::fs::createUniqueFile(
          Twine(Path) + ".tmp-%%%%%%", FD, Temp))
    return createFileError(Path, EC);
  {
    raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS << Content;
    OS.close();
    if (OS.has_error()) {
      std::error_code EC = OS.error();
      OS.clear_error();
      sys::fs::remove(Temp);
      return createFileError(Path, EC);
    }
  }
  if (std::error_code EC = sys::fs::rename(Temp, Path)) {
    sys::fs::remove(Temp);
    return createFileError(Path, EC);
  }
  if (Changed)
    *Changed = true;
  return Error::success();
}

/// Escapes a path for the left or right side of a make rule.
static std::string escapeForMake(StringRef Path) {
  std::string Out;
  for (char C : Path) {
    if (C == ' ' || C == '#' || C == '\\')
      Out += '\\';
    else if (C == '$')
      Out += '$';
    Out += C;
  }
  return Out;
}

Error OutputFile::writeDepfile(StringRef Path, StringRef Target,
                               ArrayRef<std::string> Dependencies) {
  std::string Text = escapeForMake(Target) + ":";
  for (const std::string &Dep : Dependencies)
    Text += " \\\n  " + escapeForMake(Dep);
  Text += "\n";
  return writeIfChanged(Path, Text);
}

Error OutputFile::touch(StringRef Path) {
  StringRef Dir = sys::path::parent_path(Path);
  if (!Dir.empty())
    if (std::error_code EC = sys::fs::create_directories(Dir))
      return createFileError(Dir, EC);
  int FD = -1;
  if (std::error_code EC = sys::fs::openFileForWrite(
          Path, FD, sys::fs::CD_OpenAlways, sys::fs::OF_None))
    return createFileError(Path, EC);
  std::error_code EC =
      sys::fs::setLastAccessAndModificationTime(FD, std::chrono::system_clock::now());
  sys::Process::SafelyCloseFileDescriptor(FD);
  if (EC)
    return createFileError(Path, EC);
  return Error::success();
}

} // namespace stubc
