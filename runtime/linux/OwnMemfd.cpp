//===- runtime/linux/OwnMemfd.cpp - Sizing the personality's memfds -------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/OwnMemfd.h"

#include "k42/personality/FdLimit.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/PipeClient.h"
#include "k42/personality/ProcNames.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>

#include <sys/mman.h>
#include <sys/stat.h>

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

uint64_t OwnMemfd::limit() {
  if (__atomic_load_n(&State, __ATOMIC_ACQUIRE) == Read)
    return __atomic_load_n(&Soft, __ATOMIC_RELAXED);
  rlimit Host;
  if (hostCall(SYS_prlimit64, 0, RLIMIT_FSIZE, 0,
               reinterpret_cast<long>(&Host)) != 0)
    return RLIM_INFINITY; // the host's calls say
  // Kept unless the program has set its limit since: limitSet() runs
  // after the host's set, so a value read before it is never kept.
  keep(Host.rlim_cur);
  return Host.rlim_cur;
}

bool OwnMemfd::fits(uint64_t Bytes) {
  uint64_t Limit = limit();
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

void OwnMemfd::moveTo(long Fd, long Target) {
  if (Fd == Target) {
    (void)hostCall(SYS_fcntl, Fd, F_SETFD, 0);
    return;
  }
  (void)hostCall(SYS_dup3, Fd, Target, 0);
  (void)hostCall(SYS_close, Fd);
}

long OwnMemfd::write(long Fd, const void *Bytes, size_t Length, uint64_t At) {
  if (fits(At + Length))
    return hostCall(SYS_pwrite64, Fd, reinterpret_cast<long>(Bytes),
                    long(Length), long(At));
  struct stat St;
  if (long E = hostCall(SYS_fstat, Fd, reinterpret_cast<long>(&St)); E < 0)
    return E;
  if (uint64_t(St.st_size) < At + Length)
    if (long E = size(Fd, At + Length); E < 0)
      return E;
  constexpr uint64_t Page = 4096;
  uint64_t Start = At & ~(Page - 1);
  size_t Span = size_t(At + Length - Start);
  long Map = hostCall(SYS_mmap, 0, long(Span), PROT_WRITE, MAP_SHARED, Fd,
                      long(Start));
  if (isError(Map))
    return Map;
  std::memcpy(reinterpret_cast<char *>(Map) + (At - Start), Bytes, Length);
  (void)hostCall(SYS_munmap, Map, long(Span));
  return long(Length);
}

long OwnMemfd::readOnlyFile(const char *Name, const void *Bytes, size_t Length,
                            long OpenFlags) {
  long Mem = hostCall(SYS_memfd_create, reinterpret_cast<long>(Name),
                      MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (Mem < 0)
    return Mem;
  if (write(Mem, Bytes, Length, 0) != long(Length)) {
    (void)hostCall(SYS_close, Mem);
    return -ENOMEM;
  }
  (void)hostCall(SYS_fcntl, Mem, F_ADD_SEALS,
                 F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL);
  char Self[FdPathBytes];
  fdPath(Mem, Self);
  long Result = hostCall(SYS_openat, AT_FDCWD, reinterpret_cast<long>(Self),
                         O_RDONLY | (OpenFlags & O_CLOEXEC));
  (void)hostCall(SYS_close, Mem);
  return FdLimit::check(Result);
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
