//===- servers/hostfs/Hostfs.cpp - The k42-hostfs program -----------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "Hostfs.h"
#include "FileServer.h"
#include "HostFileSystem.h"
#include "MountPoints.h"

#include <cstdio>
#include <string>

using namespace k42;

int k42::hostfs::hostfsMain(int Argc, char **Argv) {
  fs::FileServerOptions Options;
  Options.Name = "hostfs";
  std::string Root;
  std::string MountPath;
  bool ReadOnly = true;
  for (int I = 1; I < Argc; ++I) {
    std::string Arg = Argv[I];
    if (Arg == "--mount" && I + 1 < Argc)
      MountPath = Argv[++I];
    else if (Arg == "--read-only")
      ReadOnly = true;
    else if (Arg == "--read-write")
      ReadOnly = false;
    else if (Root.empty() && !Arg.starts_with("--"))
      Root = Arg;
    else
      Root.clear(), I = Argc;
  }
  if (Root.empty() || Root.front() != '/') {
    std::fprintf(stderr, "usage: k42-hostfs ROOT [--mount PATH] "
                         "[--read-only | --read-write]\n");
    return 2;
  }
  // Served at the same path in K42 unless told otherwise.
  Options.MountPath = MountPath.empty() ? Root : MountPath;
  Options.MountFlags = ReadOnly ? name::MountReadOnly : 0;
  return fs::runFileServer(
      Options,
      [&](fs::OpenFileTable &Files) -> Result<std::unique_ptr<fs::FileSystem>> {
        auto Fs = HostFileSystem::create(Files, Root, ReadOnly);
        if (!Fs)
          return Fs.status();
        return std::unique_ptr<fs::FileSystem>(std::move(*Fs));
      });
}
