//===- runtime/linux/CallStats.cpp - Server calls, counted ----------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/CallStats.h"

#include "k42/personality/FsBridge.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/ProcNames.h"
#include "k42/personality/ProcessState.h"
#include "k42/personality/RefusalLog.h"

#include "File.k42.h"
#include "FileSystem.k42.h"
#include "LinuxProcess.k42.h"
#include "MountPoints.k42.h"
#include "NameService.k42.h"

#include <atomic>
#include <cstddef>

#include <sys/prctl.h>
#include <sys/syscall.h>

using namespace k42;
using namespace k42::personality;

namespace {

/// One (server, method) pair. Key: the method in the high half, the
/// server's pid with bit 31 set in the low half (never 0: free).
struct Counter {
  std::atomic<uint64_t> Key;
  std::atomic<uint64_t> Fingerprint;
  std::atomic<uint64_t> Calls;
};

bool On = false;
bool Paths = false;
/// The process the counts are this one's for: a fork child starts afresh.
std::atomic<long> Owner{0};
/// This file's buffers are written only with K42_LINUX_CALL_STATS set:
/// page-aligned (TableAlign, HostCall.h), so they do not sit among the
/// small variables every fork child and every program start write, where
/// 10 KiB of them split those over two pages.
alignas(TableAlign) Counter Counters[CallStats::Capacity];
std::atomic<uint64_t> Overflow{0};

void clear() {
  for (Counter &C : Counters) {
    C.Calls.store(0, std::memory_order_relaxed);
    C.Fingerprint.store(0, std::memory_order_relaxed);
    C.Key.store(0, std::memory_order_relaxed);
  }
  Overflow.store(0, std::memory_order_relaxed);
}

/// Drops another process's counts (a fork parent's, copied with its
/// memory).
void follow() {
  long Pid = ProcessState::pid();
  if (Owner.load(std::memory_order_relaxed) != Pid) {
    clear();
    Owner.store(Pid, std::memory_order_relaxed);
  }
}

struct Interface {
  uint64_t Fingerprint;
  const char *Name;
  const MethodInfo *Methods;
  size_t NumMethods;
};

template <typename Meta> constexpr Interface describe(const char *Name) {
  return {Meta::Fingerprint, Name, Meta::MethodTable,
          sizeof(Meta::MethodTable) / sizeof(Meta::MethodTable[0])};
}

constexpr Interface Interfaces[] = {
    describe<fs::MetaFileSystem>("FileSystem"),
    describe<fs::MetaFile>("File"),
    describe<name::MetaMountPoints>("MountPoints"),
    describe<name::MetaNameService>("NameService"),
    describe<linuxproc::MetaLinuxProcess>("LinuxProcess"),
};

const Interface *interfaceOf(uint64_t Fingerprint) {
  for (const Interface &I : Interfaces)
    if (I.Fingerprint == Fingerprint)
      return &I;
  return nullptr;
}

/// Appends to a fixed buffer, written at once (one write a report, so
/// processes sharing a log file do not interleave; a report too long for
/// it is written in pieces).
class Line {
public:
  void reset() { Length = 0; }
  void put(const char *Text) {
    while (*Text) {
      if (Length == sizeof(Buffer))
        flush();
      Buffer[Length++] = *Text++;
    }
  }
  void put(uint64_t V) {
    char Digits[24];
    *putDecimal(Digits, V) = 0;
    put(Digits);
  }
  void flush() {
    RefusalLog::say(Buffer, Length);
    Length = 0;
  }

private:
  char Buffer[4096];
  size_t Length = 0;
};

/// Not on the stack: a handler may run on a small alternate stack. One
/// report at a time (exit_group and execve end the image).
alignas(TableAlign) Line Report;

/// Names the server \p Pid: a mount path or "name" (FsBridge), "process"
/// (its interface), else "pid N".
void putServer(Line &L, long Pid) {
  char Name[64];
  if (FsBridge::serverName(Pid, Name, sizeof(Name))) {
    L.put(Name);
    return;
  }
  for (const Counter &C : Counters) {
    uint64_t Key = C.Key.load(std::memory_order_relaxed);
    if (Key && long(Key & 0x7fffffffu) == Pid &&
        C.Fingerprint.load(std::memory_order_relaxed) ==
            linuxproc::MetaLinuxProcess::Fingerprint) {
      L.put("process");
      return;
    }
  }
  L.put("pid");
  L.put(uint64_t(Pid));
}

/// Starts \p L with "k42-linux: pid P (COMM)": the program's name, so a
/// log of many processes says whose.
void putWho(Line &L) {
  L.reset();
  L.put("k42-linux: pid ");
  L.put(uint64_t(hostCall(SYS_getpid)));
  char Comm[17] = {};
  if (hostCall(SYS_prctl, PR_GET_NAME, reinterpret_cast<long>(Comm)) == 0) {
    L.put(" (");
    L.put(Comm);
    L.put(")");
  }
}

/// A path() line, apart from Report: a path call may come while a
/// report is being written (a handler's own call).
alignas(TableAlign) Line PathLine;
/// The path of the call about to be counted (path()): logged with its
/// method by count().
alignas(TableAlign) char Pending[512];

/// Appends "Interface.method" (or numbers, for an interface not known
/// here) to \p L.
void putMethod(Line &L, uint64_t Fingerprint, uint32_t Method) {
  if (Fingerprint == CallStats::KernelConnect) {
    L.put("kernel.Connect");
  } else if (const Interface *I = interfaceOf(Fingerprint)) {
    L.put(I->Name);
    L.put(".");
    const char *Name = nullptr;
    for (size_t M = 0; M < I->NumMethods; ++M)
      if (I->Methods[M].Id == Method)
        Name = I->Methods[M].Name;
    if (Name)
      L.put(Name);
    else
      L.put(uint64_t(Method));
  } else {
    L.put(Fingerprint);
    L.put(".");
    L.put(uint64_t(Method));
  }
}

} // namespace

void CallStats::path(const char *Mount, const char *Rest, size_t RestLength) {
  if (!Paths)
    return;
  size_t N = 0;
  for (const char *P = Mount; *P && N + 2 < sizeof(Pending); ++P)
    Pending[N++] = *P;
  Pending[N++] = ' ';
  for (size_t I = 0; I < RestLength && N + 1 < sizeof(Pending); ++I)
    Pending[N++] = Rest[I];
  Pending[N] = 0;
}

void CallStats::configure(const char *Spec) {
  auto Is = [&](const char *Word) {
    const char *S = Spec;
    while (*S && *S == *Word)
      ++S, ++Word;
    return *S == *Word;
  };
  Paths = Spec && Is("paths");
  On = Paths || (Spec && Is("1"));
}

bool CallStats::on() { return On; }

void CallStats::count(long ServerPid, uint64_t Fingerprint, uint32_t Method) {
  if (!On)
    return;
  follow();
  if (Paths) {
    Line &L = PathLine;
    putWho(L);
    L.put(" call ");
    putServer(L, ServerPid);
    L.put(":");
    putMethod(L, Fingerprint, Method);
    L.put(" ");
    L.put(Pending[0] ? Pending : "-");
    L.put("\n");
    L.flush();
    Pending[0] = 0;
  }
  uint64_t Key = (uint64_t(Method) << 32) |
                 (uint32_t(ServerPid) & 0x7fffffffu) | 0x80000000u;
  for (Counter &C : Counters) {
    uint64_t Seen = C.Key.load(std::memory_order_acquire);
    if (Seen == 0) {
      if (C.Key.compare_exchange_strong(Seen, Key, std::memory_order_acq_rel))
        C.Fingerprint.store(Fingerprint, std::memory_order_relaxed);
    }
    if (Seen == 0 || Seen == Key) {
      C.Calls.fetch_add(1, std::memory_order_relaxed);
      return;
    }
  }
  Overflow.fetch_add(1, std::memory_order_relaxed);
}

void CallStats::report(const char *Why) {
  if (!On)
    return;
  follow();
  bool Any = Overflow.load(std::memory_order_relaxed) != 0;
  for (const Counter &C : Counters)
    Any = Any || C.Calls.load(std::memory_order_relaxed) != 0;
  if (!Any)
    return; // a fork child that only execs: nothing to say
  Line &L = Report;
  putWho(L);
  L.put(" calls at ");
  L.put(Why);
  L.put(":");
  uint64_t Total = 0;
  for (const Counter &C : Counters) {
    uint64_t Key = C.Key.load(std::memory_order_acquire);
    uint64_t Calls = C.Calls.load(std::memory_order_relaxed);
    if (!Key || !Calls)
      continue;
    Total += Calls;
    auto Method = uint32_t(Key >> 32);
    uint64_t Fingerprint = C.Fingerprint.load(std::memory_order_relaxed);
    L.put(" ");
    putServer(L, long(Key & 0x7fffffffu));
    L.put(":");
    putMethod(L, Fingerprint, Method);
    L.put("=");
    L.put(Calls);
  }
  if (uint64_t Other = Overflow.load(std::memory_order_relaxed)) {
    Total += Other;
    L.put(" other=");
    L.put(Other);
  }
  L.put(" total=");
  L.put(Total);
  L.put("\n");
  L.flush();
  clear();
}
