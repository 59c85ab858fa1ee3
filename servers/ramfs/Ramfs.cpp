//===- servers/ramfs/Ramfs.cpp - The k42-ramfs program --------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "Ramfs.h"
#include "FileServer.h"
#include "LockFiles.h"
#include "RamFileSystem.h"

#include <k42/ipc/ServerPool.h>
#include <k42/kernel/KernelLink.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <sys/resource.h>
#include <vector>

using namespace k42;

int k42::ramfs::ramfsMain(int Argc, char **Argv) {
  // Every file a client ever mapped keeps a memfd here while it lives
  // (RamData): the soft limit's 1024 would refuse the 1025th.
  if (rlimit Files; ::getrlimit(RLIMIT_NOFILE, &Files) == 0 &&
                    Files.rlim_cur < Files.rlim_max) {
    Files.rlim_cur = Files.rlim_max;
    (void)::setrlimit(RLIMIT_NOFILE, &Files);
  }
  fs::FileServerOptions Options;
  Options.Name = "ramfs";
  std::vector<std::pair<std::string, uint32_t>> Dirs;
  for (int I = 1; I < Argc; ++I) {
    std::string Arg = Argv[I];
    if (Arg == "--mount" && I + 1 < Argc) {
      Options.MountPath = Argv[++I];
    } else if (Arg == "--dir" && I + 1 < Argc) {
      std::string Dir = Argv[++I];
      uint32_t Mode = 0755;
      if (size_t Eq = Dir.find('='); Eq != std::string::npos) {
        Mode = uint32_t(std::strtoul(Dir.c_str() + Eq + 1, nullptr, 8));
        Dir.resize(Eq);
      }
      Dirs.emplace_back(Dir, Mode);
    } else {
      std::fprintf(stderr,
                   "usage: k42-ramfs [--mount PATH] [--dir PATH[=MODE]]...\n");
      return 2;
    }
  }
  // No call here waits for another: a FIFO is only a name (the pipe
  // server holds its bytes), a lease is taken back by a notification that
  // never waits, and locks are held only while a call runs.
  ServerPool::process().setCallsMayWait(false);
  LockFiles::useSocket(kernel::KernelLink::defaultSocketPath());
  return fs::runFileServer(
      Options,
      [&](fs::OpenFileTable &Files) -> Result<std::unique_ptr<fs::FileSystem>> {
        auto Fs = std::make_unique<RamFileSystem>(Files);
        for (auto &[Dir, Mode] : Dirs) {
          std::string Restart;
          Badge Root;
          // Made as root, with the mode asked (no umask): /tmp is 1777.
          Status S = Fs->mkdir(Root, Dir, Mode, fs::WalkSealed, Restart);
          fs::FileAttr Attr;
          if (S && S.value() == fs::Done)
            S = Fs->stat(Root, Dir, fs::WalkSealed, Attr, Restart);
          if (!S || S.value() != fs::Done) {
            std::fprintf(stderr, "ramfs: cannot make %s: %s\n", Dir.c_str(),
                         std::string(S.message()).c_str());
            return Status::error(EINVAL);
          }
          (void)Fs->chmod(Root, Dir, Mode, fs::WalkSealed, Restart);
        }
        return std::unique_ptr<fs::FileSystem>(std::move(Fs));
      });
}
