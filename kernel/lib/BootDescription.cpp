//===- kernel/lib/BootDescription.cpp - What to start at boot -------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "BootDescription.h"

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace k42::kernel {

Result<BootDescription> BootDescription::load(const std::string &Path,
                                              bool Quiet) {
  std::ifstream In(Path);
  if (!In) {
    if (!Quiet)
      std::fprintf(stderr, "k42-kernel: cannot read boot description %s\n",
                   Path.c_str());
    return Status::error(ENOENT);
  }
  std::string Dir = Path.rfind('/') == std::string::npos
                        ? std::string(".")
                        : Path.substr(0, Path.rfind('/'));
  BootDescription Boot;
  std::string Line;
  for (unsigned Number = 1; std::getline(In, Line); ++Number) {
    std::istringstream Words(Line);
    std::string Keyword;
    if (!(Words >> Keyword) || Keyword[0] == '#')
      continue;
    BootEntry Entry;
    for (std::string Word; Words >> Word;)
      Entry.Argv.push_back(Word);
    if (Keyword == "namespace") {
      if (Entry.Argv.size() != 1 || Entry.Argv[0] != "pid") {
        if (!Quiet)
          std::fprintf(stderr, "%s:%u: error: expected 'namespace pid'\n",
                       Path.c_str(), Number);
        return Status::error(EINVAL);
      }
      Boot.PidNamespace = true;
      continue;
    }
    if (Keyword != "server" || Entry.Argv.empty()) {
      if (!Quiet)
        std::fprintf(stderr,
                     "%s:%u: error: expected 'server <program> [args...]' or "
                     "'namespace pid'\n",
                     Path.c_str(), Number);
      return Status::error(EINVAL);
    }
    if (Entry.Argv[0][0] != '/')
      Entry.Argv[0] = Dir + "/" + Entry.Argv[0];
    if (access(Entry.Argv[0].c_str(), X_OK) != 0) {
      if (!Quiet)
        std::fprintf(stderr, "%s:%u: error: no such program '%s'\n",
                     Path.c_str(), Number, Entry.Argv[0].c_str());
      return Status::error(ENOENT);
    }
    Boot.Servers.push_back(std::move(Entry));
  }
  return Boot;
}

} // namespace k42::kernel
