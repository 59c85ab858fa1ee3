//===- servers/fs/FileServer.cpp - What every file server's main does -----===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "FileServer.h"
#include "FileSystem.k42.h"
#include "NameClient.h"

#include <k42/ipc/NotifySender.h>
#include <k42/kernel/KernelLink.h>
#include <k42/kernel/ServiceHost.h>

#include <cstdio>

using namespace k42;
using namespace k42::fs;

std::string k42::fs::servicePath(std::string_view MountPath) {
  return MountPath == "/" ? std::string("/fs/root")
                          : "/fs" + std::string(MountPath);
}

int k42::fs::runFileServer(const FileServerOptions &Options,
                           const MakeFileSystem &Make) {
  const char *Name = Options.Name.c_str();
  Result<std::unique_ptr<kernel::KernelLink>> Link =
      kernel::KernelLink::connect(Options.Name,
                                  kernel::KernelLink::defaultSocketPath());
  if (!Link) {
    std::fprintf(stderr, "%s: cannot reach the kernel: %s\n", Name,
                 std::string(Link.status().message()).c_str());
    return 1;
  }
  kernel::ServiceHost Host(**Link);
  OpenFileTable Files(Host.handles());
  // What a client is told is only that it was told: an empty note on its
  // channel moves the count it watches (a full ring still counts).
  Files.setNotify([&](const Badge &To) {
    std::shared_ptr<NotifySender> Via = Host.notifier(To);
    if (!Via)
      return false;
    PPCPage Note{};
    Note.MethodId = MetaFileSystem::Methods::open;
    Note.Fingerprint = MetaFileSystem::Fingerprint;
    Status S = Via->send(ObjectHandle{}, Note);
    return S.isOk() || S.errorCode() == errc::RingFull;
  });
  Result<std::unique_ptr<FileSystem>> Fs = Make(Files);
  if (!Fs) {
    std::fprintf(stderr, "%s: %s\n", Name,
                 std::string(Fs.status().message()).c_str());
    return 1;
  }
  XFileSystem Exported(**Fs);
  std::string Service = servicePath(Options.MountPath);
  if (Status S = name::publishMount(**Link, Service, Options.MountPath,
                                    Options.MountFlags);
      !S) {
    std::fprintf(stderr, "%s: cannot mount %s at %s: %s\n", Name,
                 Service.c_str(), Options.MountPath.c_str(),
                 std::string(S.message()).c_str());
    return 1;
  }
  // Every client may call every method; what it may do to a file is the
  // file's mode against its badge, and what it may do to an open file the
  // rights of that file's handle.
  Status Done = Host.serve(Exported, MetaFileSystem::Rights::all,
                           [&](const Badge &Gone) { Files.forget(Gone.Pid); });
  return Done.isOk() ? 0 : 1;
}
