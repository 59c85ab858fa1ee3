//===- runtime/linux/UserMemory.cpp - Checked copies ----------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/UserMemory.h"

#include "k42/personality/HostCall.h"
#include "k42/personality/ProcessState.h"

#include <cerrno>

#include <sys/syscall.h>
#include <sys/uio.h>

using namespace k42::personality;

namespace {
/// One process_vm_readv/writev on this process; on the calling thread
/// itself if that is refused (a clone child that shares the memory but not
/// the thread group, whose cached pid is its parent's).
long transfer(long Number, void *To, const void *From, size_t Length) {
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
  if (Done == static_cast<long>(Length))
    return 0;
  return -EFAULT;
}
} // namespace

long UserMemory::copyIn(void *To, const void *From, size_t Length) {
  return transfer(SYS_process_vm_readv, To, From, Length);
}

long UserMemory::copyOut(void *To, const void *From, size_t Length) {
  return transfer(SYS_process_vm_writev, To, From, Length);
}
