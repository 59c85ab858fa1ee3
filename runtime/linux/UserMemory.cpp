//===- runtime/linux/UserMemory.cpp - Checked copies ----------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/UserMemory.h"

#include "k42/personality/FaultSignals.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/ProcessState.h"

#include <cerrno>

#include <sys/syscall.h>
#include <sys/uio.h>

using namespace k42::personality;

/// x86_64/UserCopy.S: the bytes not copied (0 when all were).
extern "C" size_t k42_user_copy(void *To, const void *From, size_t Length);

namespace {
/// One process_vm_readv/writev on this process; on the calling thread
/// itself if that is refused (a clone child that shares the memory but not
/// the thread group, whose cached pid is its parent's). The bytes copied:
/// the host stops where the memory stops, as a fault would.
size_t transfer(long Number, void *To, const void *From, size_t Length) {
  if (Length == 0)
    return 0;
  iovec Local{}, Remote{};
  if (Number == SYS_process_vm_readv) {
    Local = {To, Length};
    Remote = {const_cast<void *>(From), Length};
  } else {
    Local = {const_cast<void *>(From), Length};
    Remote = {To, Length};
  }
  auto Copy = [&](long Pid) {
    return hostCall(Number, Pid, reinterpret_cast<long>(&Local), 1,
                    reinterpret_cast<long>(&Remote), 1, 0);
  };
  long Done = Copy(ProcessState::pid());
  if (Done == -EPERM || Done == -ESRCH)
    Done = Copy(hostCall(SYS_gettid));
  return Done < 0 ? 0 : size_t(Done);
}

/// Whether a fault in k42_user_copy would come back as a short copy.
bool canFault() {
  return FaultSignals::installed() && !FaultSignals::mayBeBlocked();
}
} // namespace

size_t UserMemory::copyInSome(void *To, const void *From, size_t Length) {
  if (canFault())
    return Length - k42_user_copy(To, From, Length);
  return transfer(SYS_process_vm_readv, To, From, Length);
}

size_t UserMemory::copyOutSome(void *To, const void *From, size_t Length) {
  if (canFault())
    return Length - k42_user_copy(To, From, Length);
  return transfer(SYS_process_vm_writev, To, From, Length);
}

size_t UserMemory::lastComponent(const char *Path, char *Out, size_t Room) {
  size_t Length = 0;
  char Piece[128];
  for (long At = 0; At < 4096; At += sizeof(Piece)) {
    size_t Got = copyInSome(Piece, Path + At, sizeof(Piece));
    for (size_t I = 0; I < Got; ++I) {
      if (Piece[I] == 0) {
        Out[Length < Room ? Length : Room - 1] = 0;
        return Length;
      }
      if (Piece[I] == '/')
        Length = 0;
      else if (Length++ < Room - 1)
        Out[Length - 1] = Piece[I];
    }
    if (Got < sizeof(Piece))
      break;
  }
  Out[Length < Room ? Length : Room - 1] = 0;
  return Length;
}

long UserMemory::copyIn(void *To, const void *From, size_t Length) {
  return copyInSome(To, From, Length) == Length ? 0 : -EFAULT;
}

long UserMemory::copyOut(void *To, const void *From, size_t Length) {
  return copyOutSome(To, From, Length) == Length ? 0 : -EFAULT;
}
