//===- k42/personality/SeccompProgram.h - A filter's BPF -------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The classic BPF a seccomp filter is written in, checked and run by the
/// personality (SeccompFilters), since a filter installed on the host
/// would also judge the personality's own host calls: man-db's sandbox
/// allows no futex_waitv, so a filtered `col` could never read a K42 pipe.
/// The checks are Linux's (bpf_check_classic and seccomp_check_filter):
/// only the instructions seccomp takes, jumps that stay inside and go
/// forward, no division by a constant zero, no shift of 32 or more, no
/// scratch word read before every path to it stored it, a return last.
/// Running is the kernel's too: 32-bit A and X, sixteen scratch words, a
/// division by a zero X ends the program with 0, and shifts by X take its
/// low five bits.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_SECCOMPPROGRAM_H
#define K42_PERSONALITY_SECCOMPPROGRAM_H

#include <cstddef>
#include <cstdint>

#include <linux/filter.h>
#include <linux/seccomp.h>

namespace k42::personality {

/// One filter's instructions (not owned).
class SeccompProgram {
public:
  /// Linux's limit on one program (BPF_MAXINSNS).
  static constexpr unsigned MaxLength = 4096;

  SeccompProgram(const sock_filter *Code, unsigned Length)
      : Code(Code), Length(Length) {}

  /// 0 when Linux would take the program, else -EINVAL. \p Room, of at
  /// least the program's length, is the check's own: a program may have
  /// 4,096 instructions, and its caller may be on a small stack (a signal
  /// handler's, posix_spawn's child's).
  long check(uint16_t *Room) const;

  /// The program's verdict on \p Data: SECCOMP_RET_* in the high 16 bits,
  /// the data in the low ones. Only for a program check() took.
  uint32_t run(const seccomp_data &Data) const;

private:
  const sock_filter *Code;
  unsigned Length;
};

} // namespace k42::personality

#endif // K42_PERSONALITY_SECCOMPPROGRAM_H
