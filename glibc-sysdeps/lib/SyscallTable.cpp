//===- glibc-sysdeps/lib/SyscallTable.cpp - The transfer table ------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The table, made by the compiler from syscalls.def: a constant array of
/// handlers in read-only memory, so no process can be tricked into
/// rewriting where a call goes, and a parallel array of descriptions.
///
//===----------------------------------------------------------------------===//

#include "k42/personality/SyscallTable.h"

#include "k42/personality/Handlers.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/RefusalLog.h"

#include <array>
#include <cerrno>

using namespace k42::personality;

namespace {

/// The NOSYS disposition: the entry's errno, logged once.
long refuse(SyscallCall &Call) {
  const SyscallInfo &Info = SyscallTable::info(Call.Number);
  RefusalLog::once(Call.Number, Info.Name, Info.Errno);
  return -Info.Errno;
}

/// Numbers without an entry.
long unknown(SyscallCall &Call) {
  RefusalLog::once(Call.Number, nullptr, ENOSYS);
  return -ENOSYS;
}

// Each disposition names a macro applied to (Name) for each column.
#define K42_HANDLER_OF(Name) &sys::Name
#define K42_HOST_HANDLER(Name) &passToHost
#define K42_REFUSE_HANDLER(Name) &refuse
#define K42_HANDLER_K42 K42_HANDLER_OF
#define K42_HANDLER_HOST K42_HOST_HANDLER
#define K42_HANDLER_NOSYS(Errno) K42_REFUSE_HANDLER
#define K42_KIND_K42 Disposition::K42
#define K42_KIND_HOST Disposition::Host
#define K42_KIND_NOSYS(Errno) Disposition::NoSys
#define K42_ERRNO_K42 0
#define K42_ERRNO_HOST 0
#define K42_ERRNO_NOSYS(Errno) Errno

/// Not constexpr: reaching it stops the compile, naming the mistake.
void syscallsDefListsANumberTwiceOrPastTheTable() {}

struct Table {
  std::array<SyscallHandler, TableSize> Handlers;
  std::array<SyscallInfo, TableSize> Infos;
};

/// Fills both arrays from syscalls.def. A number listed twice, or past the
/// table, makes this non-constant, which fails the build.
consteval Table makeTable() {
  Table T{};
  for (SyscallHandler &H : T.Handlers)
    H = &unknown;
  auto Add = [&](long Number, SyscallHandler Handler, const char *Name,
                 int Args, Disposition Kind, int Errno) {
    if (Number < 0 || Number >= TableSize || T.Infos[Number].Name)
      syscallsDefListsANumberTwiceOrPastTheTable();
    T.Handlers[Number] = Handler;
    T.Infos[Number] = SyscallInfo{Name, static_cast<uint8_t>(Args), Kind,
                                  static_cast<int16_t>(Errno)};
  };
#define K42_SYSCALL(Number, Name, Args, Disposition)                           \
  Add(Number, K42_HANDLER_##Disposition(Name), #Name, Args,                    \
      K42_KIND_##Disposition, K42_ERRNO_##Disposition);
#include "syscalls.def"
#undef K42_SYSCALL
  return T;
}

constexpr Table TheTable = makeTable();

const SyscallInfo UnknownInfo{};

} // namespace

constinit const std::array<SyscallHandler, TableSize> SyscallTable::Handlers =
    TheTable.Handlers;

const SyscallInfo &SyscallTable::info(long Number) {
  auto Low = static_cast<unsigned>(Number);
  if (Low >= TableSize)
    return UnknownInfo;
  return TheTable.Infos[Low];
}

long SyscallTable::refuseUnknown(SyscallCall &Call) { return unknown(Call); }

long k42::personality::passToHost(SyscallCall &Call) {
  return hostCall(Call.Number, Call.Arg[0], Call.Arg[1], Call.Arg[2],
                  Call.Arg[3], Call.Arg[4], Call.Arg[5]);
}
