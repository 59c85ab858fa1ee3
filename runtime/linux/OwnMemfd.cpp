//===- runtime/linux/OwnMemfd.cpp - Sizing the personality's memfds -------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/OwnMemfd.h"

#include "k42/personality/HostCall.h"
#include "k42/personality/PipeClient.h"

#include <cerrno>

#include <sys/resource.h>
#include <sys/syscall.h>

using namespace k42::personality;

namespace {

/// Whether Soft holds the process's RLIMIT_FSIZE soft limit.
enum : uint32_t {
  Unread,  // not read yet: the first fits() reads it
  Read,    // Soft is the limit
  Changing // the program set it: read each time, as before
};
uint32_t State = Unread;
uint64_t Soft = 0;

} // namespace

bool OwnMemfd::fits(uint64_t Bytes) {
  uint64_t Limit;
  if (__atomic_load_n(&State, __ATOMIC_ACQUIRE) == Read) {
    Limit = __atomic_load_n(&Soft, __ATOMIC_RELAXED);
  } else {
    rlimit Host;
    if (hostCall(SYS_prlimit64, 0, RLIMIT_FSIZE, 0,
                 reinterpret_cast<long>(&Host)) != 0)
      return true; // the ftruncate says
    Limit = Host.rlim_cur;
    // Kept unless the program has set its limit since: limitSet() runs
    // after the host's set, so a value read before it is never kept.
    keep(Limit);
  }
  return Limit == RLIM_INFINITY || Limit >= Bytes;
}

void OwnMemfd::limitSet() {
  __atomic_store_n(&State, Changing, __ATOMIC_RELEASE);
}

bool OwnMemfd::known(uint64_t &Soft) {
  if (__atomic_load_n(&State, __ATOMIC_ACQUIRE) != Read)
    return false;
  Soft = __atomic_load_n(&::Soft, __ATOMIC_RELAXED);
  return true;
}

void OwnMemfd::keep(uint64_t Soft) {
  __atomic_store_n(&::Soft, Soft, __ATOMIC_RELAXED);
  uint32_t Expected = Unread;
  (void)__atomic_compare_exchange_n(&State, &Expected, Read, false,
                                    __ATOMIC_RELEASE, __ATOMIC_RELAXED);
}

long OwnMemfd::size(long Fd, uint64_t Bytes) {
  if (fits(Bytes))
    return hostCall(SYS_ftruncate, Fd, long(Bytes));
  // The program's limit would refuse it, with SIGXFSZ: the pipe server
  // grows it instead.
  if (Bytes > MaxBytes)
    return -EFBIG;
  long E = PipeClient::grow(Fd, Bytes);
  return E == -ENOSYS ? -EFBIG : E;
}
