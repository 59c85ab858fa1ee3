//===- runtime/linux/HeldScan.cpp - A thread's holds, by its stack --------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/HeldScan.h"

#include "k42/personality/HandlerStack.h"
#include "k42/personality/HostCall.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>

using namespace k42::personality;

namespace {

/// One hex number at \p P (advanced past it).
uintptr_t hex(const char *&P, const char *End) {
  uintptr_t V = 0;
  for (; P < End; ++P) {
    char C = *P;
    int D = C >= '0' && C <= '9'   ? C - '0'
            : C >= 'a' && C <= 'f' ? C - 'a' + 10
                                   : -1;
    if (D < 0)
      break;
    V = V * 16 + uintptr_t(D);
  }
  return V;
}

/// The top of the mapping that holds \p Address, from /proc/self/maps; 0
/// when it cannot be read or names none.
uintptr_t mappingTop(uintptr_t Address) {
  static const char Maps[] = "/proc/self/maps";
  long Fd =
      hostCall(SYS_open, reinterpret_cast<long>(Maps), O_RDONLY | O_CLOEXEC);
  if (isError(Fd))
    return 0;
  char Buffer[4096];
  size_t Have = 0;
  uintptr_t Top = 0;
  for (;;) {
    long N = hostCall(SYS_read, Fd, reinterpret_cast<long>(Buffer + Have),
                      long(sizeof(Buffer) - Have));
    if (N <= 0)
      break;
    Have += size_t(N);
    // Whole lines: "low-high perms ...".
    size_t Start = 0;
    for (size_t I = 0; I < Have; ++I) {
      if (Buffer[I] != '\n')
        continue;
      const char *P = Buffer + Start, *End = Buffer + I;
      uintptr_t Low = hex(P, End);
      uintptr_t High = P < End && *P == '-' ? hex(++P, End) : 0;
      if (Low <= Address && Address < High)
        Top = High;
      Start = I + 1;
    }
    if (Top)
      break;
    // The rest of a line waits for the next read; a line longer than the
    // buffer (a very long path) is skipped past its range.
    if (Start == 0)
      Start = Have;
    for (size_t I = Start; I < Have; ++I)
      Buffer[I - Start] = Buffer[I];
    Have -= Start;
  }
  (void)hostCall(SYS_close, Fd);
  return Top;
}

} // namespace

bool HeldScan::record(const void *Object) {
  if (Count == MaxHolds)
    return false;
  Found[Count++] = Object;
  return true;
}

void HeldScan::scanRange(uintptr_t Low, uintptr_t High) {
  Known = true;
  Low = (Low + 7) & ~uintptr_t(7);
  for (uintptr_t At = Low; At + 16 <= High; At += 8) {
    auto *Words = reinterpret_cast<const volatile uintptr_t *>(At);
    uintptr_t Object = Words[0];
    // A user-space address (so never the xor of one, read backwards).
    if (Object && Object < UserTop && Words[1] == (Object ^ Magic) &&
        !record(reinterpret_cast<const void *>(Object))) {
      Known = false;
      return;
    }
  }
}

void HeldScan::scan() {
  Known = false;
  Count = 0;
  // On an alternate stack, the call a handler interrupted has its frames
  // on the thread's own stack, which this thread cannot name.
  stack_t Now{};
  if (hostCall(SYS_sigaltstack, 0, reinterpret_cast<long>(&Now)) != 0 ||
      (Now.ss_flags & SS_ONSTACK))
    return;
  auto Here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  // A call on one of the personality's stacks: its frames up to the link,
  // then those of the stack it came from.
  uintptr_t Top, Caller;
  while (HandlerStack::linkOf(Here, Top, Caller)) {
    scanRange(Here, Top);
    if (!Known)
      return;
    Here = Caller;
  }
  if (uintptr_t Top = mappingTop(Here))
    scanRange(Here, Top);
  else
    Known = false;
}
