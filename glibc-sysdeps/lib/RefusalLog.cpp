//===- glibc-sysdeps/lib/RefusalLog.cpp - Refused calls, once each --------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/RefusalLog.h"

#include "k42/personality/HostCall.h"
#include "k42/personality/Syscall.h"

#include <atomic>
#include <cerrno>
#include <cstddef>

#include <fcntl.h>
#include <sys/syscall.h>

using namespace k42::personality;

namespace {

/// -1: nowhere. Descriptor 2 until configured.
std::atomic<int> LogFd{2};
/// One bit per table number; the last bit stands for every number past it.
constexpr size_t Words = (TableSize + 1 + 63) / 64;
std::atomic<unsigned long> Said[Words];
std::atomic<unsigned long> Logged{0};

/// Appends to a fixed buffer without libc (no locale, no errno, no TLS).
class Line {
public:
  void put(const char *Text) {
    while (*Text && Length < sizeof(Buffer))
      Buffer[Length++] = *Text++;
  }
  void put(unsigned long Value) {
    char Digits[24];
    int N = 0;
    do {
      Digits[N++] = static_cast<char>('0' + Value % 10);
      Value /= 10;
    } while (Value);
    while (N && Length < sizeof(Buffer))
      Buffer[Length++] = Digits[--N];
  }
  char Buffer[160];
  size_t Length = 0;
};

const char *errnoName(int Errno) {
  switch (Errno) {
  case ENOSYS:
    return "ENOSYS";
  case EPERM:
    return "EPERM";
  case EINVAL:
    return "EINVAL";
  case EOPNOTSUPP:
    return "EOPNOTSUPP";
  default:
    return nullptr;
  }
}

} // namespace

void RefusalLog::configure(const char *Spec) {
  auto Is = [&](const char *Word) {
    const char *S = Spec;
    while (*S && *S == *Word)
      ++S, ++Word;
    return *S == *Word;
  };
  if (!Spec || !*Spec || Is("stderr"))
    LogFd = 2;
  else if (Is("off"))
    LogFd = -1;
  else {
    long Fd = hostCall(SYS_openat, AT_FDCWD, reinterpret_cast<long>(Spec),
                       O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    LogFd = isError(Fd) ? 2 : static_cast<int>(Fd);
  }
}

void RefusalLog::once(long Number, const char *Name, int Errno) {
  auto Low = static_cast<unsigned>(Number);
  unsigned long Bit = Low < TableSize ? Low : TableSize;
  unsigned long Mask = 1UL << (Bit % 64);
  if (Said[Bit / 64].fetch_or(Mask, std::memory_order_relaxed) & Mask)
    return;
  Logged.fetch_add(1, std::memory_order_relaxed);
  int Fd = LogFd.load(std::memory_order_relaxed);
  if (Fd < 0)
    return;
  Line L;
  L.put("k42-linux: ");
  if (Name) {
    L.put(Name);
    L.put(" (");
    L.put(static_cast<unsigned long>(Low));
    L.put(")");
  } else if (Bit < TableSize) {
    L.put("unknown system call ");
    L.put(static_cast<unsigned long>(Low));
  } else {
    L.put("system call number out of range (first: ");
    L.put(static_cast<unsigned long>(Low));
    L.put(")");
  }
  L.put(" refused: ");
  if (const char *E = errnoName(Errno))
    L.put(E);
  else
    L.put(static_cast<unsigned long>(Errno));
  L.put("\n");
  (void)hostCall(SYS_write, Fd, reinterpret_cast<long>(L.Buffer),
                 static_cast<long>(L.Length));
}

void RefusalLog::say(const char *Text, unsigned long Length) {
  int Fd = LogFd.load(std::memory_order_relaxed);
  if (Fd >= 0)
    (void)hostCall(SYS_write, Fd, reinterpret_cast<long>(Text),
                   static_cast<long>(Length));
}

unsigned long RefusalLog::count() {
  return Logged.load(std::memory_order_relaxed);
}
