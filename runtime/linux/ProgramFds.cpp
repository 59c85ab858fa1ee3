//===- runtime/linux/ProgramFds.cpp - The program's high numbers ----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/ProgramFds.h"

#include "k42/personality/HostCall.h"
#include "k42/personality/SpawnView.h"

#include <fcntl.h>
#include <sys/syscall.h>

using namespace k42::personality;

namespace {

constexpr size_t Words = size_t(ProgramFds::Covered) / 64;

/// A bit a number from First: 128 KiB of .bss, of which a process touches
/// only the words of the numbers it has (its first page for the first
/// 32,768).
uint64_t Marks[Words];
/// One past the highest number ever marked: the walks stop there.
long Top = ProgramFds::First;

/// Where \p Fd's bit is, or false if the marks do not cover it.
bool at(long Fd, size_t &Word, uint64_t &Bit) {
  if (Fd < ProgramFds::First || Fd >= ProgramFds::First + ProgramFds::Covered)
    return false;
  size_t Index = size_t(Fd - ProgramFds::First);
  Word = Index / 64;
  Bit = uint64_t(1) << (Index % 64);
  return true;
}

} // namespace

long ProgramFds::top() { return __atomic_load_n(&Top, __ATOMIC_ACQUIRE); }

uint64_t ProgramFds::word(size_t Index) {
  return __atomic_load_n(&Marks[Index], __ATOMIC_ACQUIRE);
}

bool ProgramFds::marked(long Fd) {
  size_t Word;
  uint64_t Bit;
  return at(Fd, Word, Bit) && (word(Word) & Bit);
}

void ProgramFds::gained(long Fd) {
  size_t Word;
  uint64_t Bit;
  if (!at(Fd, Word, Bit) || SpawnView::current())
    return;
  __atomic_fetch_or(&Marks[Word], Bit, __ATOMIC_RELEASE);
  for (long Seen = top(); Seen <= Fd;)
    if (__atomic_compare_exchange_n(&Top, &Seen, Fd + 1, false,
                                    __ATOMIC_RELEASE, __ATOMIC_ACQUIRE))
      break;
}

void ProgramFds::lost(long Fd) {
  size_t Word;
  uint64_t Bit;
  if (!at(Fd, Word, Bit) || SpawnView::current())
    return;
  __atomic_fetch_and(&Marks[Word], ~Bit, __ATOMIC_RELEASE);
}

bool ProgramFds::holds(long Fd) { return Fd < First || marked(Fd); }

bool ProgramFds::isPrivate(long Fd) {
  return !holds(Fd) && hostCall(SYS_fcntl, Fd, F_GETFD) >= 0;
}

size_t ProgramFds::beforeExec(int32_t *Out, size_t Max) {
  size_t N = 0;
  forEach(First, First + Covered - 1, [&](long Fd) {
    long Flags = hostCall(SYS_fcntl, Fd, F_GETFD);
    if (Flags >= 0 && !(Flags & FD_CLOEXEC) && N < Max)
      Out[N++] = int32_t(Fd);
  });
  return N;
}

void ProgramFds::afterExec(const int32_t *In, size_t Count) {
  for (size_t I = 0; I < Count; ++I)
    gained(In[I]);
}
