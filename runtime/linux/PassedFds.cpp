//===- runtime/linux/PassedFds.cpp - K42 descriptors by SCM_RIGHTS --------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/PassedFds.h"

#include "k42/personality/DescriptionPool.h"
#include "k42/personality/FdTable.h"
#include "k42/personality/FileDescription.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/PipeCalls.h"
#include "k42/personality/PipeClient.h"
#include "k42/personality/ProcNames.h"
#include "k42/personality/ProgramFds.h"
#include "k42/personality/ScmRights.h"
#include "k42/personality/StaleFds.h"
#include "k42/personality/UserMemory.h"

#include <cerrno>
#include <cstring>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>

using namespace k42::personality;

namespace {

/// Room for the control data looked at: SCM_MAX_FD (253) descriptors.
constexpr size_t ControlRoom = 2048;

/// Calls \p Each(fd) for every SCM_RIGHTS descriptor of the user's message
/// at \p UserMsg, as it is now; -EFAULT if it cannot be read.
template <typename Fn> long forEachPassed(long UserMsg, Fn Each) {
  msghdr Msg;
  if (UserMemory::copyIn(&Msg, reinterpret_cast<void *>(UserMsg), sizeof(Msg)) <
      0)
    return -EFAULT;
  if (!Msg.msg_control || Msg.msg_controllen < sizeof(cmsghdr))
    return 0;
  alignas(cmsghdr) char Control[ControlRoom];
  size_t Length = Msg.msg_controllen < sizeof(Control) ? Msg.msg_controllen
                                                       : sizeof(Control);
  if (UserMemory::copyIn(Control, Msg.msg_control, Length) < 0)
    return -EFAULT;
  msghdr Local{};
  Local.msg_control = Control;
  Local.msg_controllen = Length;
  forEachScmRight(Local, Each);
  return 0;
}

/// \p Fd, just received, as the pipe end its placeholder's tag names.
bool adoptPipe(long Fd) {
  PipeTag Tag;
  if (PipeClient::peekTag(Fd, Tag) != 0)
    return false;
  auto *End = PipeTable::makeEnd();
  if (!End)
    return false;
  End->Writer = Tag.Writes && !Tag.Reads;
  End->ReadWrite = Tag.Reads && Tag.Writes;
  End->Slot = Tag.Slot;
  End->ServerPid = Tag.ServerPid;
  End->ServerFd = Tag.ServerFd;
  End->Id = Tag.Id;
  // The ring is mapped at first use, from the server's memfd (as after
  // exec: PipeClient::attach checks its magic and Id).
  if (!PipeTable::process().install(Fd, End)) {
    PipeTable::recycle(End);
    return false;
  }
  return true;
}

/// \p Fd, just received, as the K42 file whose description memfd it is.
void adoptFile(long Fd) {
  char Path[FdPathBytes];
  fdPath(Fd, Path);
  char Link[64];
  long N = hostCall(SYS_readlink, reinterpret_cast<long>(Path),
                    reinterpret_cast<long>(Link), sizeof(Link) - 1);
  if (N <= 0)
    return;
  Link[N] = 0;
  static const char Memfd[] = "/memfd:";
  size_t Prefix = sizeof(Memfd) - 1,
         Name = std::strlen(FileDescription::MemfdName);
  if (size_t(N) < Prefix + Name || std::memcmp(Link, Memfd, Prefix) != 0 ||
      std::memcmp(Link + Prefix, FileDescription::MemfdName, Name) != 0 ||
      (Link[Prefix + Name] != ' ' && Link[Prefix + Name] != 0))
    return;
  // A memfd of that name the program made could be shorter than a
  // description: no mapping past its end.
  struct stat Info;
  if (hostCall(SYS_fstat, Fd, reinterpret_cast<long>(&Info)) != 0 ||
      uint64_t(Info.st_size) < sizeof(FileDescription))
    return;
  OpenFile *F = FdTable::makeFile();
  if (!F)
    return;
  if (FileDescription::attach(Fd, F->Desc) < 0) {
    FdTable::recycle(F);
    return;
  }
  // The process that made it keeps it for no next open of its own.
  __atomic_store_n(&F->Desc->Taken, 1, __ATOMIC_RELEASE);
  if (!FdTable::process().install(Fd, F)) {
    FileDescription::detach(F->Desc);
    FdTable::recycle(F);
  }
}

} // namespace

long PassedFds::beforeSend(long UserMsg) {
  // One of the personality's own descriptors is no descriptor of the
  // program's to send (its kernel connection, a channel's memfd): EBADF,
  // as for a number the program does not hold, before any pipe end is
  // handed over.
  bool Private = false, Files = false;
  if (long E = forEachPassed(UserMsg,
                             [&](int Fd) {
                               Private |= ProgramFds::isPrivate(Fd);
                               Files |= FdTable::process().get(Fd) != nullptr;
                             });
      E < 0)
    return E;
  if (Private)
    return -EBADF;
  // The receiver holds the descriptions sent: none goes back to the pool.
  if (Files)
    DescriptionPool::exposeAll();
  return forEachPassed(UserMsg, [](int Fd) {
    if (PipeEnd *End = PipeCalls::get(Fd))
      PipeCalls::taken(*End);
  });
}

void PassedFds::received(long UserMsg) {
  (void)forEachPassed(UserMsg, [](int Fd) { adopt(Fd); });
}

void PassedFds::adopt(long Fd) {
  // New here: what the tables hold at its number is a closed one's, and
  // the number is the program's.
  StaleFds::drop(Fd);
  ProgramFds::gained(Fd);
  if (Fd < 0 || Fd >= PipeTable::MaxFds || PipeCalls::get(Fd) ||
      FdTable::process().get(Fd))
    return;
  if (!adoptPipe(Fd))
    adoptFile(Fd);
}
