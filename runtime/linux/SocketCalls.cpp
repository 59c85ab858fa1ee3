//===- runtime/linux/SocketCalls.cpp - Unix socket names on K42 -----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// bind, connect and sendto of an AF_UNIX socket whose name is a K42 path.
/// Sockets are the host's, but a name in K42's /tmp must not make a socket
/// file in the host's /tmp: the name is mapped to a host path private to
/// the running system, `<kernel socket dir>/unix/<hash of the K42 path>`,
/// so K42 processes that bind and connect by the same K42 name meet, and
/// the host's folders see nothing. Abstract names, host paths and other
/// families pass through.
///
//===----------------------------------------------------------------------===//

#include "k42/personality/FileDispatch.h"
#include "k42/personality/FsBridge.h"
#include "k42/personality/Handlers.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/SyscallTable.h"
#include "k42/personality/UserMemory.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>

using namespace k42;
using namespace k42::fs;
using namespace k42::personality;

namespace {

/// The host name standing for K42 path \p Abs, into \p Out; false if it
/// does not fit a sun_path.
bool hostName(const char *Abs, sockaddr_un &Out) {
  uint64_t Hash = 0xcbf29ce484222325ull; // FNV-1a
  for (const char *C = Abs; *C; ++C)
    Hash = (Hash ^ uint8_t(*C)) * 0x100000001b3ull;
  const char *Socket = FsBridge::socketPath();
  const char *Slash = std::strrchr(Socket, '/');
  size_t Dir = Slash ? size_t(Slash - Socket) : 0;
  if (Dir + 6 + 16 + 1 > sizeof(Out.sun_path))
    return false;
  std::memset(&Out, 0, sizeof(Out));
  Out.sun_family = AF_UNIX;
  std::memcpy(Out.sun_path, Socket, Dir);
  std::memcpy(Out.sun_path + Dir, "/unix", 6);
  (void)hostCall(SYS_mkdir, reinterpret_cast<long>(Out.sun_path), 0700);
  char *At = Out.sun_path + Dir + 5;
  *At++ = '/';
  for (int Shift = 60; Shift >= 0; Shift -= 4)
    *At++ = "0123456789abcdef"[(Hash >> Shift) & 15];
  return true;
}

/// \p Call with its address (argument \p AddrArg, length \p AddrArg + 1)
/// mapped when it names a K42 path; \p Binding: bind's checks and stale
/// names removed.
long mapped(SyscallCall &Call, int AddrArg, bool Binding) {
  long User = Call.Arg[AddrArg];
  long Len = Call.Arg[AddrArg + 1];
  if (!User || Len <= long(sizeof(sa_family_t)) ||
      Len > long(sizeof(sockaddr_un)))
    return passToHost(Call);
  sockaddr_un Addr;
  std::memset(&Addr, 0, sizeof(Addr));
  if (UserMemory::copyIn(&Addr, reinterpret_cast<void *>(User), size_t(Len)) <
      0)
    return -EFAULT;
  if (Addr.sun_family != AF_UNIX || Addr.sun_path[0] == 0)
    return passToHost(Call); // another family, or an abstract name
  char Name[sizeof(Addr.sun_path) + 1];
  std::memcpy(Name, Addr.sun_path, sizeof(Addr.sun_path));
  Name[sizeof(Addr.sun_path)] = 0;
  char Abs[FileDispatch::PathBytes];
  long Whose = FileDispatch::path(AT_FDCWD, reinterpret_cast<long>(Name), Abs);
  if (Whose < 0)
    return Whose;
  if (Whose == 0)
    return passToHost(Call);
  sockaddr_un Host;
  if (!hostName(Abs, Host))
    return -ENAMETOOLONG;
  if (Binding) {
    // Linux: the name must not exist, its directory must.
    FileAttr Attr;
    if (FsBridge::stat(Abs, false, Attr) == 0)
      return -EADDRINUSE;
    char Parent[FileDispatch::PathBytes];
    std::memcpy(Parent, Abs, sizeof(Parent));
    if (char *Slash = std::strrchr(Parent, '/'))
      Slash[Slash == Parent ? 1 : 0] = 0;
    if (long E = FsBridge::stat(Parent, true, Attr); E < 0)
      return E;
    // A host name left by a socket that nobody listens on any more (the
    // program's unlink of the K42 name could not remove it) is stale.
    long Probe = hostCall(SYS_socket, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (!isError(Probe)) {
      long Met = hostCall(SYS_connect, Probe, reinterpret_cast<long>(&Host),
                          sizeof(Host));
      (void)hostCall(SYS_close, Probe);
      if (Met == -ECONNREFUSED)
        (void)hostCall(SYS_unlink, reinterpret_cast<long>(Host.sun_path));
    }
  }
  SyscallCall HostCall = Call;
  HostCall.Arg[AddrArg] = reinterpret_cast<long>(&Host);
  HostCall.Arg[AddrArg + 1] = sizeof(Host);
  return passToHost(HostCall);
}

} // namespace

long sys::bind(SyscallCall &Call) { return mapped(Call, 1, true); }
long sys::connect(SyscallCall &Call) { return mapped(Call, 1, false); }
long sys::sendto(SyscallCall &Call) { return mapped(Call, 4, false); }
