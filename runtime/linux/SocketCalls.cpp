//===- runtime/linux/SocketCalls.cpp - Unix socket names on K42 -----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// bind, connect, sendto, sendmsg and sendmmsg of an AF_UNIX socket whose
/// name is a K42 path; sendmsg, recvmsg, sendmmsg and recvmmsg of K42
/// descriptors (SCM_RIGHTS: PassedFds).
/// Sockets are the host's, but a name in K42's /tmp must not make a socket
/// file in the host's /tmp. As on Linux, bind makes the name: a socket
/// node in K42's folder (ramfs's mknod S_IFSOCK), which ls, stat, chmod,
/// rename and unlink see; the host socket is bound at a name private to
/// the running system, `<kernel socket dir>/unix/<hash of the node's
/// st_dev and st_ino>`, and connect and sendto find it through the node:
/// a missing name is ENOENT, a name that is no socket or one nobody bound
/// ECONNREFUSED, and a renamed socket is reached by its new name. Abstract
/// names, host paths and other families pass through. A system folder too
/// deep for sun_path is reached through a descriptor of it, as UnixConnect
/// reaches the kernel. The name a bind gave (relative, or in a K42 folder
/// deeper than sun_path allows but reached from its working directory) is
/// kept beside the host socket (`<hash>.name`), and getsockname,
/// getpeername, accept, recvfrom, recvmsg and recvmmsg answer it for the
/// host name, as Linux answers the name bound. Every socket call on a K42
/// pipe end is ENOTSOCK, as on a pipe: its placeholder is a host socket.
///
//===----------------------------------------------------------------------===//

#include "k42/personality/FileDispatch.h"
#include "k42/personality/FsBridge.h"
#include "k42/personality/GateHeap.h"
#include "k42/personality/Handlers.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/PassedFds.h"
#include "k42/personality/PipeCalls.h"
#include "k42/personality/ProcNames.h"
#include "k42/personality/SyscallTable.h"
#include "k42/personality/UnixConnect.h"
#include "k42/personality/UserMemory.h"

#include <cerrno>
#include <climits>
#include <cstddef>
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

/// The running system's folder of host sockets, "<kernel socket
/// dir>/unix" (made if missing and \p Make), into \p Out; its length, 0
/// if too long.
size_t socketFolder(char (&Out)[PATH_MAX], bool Make = true) {
  const char *Socket = FsBridge::socketPath();
  const char *Slash = std::strrchr(Socket, '/');
  size_t Dir = Slash ? size_t(Slash - Socket) : 0;
  if (Dir + sizeof("/unix") > sizeof(Out))
    return 0;
  std::memcpy(Out, Socket, Dir);
  std::memcpy(Out + Dir, "/unix", sizeof("/unix"));
  if (Make)
    (void)hostCall(SYS_mkdir, reinterpret_cast<long>(Out), 0700);
  return Dir + 5;
}

/// The sixteen hex digits naming the K42 socket node \p Attr on the host
/// (a hash of its st_dev and st_ino: inode numbers are never reused while
/// the system runs).
void nodeHash(const FileAttr &Attr, char (&Out)[17]) {
  uint64_t Hash = 0xcbf29ce484222325ull; // FNV-1a
  uint64_t Key[2] = {uint64_t(Attr.Dev), uint64_t(Attr.Ino)};
  const auto *Bytes = reinterpret_cast<const uint8_t *>(Key);
  for (size_t I = 0; I < sizeof(Key); ++I)
    Hash = (Hash ^ Bytes[I]) * 0x100000001b3ull;
  for (int I = 0; I < 16; ++I)
    Out[I] = "0123456789abcdef"[(Hash >> (60 - 4 * I)) & 15];
  Out[16] = 0;
}

/// The host address standing for the K42 socket node \p Attr, into
/// \p Out: `<socket folder>/<hash>`, or, when the system's folder is too
/// deep for sun_path, the same through a descriptor of the folder
/// (`/proc/self/fd/<n>/<hash>`, as UnixConnect reaches a deep kernel
/// socket), held in \p DirFd for the caller to close after its call.
long hostName(const FileAttr &Attr, sockaddr_un &Out, long &DirFd) {
  char Folder[PATH_MAX];
  size_t Length = socketFolder(Folder);
  if (Length == 0 || Length + 1 >= sizeof(Folder))
    return -ENAMETOOLONG;
  Folder[Length] = '/';
  char Hash[17];
  nodeHash(Attr, Hash);
  return UnixConnect::address(Folder, Length + 1, Hash, Out, DirFd);
}

/// The file beside node \p Hash's host socket that keeps the name its
/// binder gave, `<socket folder>/<hash>.name`, into \p Out; false if it
/// does not fit.
bool nameFile(const char *Hash, char (&Out)[PATH_MAX]) {
  size_t Length = socketFolder(Out, false);
  if (Length == 0 || Length + 1 + 16 + sizeof(".name") > sizeof(Out))
    return false;
  Out[Length] = '/';
  std::memcpy(Out + Length + 1, Hash, 16);
  std::memcpy(Out + Length + 17, ".name", sizeof(".name"));
  return true;
}

/// Keeps \p Name (a bind's sun_path, as the program gave it) for node
/// \p Attr's host socket, for getsockname, getpeername, accept and the
/// receive calls to answer (unmapName).
void keepName(const FileAttr &Attr, const char *Name) {
  char Hash[17], Path[PATH_MAX];
  nodeHash(Attr, Hash);
  if (!nameFile(Hash, Path))
    return;
  long Fd = hostCall(SYS_open, reinterpret_cast<long>(Path),
                     O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (isError(Fd))
    return;
  (void)hostCall(SYS_write, Fd, reinterpret_cast<long>(Name),
                 long(std::strlen(Name)));
  (void)hostCall(SYS_close, Fd);
}

/// Whether host name \p Path is a K42 socket's (`<socket folder>/<hash>`
/// or `/proc/self/fd/<n>/<hash>`): its hash, into \p Hash.
bool k42Socket(const char *Path, char (&Hash)[17]) {
  const char *Slash = std::strrchr(Path, '/');
  if (!Slash || std::strlen(Slash + 1) != 16)
    return false;
  for (const char *C = Slash + 1; *C; ++C)
    if (!((*C >= '0' && *C <= '9') || (*C >= 'a' && *C <= 'f')))
      return false;
  char Folder[PATH_MAX];
  size_t Length = socketFolder(Folder, false);
  size_t Dir = size_t(Slash - Path);
  bool Ours =
      Length != 0 && Dir == Length && std::memcmp(Path, Folder, Length) == 0;
  constexpr char Proc[] = "/proc/self/fd/";
  if (!Ours && std::strncmp(Path, Proc, sizeof(Proc) - 1) == 0) {
    Ours = Dir > sizeof(Proc) - 1;
    for (const char *C = Path + sizeof(Proc) - 1; C < Slash; ++C)
      Ours = Ours && *C >= '0' && *C <= '9';
  }
  if (Ours)
    std::memcpy(Hash, Slash + 1, 17);
  return Ours;
}

/// A host address a call answered (\p Addr, \p Length bytes): the name
/// its binder gave if it is a K42 socket's host name, as Linux answers
/// the name bound (true); anything else stays.
bool unmapName(sockaddr_un &Addr, socklen_t &Length) {
  constexpr socklen_t PathAt = offsetof(sockaddr_un, sun_path);
  if (Length <= PathAt || Length > sizeof(Addr) || Addr.sun_family != AF_UNIX ||
      Addr.sun_path[0] == 0)
    return false;
  char Path[sizeof(Addr.sun_path) + 1];
  std::memcpy(Path, Addr.sun_path, Length - PathAt);
  Path[Length - PathAt] = 0;
  char Hash[17], File[PATH_MAX];
  if (!k42Socket(Path, Hash) || !nameFile(Hash, File))
    return false;
  long Fd =
      hostCall(SYS_open, reinterpret_cast<long>(File), O_RDONLY | O_CLOEXEC);
  if (isError(Fd))
    return false;
  char Name[sizeof(Addr.sun_path)];
  long Got = hostCall(SYS_read, Fd, reinterpret_cast<long>(Name), sizeof(Name));
  (void)hostCall(SYS_close, Fd);
  if (isError(Got) || Got <= 0)
    return false;
  std::memset(Addr.sun_path, 0, sizeof(Addr.sun_path));
  std::memcpy(Addr.sun_path, Name, size_t(Got));
  // Linux's length of a bound path name: its bytes and the NUL.
  Length = PathAt + socklen_t(Got) + (size_t(Got) < sizeof(Name) ? 1 : 0);
  return true;
}

/// bind to K42 path \p Abs: the socket node made (EADDRINUSE if the name
/// exists, the parent's errors as mknod's), then the host bind at the
/// node's host name; the node goes again if the host refuses. The name
/// as given (\p Name) is kept for the calls that answer it.
long bindK42(SyscallCall &Call, int AddrArg, const char *Abs,
             const char *Name) {
  long Mask = hostCall(SYS_umask, 0);
  (void)hostCall(SYS_umask, Mask);
  long E = FsBridge::mknod(Abs, uint32_t(S_IFSOCK | (0777 & ~Mask)));
  if (E == -EEXIST)
    return -EADDRINUSE;
  if (E < 0)
    return E;
  FileAttr Attr;
  sockaddr_un Host;
  long DirFd = -1;
  E = FsBridge::stat(Abs, false, Attr);
  if (E == 0)
    E = hostName(Attr, Host, DirFd);
  if (E == 0) {
    // A name left by an earlier system in a reused folder.
    (void)hostCall(SYS_unlink, reinterpret_cast<long>(Host.sun_path));
    SyscallCall HostCall = Call;
    HostCall.Arg[AddrArg] = reinterpret_cast<long>(&Host);
    HostCall.Arg[AddrArg + 1] = sizeof(Host);
    E = passToHost(HostCall);
  }
  if (DirFd >= 0)
    (void)hostCall(SYS_close, DirFd);
  if (E < 0)
    (void)FsBridge::unlink(Abs);
  else
    keepName(Attr, Name);
  return E;
}

/// The most messages Linux takes in one sendmmsg or recvmmsg (UIO_MAXIOV).
constexpr unsigned MaxMessages = 1024;

/// The host name standing for the K42 socket node at \p Abs, which a
/// connect or send reaches, into \p Host (\p DirFd: UnixConnect::address's,
/// for the caller to close after its call): the node's errors, and
/// ECONNREFUSED for a name that is no socket. \p OnHost: the name is a
/// host socket's own (a K42 symlink led there), whose host answers stand.
long reachName(const char *Abs, sockaddr_un &Host, long &DirFd, bool &OnHost) {
  FileAttr Attr;
  long E = FsBridge::stat(Abs, true, Attr);
  OnHost = E == FsBridge::LeftK42;
  if (OnHost) {
    // A K42 symlink to a host path: the host's socket there.
    char Path[FileDispatch::PathBytes];
    FsBridge::takeHostPath(Path);
    const char *Slash = std::strrchr(Path, '/');
    if (!Slash)
      return -ENOENT;
    return UnixConnect::address(Path, size_t(Slash - Path) + 1, Slash + 1, Host,
                                DirFd);
  }
  if (E < 0)
    return E;
  if (!S_ISSOCK(Attr.Mode))
    return -ECONNREFUSED;
  return hostName(Attr, Host, DirFd);
}

/// A connect or send's host answer through a K42 socket node: the node is
/// there but nothing was bound to it (mknod made it, or the binder's system
/// went), which Linux answers as a socket nobody listens on.
long reached(long E) { return E == -ENOENT ? -ECONNREFUSED : E; }

/// connect or sendto K42 path \p Abs: through the socket node it names.
long reachK42(SyscallCall &Call, int AddrArg, const char *Abs) {
  sockaddr_un Host;
  long DirFd = -1;
  bool OnHost = false;
  if (long E = reachName(Abs, Host, DirFd, OnHost); E < 0)
    return E;
  SyscallCall HostCall = Call;
  HostCall.Arg[AddrArg] = reinterpret_cast<long>(&Host);
  HostCall.Arg[AddrArg + 1] = sizeof(Host);
  long E = passToHost(HostCall);
  if (DirFd >= 0)
    (void)hostCall(SYS_close, DirFd);
  return OnHost ? E : reached(E);
}

/// The K42 path an address at \p User (\p Len bytes) names, into \p Abs,
/// and its sun_path as given into \p Name: 1 if it names one; 0 if the
/// address is the host's as it is (none, another family, an abstract name,
/// a host path); or an error (EFAULT, the path's). \p FollowLast: the
/// call follows a symlink at the path's end (connect and sendto do, bind
/// does not), so a host one there into K42's names makes it K42's.
long k42Path(long User, long Len,
             char (&Name)[sizeof(sockaddr_un::sun_path) + 1],
             char (&Abs)[FileDispatch::PathBytes], bool FollowLast = true) {
  if (!User || Len <= long(sizeof(sa_family_t)) ||
      Len > long(sizeof(sockaddr_un)))
    return 0;
  sockaddr_un Addr;
  std::memset(&Addr, 0, sizeof(Addr));
  if (UserMemory::copyIn(&Addr, reinterpret_cast<void *>(User), size_t(Len)) <
      0)
    return -EFAULT;
  if (Addr.sun_family != AF_UNIX || Addr.sun_path[0] == 0)
    return 0; // another family, or an abstract name
  std::memcpy(Name, Addr.sun_path, sizeof(Addr.sun_path));
  Name[sizeof(Addr.sun_path)] = 0;
  long Whose = FileDispatch::path(AT_FDCWD, reinterpret_cast<long>(Name), Abs,
                                  FollowLast);
  return Whose < 0 ? Whose : Whose != 0;
}

/// \p Call with its address (argument \p AddrArg, length \p AddrArg + 1)
/// on K42's names when it names a K42 path; \p Binding: bind.
long mapped(SyscallCall &Call, int AddrArg, bool Binding) {
  char Name[sizeof(sockaddr_un::sun_path) + 1];
  char Abs[FileDispatch::PathBytes];
  long Is =
      k42Path(Call.Arg[AddrArg], Call.Arg[AddrArg + 1], Name, Abs, !Binding);
  if (Is <= 0)
    return Is < 0 ? Is : passToHost(Call);
  return Binding ? bindK42(Call, AddrArg, Abs, Name)
                 : reachK42(Call, AddrArg, Abs);
}

/// sendmsg of the message at \p UserMsg with \p Flags: its K42 pipe ends
/// the pipe server's first (PassedFds), and a destination (msg_name) that
/// names a K42 socket sent to through its node, as sendto's; the host's
/// EFAULT for a message it cannot read.
long sendMessage(long Fd, long UserMsg, long Flags) {
  if (PassedFds::beforeSend(UserMsg) == -EBADF)
    return -EBADF;
  msghdr Msg;
  if (UserMemory::copyIn(&Msg, reinterpret_cast<void *>(UserMsg), sizeof(Msg)) <
      0)
    return hostCall(SYS_sendmsg, Fd, UserMsg, Flags);
  char Name[sizeof(sockaddr_un::sun_path) + 1];
  char Abs[FileDispatch::PathBytes];
  long Is = k42Path(reinterpret_cast<long>(Msg.msg_name), long(Msg.msg_namelen),
                    Name, Abs);
  if (Is <= 0)
    return Is < 0 ? Is : hostCall(SYS_sendmsg, Fd, UserMsg, Flags);
  sockaddr_un Host;
  long DirFd = -1;
  bool OnHost = false;
  if (long E = reachName(Abs, Host, DirFd, OnHost); E < 0)
    return E;
  Msg.msg_name = &Host;
  Msg.msg_namelen = sizeof(Host);
  long E = hostCall(SYS_sendmsg, Fd, reinterpret_cast<long>(&Msg), Flags);
  if (DirFd >= 0)
    (void)hostCall(SYS_close, DirFd);
  return OnHost ? E : reached(E);
}

/// Whether any of the \p Count messages at \p UserMsgs names a
/// destination (msg_name) that is a K42 path, or one whose name cannot be
/// read (the message's own send then answers the error).
bool namesK42(long UserMsgs, unsigned Count) {
  for (unsigned I = 0; I < Count; ++I) {
    mmsghdr Entry;
    if (UserMemory::copyIn(
            &Entry,
            reinterpret_cast<void *>(UserMsgs + long(I * sizeof(mmsghdr))),
            sizeof(Entry)) < 0)
      return false;
    char Name[sizeof(sockaddr_un::sun_path) + 1];
    char Abs[FileDispatch::PathBytes];
    if (k42Path(reinterpret_cast<long>(Entry.msg_hdr.msg_name),
                long(Entry.msg_hdr.msg_namelen), Name, Abs) != 0)
      return true;
  }
  return false;
}

/// A call that answers an address (argument \p AddrArg, its length's
/// pointer \p AddrArg + 1): made into a buffer of the personality's, a K42
/// socket's host name replaced by its bound name, then copied out as Linux
/// does (at most the length the program gave, the whole length written).
long answerName(SyscallCall &Call, int AddrArg) {
  long User = Call.Arg[AddrArg];
  long UserLength = Call.Arg[AddrArg + 1];
  if (!User || !UserLength)
    return passToHost(Call);
  int Room;
  if (UserMemory::copyIn(&Room, reinterpret_cast<void *>(UserLength),
                         sizeof(Room)) < 0)
    return -EFAULT;
  if (Room < 0)
    return -EINVAL;
  sockaddr_storage Local;
  socklen_t Length = sizeof(Local);
  SyscallCall HostCall = Call;
  HostCall.Arg[AddrArg] = reinterpret_cast<long>(&Local);
  HostCall.Arg[AddrArg + 1] = reinterpret_cast<long>(&Length);
  long Done = passToHost(HostCall);
  if (isError(Done))
    return Done;
  unmapName(reinterpret_cast<sockaddr_un &>(Local), Length);
  size_t Put = size_t(Room) < Length ? size_t(Room) : Length;
  if (UserMemory::copyOut(reinterpret_cast<void *>(User), &Local, Put) < 0 ||
      UserMemory::copyOut(reinterpret_cast<void *>(UserLength), &Length,
                          sizeof(Length)) < 0) {
    // Linux's answer for an address it cannot write; a descriptor the call
    // made goes again.
    if (Call.Number == SYS_accept || Call.Number == SYS_accept4)
      (void)hostCall(SYS_close, Done);
    return -EFAULT;
  }
  return Done;
}

/// A received message's sender (msg_name of the message at \p UserMsg,
/// whose buffer held \p Room bytes): its bound name if it is a K42
/// socket's host name.
void answerMsgName(long UserMsg, socklen_t Room) {
  msghdr Msg;
  if (UserMemory::copyIn(&Msg, reinterpret_cast<void *>(UserMsg), sizeof(Msg)) <
          0 ||
      !Msg.msg_name)
    return;
  sockaddr_un Name;
  socklen_t Length = Msg.msg_namelen;
  if (Length > sizeof(Name) || Length > Room ||
      UserMemory::copyIn(&Name, Msg.msg_name, Length) < 0 ||
      !unmapName(Name, Length))
    return;
  size_t Put = Room < Length ? Room : Length;
  if (UserMemory::copyOut(Msg.msg_name, &Name, Put) < 0)
    return;
  (void)UserMemory::copyOut(reinterpret_cast<char *>(UserMsg) +
                                offsetof(msghdr, msg_namelen),
                            &Length, sizeof(Length));
}

/// The room of the msg_name buffer of the message at \p UserMsg before a
/// receive (0 for none or an unreadable message).
socklen_t nameRoom(long UserMsg) {
  msghdr Msg;
  if (UserMemory::copyIn(&Msg, reinterpret_cast<void *>(UserMsg), sizeof(Msg)) <
          0 ||
      !Msg.msg_name)
    return 0;
  return Msg.msg_namelen;
}

/// Whether \p Fd is a K42 pipe end: its placeholder is a host socket,
/// which a socket call would reach (getsockopt answered SOCK_SEQPACKET, a
/// send went into the placeholder), where Linux answers ENOTSOCK for a
/// pipe. A K42 file's placeholder is a memfd: the host's ENOTSOCK.
bool pipeEnd(long Fd) { return PipeCalls::get(Fd) != nullptr; }

} // namespace

long sys::getsockname(SyscallCall &Call) {
  return pipeEnd(Call.Arg[0]) ? -ENOTSOCK : answerName(Call, 1);
}
long sys::getpeername(SyscallCall &Call) {
  return pipeEnd(Call.Arg[0]) ? -ENOTSOCK : answerName(Call, 1);
}
long sys::accept(SyscallCall &Call) {
  return pipeEnd(Call.Arg[0]) ? -ENOTSOCK : answerName(Call, 1);
}
long sys::accept4(SyscallCall &Call) {
  return pipeEnd(Call.Arg[0]) ? -ENOTSOCK : answerName(Call, 1);
}
long sys::recvfrom(SyscallCall &Call) {
  return pipeEnd(Call.Arg[0]) ? -ENOTSOCK : answerName(Call, 4);
}

long sys::bind(SyscallCall &Call) {
  return pipeEnd(Call.Arg[0]) ? -ENOTSOCK : mapped(Call, 1, true);
}
long sys::connect(SyscallCall &Call) {
  return pipeEnd(Call.Arg[0]) ? -ENOTSOCK : mapped(Call, 1, false);
}
long sys::sendto(SyscallCall &Call) {
  return pipeEnd(Call.Arg[0]) ? -ENOTSOCK : mapped(Call, 4, false);
}

long sys::shutdown(SyscallCall &Call) {
  return pipeEnd(Call.Arg[0]) ? -ENOTSOCK : passToHost(Call);
}
long sys::listen(SyscallCall &Call) {
  return pipeEnd(Call.Arg[0]) ? -ENOTSOCK : passToHost(Call);
}
long sys::setsockopt(SyscallCall &Call) {
  return pipeEnd(Call.Arg[0]) ? -ENOTSOCK : passToHost(Call);
}
long sys::getsockopt(SyscallCall &Call) {
  return pipeEnd(Call.Arg[0]) ? -ENOTSOCK : passToHost(Call);
}

long sys::sendmsg(SyscallCall &Call) {
  if (pipeEnd(Call.Arg[0]))
    return -ENOTSOCK;
  return sendMessage(Call.Arg[0], Call.Arg[1], Call.Arg[2]);
}

long sys::recvmsg(SyscallCall &Call) {
  if (pipeEnd(Call.Arg[0]))
    return -ENOTSOCK;
  socklen_t Room = nameRoom(Call.Arg[1]);
  long Got = passToHost(Call);
  if (!isError(Got)) {
    PassedFds::received(Call.Arg[1]);
    answerMsgName(Call.Arg[1], Room);
  }
  return Got;
}

long sys::pidfd_getfd(SyscallCall &Call) {
  // The host copies the other process's descriptor; what a K42 one is
  // lives in that process, so the placeholder is learnt here as a
  // received one is.
  long Got = passToHost(Call);
  if (!isError(Got))
    PassedFds::adopt(Got);
  return Got;
}

long sys::sendmmsg(SyscallCall &Call) {
  if (pipeEnd(Call.Arg[0]))
    return -ENOTSOCK;
  unsigned Count =
      unsigned(Call.Arg[2]) < MaxMessages ? unsigned(Call.Arg[2]) : MaxMessages;
  if (!namesK42(Call.Arg[1], Count)) {
    // Each message's K42 pipe ends are the pipe server's before the host
    // sends any (as sendmsg's).
    // A message carrying one of the personality's descriptors is not
    // sent, nor any after it: the count before it (EBADF if first).
    for (unsigned I = 0; I < Count; ++I)
      if (PassedFds::beforeSend(Call.Arg[1] + long(I * sizeof(mmsghdr))) ==
          -EBADF) {
        if (I == 0)
          return -EBADF;
        SyscallCall Fewer = Call;
        Fewer.Arg[2] = long(I);
        return passToHost(Fewer);
      }
    return passToHost(Call);
  }
  // A destination to map: a sendmsg each, which is what sendmmsg is on
  // Linux (the count sent, an error only if the first failed; each
  // message's msg_len written).
  unsigned Sent = 0;
  for (; Sent < Count; ++Sent) {
    long Entry = Call.Arg[1] + long(Sent * sizeof(mmsghdr));
    long Done = sendMessage(Call.Arg[0], Entry, Call.Arg[3]);
    if (isError(Done))
      return Sent ? long(Sent) : Done;
    unsigned Length = unsigned(Done);
    if (UserMemory::copyOut(reinterpret_cast<char *>(Entry) +
                                offsetof(mmsghdr, msg_len),
                            &Length, sizeof(Length)) < 0)
      return Sent ? long(Sent) : -EFAULT;
  }
  return long(Sent);
}

long sys::recvmmsg(SyscallCall &Call) {
  if (pipeEnd(Call.Arg[0]))
    return -ENOTSOCK;
  // Each sender's name (msg_name) answered as recvmsg's: every message's
  // buffer room read before the host writes; the rooms of the first few
  // on the stack, of more in the heap.
  constexpr long OnStack = 64;
  long Vlen = long(unsigned(Call.Arg[2])); // the kernel's unsigned int
  if (Vlen > long(MaxMessages))
    Vlen = long(MaxMessages);
  socklen_t Near[OnStack];
  auto *Far = Vlen > OnStack ? static_cast<socklen_t *>(GateHeap::allocate(
                                   size_t(Vlen) * sizeof(socklen_t)))
                             : nullptr;
  socklen_t *Rooms = Far ? Far : Near;
  // No memory for more: the first OnStack answered, the rest the host's
  // names.
  long Kept = Far || Vlen < OnStack ? Vlen : OnStack;
  for (long I = 0; I < Kept; ++I)
    Rooms[I] = nameRoom(Call.Arg[1] + long(I * sizeof(mmsghdr)));
  long Got = passToHost(Call);
  for (long I = 0; !isError(Got) && I < Got; ++I) {
    long Entry = Call.Arg[1] + long(I * sizeof(mmsghdr));
    PassedFds::received(Entry);
    if (I < Kept)
      answerMsgName(Entry, Rooms[I]);
  }
  GateHeap::release(Far);
  return Got;
}
