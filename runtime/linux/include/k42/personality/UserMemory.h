//===- k42/personality/UserMemory.h - Checked copies ------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Copies between the personality and memory a caller named in a system
/// call. A handler runs in the caller's own process, so a bad pointer
/// faults in the personality: these copies run in k42_user_copy
/// (x86_64/UserCopy.S), whose faults FaultSignals recovers, so that a bad
/// pointer answers EFAULT as the kernel would have at the cost of a fault,
/// and a good one costs a memcpy, not a host call. While a thread may have
/// SIGSEGV or SIGBUS blocked (the kernel would kill the process on a
/// fault), or before FaultSignals::install(), they go through the host
/// instead (process_vm_readv/writev on the calling thread).
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_USERMEMORY_H
#define K42_PERSONALITY_USERMEMORY_H

#include <cerrno>
#include <cstddef>

#include <sys/uio.h>

namespace k42::personality {

/// Checked copies in and out of the caller's memory.
class UserMemory {
public:
  /// Copies \p Length bytes from the caller's \p From; 0 or -EFAULT.
  static long copyIn(void *To, const void *From, size_t Length);
  /// Copies \p Length bytes to the caller's \p To; 0 or -EFAULT.
  static long copyOut(void *To, const void *From, size_t Length);
  /// Copies from the caller's \p From as far as it is readable: the bytes
  /// copied, as Linux's read and write count a buffer that is partly
  /// mapped.
  static size_t copyInSome(void *To, const void *From, size_t Length);
  /// Copies to the caller's \p To as far as it is writable: the bytes
  /// copied.
  static size_t copyOutSome(void *To, const void *From, size_t Length);
  /// The last component of the caller's path \p Path (its first 4096
  /// bytes, read in small pieces: no path-sized buffer): its length, and
  /// as much of it as fits, with a NUL, in \p Out (\p Room bytes).
  static size_t lastComponent(const char *Path, char *Out, size_t Room);
};

/// Moves the pieces of a readv-style vector (\p Count iovecs at \p Iov in
/// the caller's memory) one at a time through \p Piece(Base, Length,
/// Done), where Done is what the pieces before moved, with Linux's rules
/// for the whole call: a count outside 0..1024 is EINVAL, empty pieces are
/// skipped, a short piece ends the call, and an error (a bad vector is
/// EFAULT) after some bytes moved answers those bytes. One loop for every
/// vectored call the personality serves (files, pipes, preadv/pwritev).
template <typename PieceFn>
long forEachPiece(long Iov, long Count, PieceFn &&Piece) {
  if (Count < 0 || Count > 1024)
    return -EINVAL;
  long Total = 0;
  for (long I = 0; I < Count; ++I) {
    iovec V;
    if (UserMemory::copyIn(&V, reinterpret_cast<iovec *>(Iov) + I, sizeof(V)) <
        0)
      return Total ? Total : -EFAULT;
    if (V.iov_len == 0)
      continue;
    long N = Piece(V.iov_base, V.iov_len, Total);
    if (N < 0)
      return Total ? Total : N;
    Total += N;
    if (size_t(N) < V.iov_len)
      break;
  }
  return Total;
}

} // namespace k42::personality

#endif // K42_PERSONALITY_USERMEMORY_H
