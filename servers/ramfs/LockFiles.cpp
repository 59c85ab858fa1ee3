//===- servers/ramfs/LockFiles.cpp - Host lock files of dead files --------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "LockFiles.h"

#include <unistd.h>

using namespace k42::ramfs;

namespace {
/// `<socket folder>/locks/`, empty until useSocket().
std::string &folder() {
  static std::string Folder;
  return Folder;
}
} // namespace

void LockFiles::useSocket(const std::string &SocketPath) {
  size_t Slash = SocketPath.rfind('/');
  folder() = (Slash == std::string::npos ? std::string(".")
                                         : SocketPath.substr(0, Slash)) +
             "/locks/";
}

void LockFiles::forget(uint64_t Dev, uint64_t Ino) {
  const std::string &Folder = folder();
  if (Folder.empty())
    return;
  // The personality's spelling: decimal st_dev, '-', decimal st_ino.
  std::string Path = Folder + std::to_string(Dev) + "-" + std::to_string(Ino);
  (void)::unlink(Path.c_str());
  Path += ".r";
  (void)::unlink(Path.c_str());
}
