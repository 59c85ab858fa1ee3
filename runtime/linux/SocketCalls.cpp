//===- runtime/linux/SocketCalls.cpp - Unix socket names on K42 -----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// bind, connect and sendto of an AF_UNIX socket whose name is a K42 path;
/// sendmsg and recvmsg of K42 descriptors (SCM_RIGHTS: PassedFds).
/// Sockets are the host's, but a name in K42's /tmp must not make a socket
/// file in the host's /tmp. As on Linux, bind makes the name: a socket
/// node in K42's folder (ramfs's mknod S_IFSOCK), which ls, stat, chmod,
/// rename and unlink see; the host socket is bound at a name private to
/// the running system, `<kernel socket dir>/unix/<hash of the node's
/// st_dev and st_ino>`, and connect and sendto find it through the node:
/// a missing name is ENOENT, a name that is no socket or one nobody bound
/// ECONNREFUSED, and a renamed socket is reached by its new name. Abstract
/// names, host paths and other families pass through.
///
//===----------------------------------------------------------------------===//

#include "k42/personality/FileDispatch.h"
#include "k42/personality/FsBridge.h"
#include "k42/personality/Handlers.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/PassedFds.h"
#include "k42/personality/SyscallTable.h"
#include "k42/personality/UserMemory.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>

using namespace k42;
using namespace k42::fs;
using namespace k42::personality;

namespace {

/// The host name standing for the K42 socket node \p Attr (its st_dev
/// and st_ino: inode numbers are never reused while the system runs), into
/// \p Out; false if it does not fit a sun_path.
bool hostName(const FileAttr &Attr, sockaddr_un &Out) {
  uint64_t Hash = 0xcbf29ce484222325ull; // FNV-1a
  uint64_t Key[2] = {uint64_t(Attr.Dev), uint64_t(Attr.Ino)};
  const auto *Bytes = reinterpret_cast<const uint8_t *>(Key);
  for (size_t I = 0; I < sizeof(Key); ++I)
    Hash = (Hash ^ Bytes[I]) * 0x100000001b3ull;
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

/// bind to K42 path \p Abs: the socket node made (EADDRINUSE if the name
/// exists, the parent's errors as mknod's), then the host bind at the
/// node's host name; the node goes again if the host refuses.
long bindK42(SyscallCall &Call, int AddrArg, const char *Abs) {
  long Mask = hostCall(SYS_umask, 0);
  (void)hostCall(SYS_umask, Mask);
  long E = FsBridge::mknod(Abs, uint32_t(S_IFSOCK | (0777 & ~Mask)));
  if (E == -EEXIST)
    return -EADDRINUSE;
  if (E < 0)
    return E;
  FileAttr Attr;
  sockaddr_un Host;
  E = FsBridge::stat(Abs, false, Attr);
  if (E == 0 && !hostName(Attr, Host))
    E = -ENAMETOOLONG;
  if (E == 0) {
    // A name left by an earlier system in a reused folder.
    (void)hostCall(SYS_unlink, reinterpret_cast<long>(Host.sun_path));
    SyscallCall HostCall = Call;
    HostCall.Arg[AddrArg] = reinterpret_cast<long>(&Host);
    HostCall.Arg[AddrArg + 1] = sizeof(Host);
    E = passToHost(HostCall);
  }
  if (E < 0)
    (void)FsBridge::unlink(Abs);
  return E;
}

/// connect or sendto K42 path \p Abs: through the socket node it names.
long reachK42(SyscallCall &Call, int AddrArg, const char *Abs) {
  FileAttr Attr;
  if (long E = FsBridge::stat(Abs, true, Attr); E < 0)
    return E;
  if (!S_ISSOCK(Attr.Mode))
    return -ECONNREFUSED;
  sockaddr_un Host;
  if (!hostName(Attr, Host))
    return -ENAMETOOLONG;
  SyscallCall HostCall = Call;
  HostCall.Arg[AddrArg] = reinterpret_cast<long>(&Host);
  HostCall.Arg[AddrArg + 1] = sizeof(Host);
  long E = passToHost(HostCall);
  // The node is there but nothing was bound to it (mknod made it, or the
  // binder's system went): Linux's answer for a socket nobody listens on.
  return E == -ENOENT ? -ECONNREFUSED : E;
}

/// \p Call with its address (argument \p AddrArg, length \p AddrArg + 1)
/// on K42's names when it names a K42 path; \p Binding: bind.
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
  return Binding ? bindK42(Call, AddrArg, Abs) : reachK42(Call, AddrArg, Abs);
}

} // namespace

long sys::bind(SyscallCall &Call) { return mapped(Call, 1, true); }
long sys::connect(SyscallCall &Call) { return mapped(Call, 1, false); }
long sys::sendto(SyscallCall &Call) { return mapped(Call, 4, false); }

long sys::sendmsg(SyscallCall &Call) {
  // A K42 pipe end sent must carry its tag (PassedFds); an unreadable
  // message is the host's EFAULT.
  (void)PassedFds::beforeSend(Call.Arg[1]);
  return passToHost(Call);
}

long sys::recvmsg(SyscallCall &Call) {
  long Got = passToHost(Call);
  if (!isError(Got))
    PassedFds::received(Call.Arg[1]);
  return Got;
}
