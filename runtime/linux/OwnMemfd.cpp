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

bool OwnMemfd::fits(uint64_t Bytes) {
  rlimit Limit;
  return hostCall(SYS_prlimit64, 0, RLIMIT_FSIZE, 0,
                  reinterpret_cast<long>(&Limit)) != 0 ||
         Limit.rlim_cur == RLIM_INFINITY || Limit.rlim_cur >= Bytes;
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
