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

#include "k42/personality/FdLimit.h"
#include "k42/personality/Handlers.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/ProgramFds.h"
#include "k42/personality/RefusalLog.h"

#include <array>
#include <cerrno>

#include <sys/syscall.h>

using namespace k42::personality;

namespace {

/// The NOSYS disposition: the entry's errno, logged once.
long refuse(SyscallCall &Call) {
  SyscallInfo Info = SyscallTable::info(Call.Number);
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
void syscallsDefHasANameTooLong() {}

/// The longest name syscalls.def may hold, with its terminator.
constexpr size_t NameBytes = 24;

/// One number's description as stored: no pointer in it, so the table is
/// plain read-only data that the dynamic loader never relocates (a
/// pointer per entry was 2,000 relocations, and their pages copied, in
/// every program that loads the personality).
struct Entry {
  char Name[NameBytes];
  uint8_t Args;
  Disposition Kind;
  int16_t Errno;
  /// Index into the table's Handlers.
  uint16_t Handler;
};

struct Table {
  std::array<SyscallHandler, SyscallTable::NumHandlers> Handlers;
  std::array<Entry, TableSize> Entries;
};

/// Fills both arrays from syscalls.def. A number listed twice, or past the
/// table, or a name too long makes this non-constant, which fails the
/// build.
consteval Table makeTable() {
  Table T{};
  // 0: unknown (numbers without an entry), 1: host, 2: refused.
  T.Handlers[0] = &unknown;
  T.Handlers[1] = &passToHost;
  T.Handlers[2] = &refuse;
  uint16_t NumHandlers = 3;
  auto Add = [&](long Number, SyscallHandler Handler, const char *Name,
                 int Args, Disposition Kind, int Errno) {
    if (Number < 0 || Number >= TableSize || T.Entries[Number].Name[0])
      syscallsDefListsANumberTwiceOrPastTheTable();
    Entry &E = T.Entries[Number];
    for (size_t I = 0; Name[I]; ++I) {
      if (I + 1 >= NameBytes)
        syscallsDefHasANameTooLong();
      E.Name[I] = Name[I];
    }
    E.Args = static_cast<uint8_t>(Args);
    E.Kind = Kind;
    E.Errno = static_cast<int16_t>(Errno);
    if (Kind == Disposition::Host) {
      E.Handler = 1;
    } else if (Kind == Disposition::NoSys) {
      E.Handler = 2;
    } else {
      T.Handlers[NumHandlers] = Handler;
      E.Handler = NumHandlers++;
    }
  };
#define K42_SYSCALL(Number, Name, Args, Disposition)                           \
  Add(Number, K42_HANDLER_##Disposition(Name), #Name, Args,                    \
      K42_KIND_##Disposition, K42_ERRNO_##Disposition);
#include "syscalls.def"
#undef K42_SYSCALL
  return T;
}

constexpr Table TheTable = makeTable();

/// The entries alone: read-only data with no relocation.
constexpr std::array<Entry, TableSize> Entries = TheTable.Entries;

} // namespace

constinit const std::array<SyscallHandler, SyscallTable::NumHandlers>
    SyscallTable::Handlers = TheTable.Handlers;

constinit const std::array<uint16_t, TableSize> SyscallTable::HandlerIndex =
    [] {
      std::array<uint16_t, TableSize> Index{};
      for (long N = 0; N < TableSize; ++N)
        Index[N] = TheTable.Entries[N].Handler;
      return Index;
    }();

SyscallInfo SyscallTable::info(long Number) {
  auto Low = static_cast<unsigned>(Number);
  if (Low >= TableSize || !Entries[Low].Name[0])
    return SyscallInfo{};
  const Entry &E = Entries[Low];
  return SyscallInfo{E.Name, E.Args, E.Kind, E.Errno};
}

long SyscallTable::refuseUnknown(SyscallCall &Call) { return unknown(Call); }

namespace {
/// Whether ioctl request \p Request answers a new descriptor: a pty's
/// peer (TIOCGPTPEER: glibc's openpty), a namespace's owner or parent
/// (NS_GET_USERNS, NS_GET_PARENT), a pidfd's namespaces
/// (PIDFD_GET_*_NAMESPACE).
bool ioctlMakesFd(uint32_t Request) {
  constexpr uint32_t TiocGPtPeer = 0x5441;
  constexpr uint32_t NsGetUserns = 0xb701, NsGetParent = 0xb702;
  constexpr uint32_t PidfdFirst = 0xff01, PidfdLast = 0xff0a;
  return Request == TiocGPtPeer || Request == NsGetUserns ||
         Request == NsGetParent ||
         (Request >= PidfdFirst && Request <= PidfdLast);
}
} // namespace

long k42::personality::passToHost(SyscallCall &Call) {
  // None of the personality's own descriptors is the program's to use.
  if (ProgramFds::namesPrivate(Call.Number, Call.Arg))
    return -EBADF;
  long Result = hostCall(Call.Number, Call.Arg[0], Call.Arg[1], Call.Arg[2],
                         Call.Arg[3], Call.Arg[4], Call.Arg[5]);
  if (Result < 0)
    return Result;
  // The host's limit is not the program's (FdLimit): a new descriptor at
  // or above the program's soft limit is closed again, EMFILE as Linux.
  switch (Call.Number) {
  case SYS_socket:
  case SYS_accept:
  case SYS_accept4:
  case SYS_epoll_create:
  case SYS_epoll_create1:
  case SYS_inotify_init:
  case SYS_inotify_init1:
  case SYS_timerfd_create:
  case SYS_eventfd:
  case SYS_eventfd2:
  case SYS_memfd_create:
  case SYS_mq_open:
  case SYS_perf_event_open:
  case SYS_fanotify_init:
  case SYS_userfaultfd:
  case SYS_pidfd_open:
  case SYS_pidfd_getfd:
  case SYS_fsopen:
  case SYS_fsmount:
  case SYS_fspick:
  case SYS_landlock_create_ruleset:
  case SYS_memfd_secret:
  // Descriptor-making calls that reach here from K42 handlers.
  case SYS_open:
  case SYS_openat:
  case SYS_creat:
  case SYS_openat2:
  case SYS_open_tree:
  case SYS_dup:
    return FdLimit::check(Result);
  case SYS_signalfd:
  case SYS_signalfd4: // a new one only for -1 (the kernel reads an int)
    return int(Call.Arg[0]) == -1 ? FdLimit::check(Result) : Result;
  case SYS_ioctl: // the requests that answer a new descriptor
    return ioctlMakesFd(uint32_t(Call.Arg[1])) ? FdLimit::check(Result)
                                               : Result;
  case SYS_socketpair:
    return FdLimit::checkPair(Call.Arg[3]);
  case SYS_pipe:
  case SYS_pipe2:
    return FdLimit::checkPair(Call.Arg[0]);
  default:
    return Result;
  }
}
