//===- test/system/LabClient.cpp - Client for the system tests ------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// k42-lab-client <case> [args]: one client process of the system tests,
/// run against k42-lab-server through the kernel and the name server. Each
/// case prints one line per step, "<step>: ok" or "<step>: WRONG (...)",
/// and exits 0 only if every step was right.
///
///   kinds          every parameter kind, in and out, up to 16 MiB each way
///   rights         a handle narrowed to `read` is refused write and admin
///   give           giveAccess to another client process (forked, with a
///                  K42 pid of its own) with reduced rights, then revoke
///   forged         made-up and stale handles are refused; the channel
///                  still works after
///   blocking       a call that blocks in the server does not hold up
///                  other calls on the same channel
///   wipe           a call that never returns; the test kills the server
///                  and the call must fail with "peer died"
///   watch N        N notifications from /services/ticker, in order
///   tally          calls /services/tally until the server's 1000 swaps
///                  are over; prints how many calls it made
///   tally-total    prints the tally's count, the calls the server's own
///                  threads made, and the swaps done
///   gauge-read     prints /services/gauge's count and label
///   gauge-tick N   calls its tick() N times
///   gauge-until F  calls tick() until file F exists (prints "calling"
///                  once it has begun), then how many calls it made
///
//===----------------------------------------------------------------------===//

#include "AllKinds.k42.h"
#include "EventsImpl.h"
#include "Gauge.k42.h"
#include "Tally.k42.h"

#include <k42/kernel/KernelLink.h>

#include "NameClient.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace k42;
using namespace k42::kernel;
using namespace alltest;

namespace {

int Wrong = 0;

void step(const std::string &Name, bool Right, const std::string &Why = "") {
  if (Right) {
    std::printf("%s: ok\n", Name.c_str());
  } else {
    std::printf("%s: WRONG (%s)\n", Name.c_str(), Why.c_str());
    ++Wrong;
  }
  std::fflush(stdout);
}

std::string text(Status S) { return std::string(S.message()); }

/// This process's connection to the system.
struct Session {
  std::unique_ptr<KernelLink> Link;
  ServiceConnection Service;
};

Result<Session> openService(const char *Name, const std::string &Path) {
  Result<std::unique_ptr<KernelLink>> Link =
      KernelLink::connect(Name, KernelLink::defaultSocketPath());
  if (!Link)
    return Link.status();
  Result<ServiceConnection> Service = name::open(**Link, Path);
  if (!Service)
    return Service.status();
  return Session{std::move(*Link), std::move(*Service)};
}

int kinds(StubAllKinds &S) {
  int64_t Sum = 0;
  bool NotF = false;
  Colour Same = Colour::Red;
  Status R = S.scalars(-1, 2, -3, 4, 5.5, false, Colour::Green, Sum, NotF,
                       Same);
  step("scalars", R && Sum == 7 && NotF && Same == Colour::Green, text(R));
  int64_t V = 21;
  R = S.inoutScalar(V);
  step("inout scalar", R && V == -42, text(R));
  Extent Out{};
  R = S.pod({100, 20, 1}, Out);
  step("trivially copyable struct",
       R && Out.Offset == 120 && Out.Length == 40 && Out.Flags == 0x81,
       text(R));
  uint8_t Key[16], Reversed[16];
  std::iota(Key, Key + 16, uint8_t(1));
  R = S.key(Key, Reversed);
  step("fixed array", R && Reversed[0] == 16 && Reversed[15] == 1, text(R));
  ObjectHandle H{};
  R = S.handle({1, 2, 3}, H);
  step("handle", R && H.Endpoint == 2 && H.Index == 3 && H.Sequence == 4,
       text(R));
  std::string Joined;
  R = S.strings("view", "ref", "value", Joined);
  step("strings", R && Joined == "view|ref|value", text(R));
  std::vector<uint32_t> Doubled;
  R = S.vectors({1, 2, 3}, Doubled);
  step("vector", R && Doubled == std::vector<uint32_t>{2, 4, 6}, text(R));
  std::vector<Extent> Items{{1, 1, 1}};
  R = S.inoutVector(Items);
  step("inout vector", R && Items.size() == 2 && Items[0].Length == 2,
       text(R));
  int32_t Values[] = {1, -2, 3};
  R = S.spanInOut(Values);
  step("inout span", R && Values[0] == -1 && Values[1] == 2, text(R));
  uint32_t Raw[] = {10, 20, 30};
  uint64_t Total = 0;
  R = S.rawIn(Raw, 3, Total);
  step("raw buffer in", R && Total == 60, text(R));
  int64_t RawInOut[] = {5, 5, 5};
  R = S.rawInOut(RawInOut, 3);
  step("raw buffer inout", R && RawInOut[2] == 7, text(R));
  Badge Seen;
  uint32_t Tag = 0;
  R = S.whoAmI(77, Seen, Tag);
  step("caller badge", R && Tag == 77 && Seen.Pid != 0, text(R));
  R = S.positive(-5);
  step("status value (error)", R.errorCode() == EINVAL, text(R));
  R = S.positive(31337);
  step("status value (ok)", R && R.value() == 31337, text(R));
  R = S.post("one-way", 1);
  step("one-way", bool(R), text(R));

  // Past the page: 16 MiB in, 16 MiB out, 8 MiB each way at once.
  constexpr size_t Max = BulkArea::Capacity;
  std::vector<uint8_t> Big(Max);
  for (size_t I = 0; I < Big.size(); ++I)
    Big[I] = uint8_t(I * 13);
  uint64_t Want = std::accumulate(Big.begin(), Big.end(), uint64_t(0));
  R = S.spanIn(Big, Total);
  step("16 MiB span in", R && Total == Want, text(R));
  std::vector<uint16_t> Fill(Max / 2);
  R = S.spanOut(Fill);
  step("16 MiB span out",
       R && Fill[1] == 3 && Fill.back() == uint16_t((Fill.size() - 1) * 3),
       text(R));
  std::string Long(Max / 2, 'a');
  Long.back() = 'z';
  R = S.inoutString(Long);
  step("8 MiB string inout",
       R && Long.size() == Max / 2 && Long.front() == 'z' && Long[1] == 'a',
       text(R));
  Big.push_back(0);
  R = S.spanIn(Big, Total);
  step("16 MiB + 1 refused", R.errorCode() == errc::TooBig, text(R));
  return Wrong;
}

int rights(Session &Me, StubAllKinds &Full) {
  Result<ObjectHandle> ReadOnly = Me.Service.Transport->giveAccess(
      Me.Service.Root, MetaAllKinds::Rights::read, Me.Link->self().Pid);
  step("giveAccess(read) to myself", ReadOnly.isOk(),
       ReadOnly ? "" : text(ReadOnly.status()));
  if (!ReadOnly)
    return 1;
  Result<StubAllKinds> Narrow =
      StubAllKinds::bind(*Me.Service.Transport, *ReadOnly);
  uint32_t Calls = 0;
  step("read with read", Narrow && Narrow->peek(Calls).isOk());
  Status R = Narrow->wipe();
  step("admin with read refused", R.errorCode() == errc::PermissionDenied,
       text(R));
  R = Narrow->post("x", 1); // One-way: refused silently by the server.
  step("one-way write with read delivered", bool(R), text(R));
  uint32_t After = 0;
  R = Full.peek(After);
  step("the refused one-way did not run", R && After == Calls,
       std::to_string(After) + " calls after " + std::to_string(Calls));
  Result<ObjectHandle> Wider = Me.Service.Transport->giveAccess(
      *ReadOnly, MetaAllKinds::Rights::all, Me.Link->self().Pid);
  step("giveAccess cannot widen rights",
       !Wider && Wider.status().errorCode() == errc::PermissionDenied,
       Wider ? "granted" : text(Wider.status()));
  return Wrong;
}

/// Reads exactly \p Size bytes from \p Fd.
bool readAll(int Fd, void *Data, size_t Size) {
  return read(Fd, Data, Size) == ssize_t(Size);
}

int give(Session &Me) {
  int ToChild[2], ToParent[2];
  if (pipe(ToChild) != 0 || pipe(ToParent) != 0)
    return 1;
  std::fflush(stdout);
  pid_t Child = fork();
  if (Child == 0) {
    // Another K42 process: its own connection, badge and channel.
    Result<Session> Other = openService("lab-grantee", "/services/kinds");
    if (!Other)
      _exit(10);
    ProcessId Pid = Other->Link->self().Pid;
    ObjectHandle Given;
    if (write(ToParent[1], &Pid, sizeof(Pid)) != sizeof(Pid) ||
        !readAll(ToChild[0], &Given, sizeof(Given)))
      _exit(11);
    uint32_t Calls = 0;
    Result<StubAllKinds> Stub =
        StubAllKinds::bind(*Other->Service.Transport, Given);
    step("grantee: read through the given handle",
         Stub && Stub->peek(Calls).isOk());
    Status R = Stub ? Stub->wipe() : Stub.status();
    step("grantee: admin through it refused",
         R.errorCode() == errc::PermissionDenied, text(R));
    char Byte = 1;
    if (write(ToParent[1], &Byte, 1) != 1 || !readAll(ToChild[0], &Byte, 1))
      _exit(12);
    R = Stub ? Stub->peek(Calls) : Stub.status();
    step("grantee: the revoked handle is refused",
         R.errorCode() == errc::StaleHandle || R.errorCode() == errc::BadHandle,
         text(R));
    _exit(Wrong == 0 ? 0 : 13);
  }
  ProcessId Grantee = 0;
  if (!readAll(ToParent[0], &Grantee, sizeof(Grantee)))
    return 1;
  Result<ObjectHandle> Given = Me.Service.Transport->giveAccess(
      Me.Service.Root, MetaAllKinds::Rights::read, Grantee);
  step("giveAccess(read) to the grantee", Given.isOk(),
       Given ? "" : text(Given.status()));
  if (!Given || write(ToChild[1], &*Given, sizeof(*Given)) != sizeof(*Given))
    return 1;
  char Byte = 0;
  if (!readAll(ToParent[0], &Byte, 1))
    return 1;
  Status R = Me.Service.Transport->revoke(*Given);
  step("the granter revokes", bool(R), text(R));
  if (write(ToChild[1], &Byte, 1) != 1)
    return 1;
  int ChildStatus = 0;
  waitpid(Child, &ChildStatus, 0);
  step("grantee finished right",
       WIFEXITED(ChildStatus) && WEXITSTATUS(ChildStatus) == 0);
  // The granter's own handle is untouched.
  Result<StubAllKinds> Mine =
      StubAllKinds::bind(*Me.Service.Transport, Me.Service.Root);
  step("the granter's handle still works", Mine && Mine->ping().isOk());
  return Wrong;
}

int forged(Session &Me, StubAllKinds &Real) {
  ObjectHandle Root = Me.Service.Root;
  struct Case {
    const char *Name;
    ObjectHandle Handle;
  } Cases[] = {
      {"index out of range", {Root.Endpoint, 1u << 30, 1}},
      {"wrong sequence", {Root.Endpoint, Root.Index, Root.Sequence + 7}},
      {"another endpoint", {Root.Endpoint + 1, Root.Index, Root.Sequence}},
      {"null handle", {}},
  };
  for (const Case &C : Cases) {
    // Both ways a client could try: binding a stub to the handle, and a
    // hand-made request straight on the transport.
    Result<StubAllKinds> Bound =
        StubAllKinds::bind(*Me.Service.Transport, C.Handle);
    Transport &Via = *Me.Service.Transport;
    CallBuffers &Pages = Via.buffers();
    Pages.Request.MethodId = MetaAllKinds::Methods::ping;
    Pages.Request.Fingerprint = MetaAllKinds::Fingerprint;
    Pages.Request.Length = 0;
    Status R = Via.call(C.Handle, Pages);
    auto Refused = [](Status S) {
      return S.errorCode() == errc::BadHandle ||
             S.errorCode() == errc::StaleHandle;
    };
    step(std::string("forged handle, ") + C.Name + ", refused",
         !Bound && Refused(Bound.status()) && Refused(R),
         text(Bound ? Status::ok() : Bound.status()) + ", " + text(R));
  }
  step("the real handle still works", Real.ping().isOk());
  return Wrong;
}

int blocking(StubAllKinds &S) {
  std::atomic<bool> SlowDone{false};
  std::thread Slow([&] {
    Status R = S.positive(999);
    SlowDone = true;
    step("the slow call", R && R.value() == 999, text(R));
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  int Done = 0;
  for (int I = 0; I < 100; ++I)
    Done += S.ping().isOk();
  bool Overtook = !SlowDone.load();
  Slow.join();
  step("100 calls finished while the slow call was still in the server",
       Done == 100 && Overtook,
       std::to_string(Done) + " done, slow call " +
           (Overtook ? "still running" : "already over"));
  return Wrong;
}

int wipe(StubAllKinds &S) {
  std::printf("wipe: calling\n");
  std::fflush(stdout);
  Status R = S.wipe();
  // Wall-clock time, for the test to compare with when it killed the
  // server.
  double Now = std::chrono::duration<double>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
  step("wipe() fails when its server is killed",
       R.errorCode() == errc::PeerDied, text(R));
  std::printf("wipe: returned at %.3f\n", Now);
  return Wrong;
}

int watch(uint32_t Count) {
  Result<Session> Me = openService("lab-watcher", "/services/ticker");
  if (!Me) {
    std::fprintf(stderr, "lab-client: %s\n", text(Me.status()).c_str());
    return 1;
  }
  eventtest::Recorder Events;
  eventtest::XEvents X(Events);
  NotifyReceiver &Receiver = Me->Service.Transport->notifications();
  Result<ObjectHandle> Mine =
      Receiver.exportObject(X, eventtest::MetaEvents::Rights::all);
  Result<eventtest::StubTicker> Ticker =
      eventtest::StubTicker::bind(*Me->Service.Transport, Me->Service.Root);
  if (!Mine || !Ticker)
    return 1;
  uint32_t Sent = 0;
  Status R = Ticker->watch(*Mine, Count, /*Retry=*/true, Sent);
  step("watch", R && Sent == Count, text(R));
  step("all notifications arrived", Events.waitFor(Count),
       std::to_string(Events.received()) + " arrived");
  step("in order", Events.outOfOrder() == 0 && Events.last() == Count);
  std::printf("notifications: %llu received of %u sent\n",
              static_cast<unsigned long long>(Events.received()), Sent);
  return Wrong;
}

int tally(bool TotalOnly) {
  Result<Session> Me = openService("lab-tally", "/services/tally");
  if (!Me) {
    std::fprintf(stderr, "lab-client: %s\n", text(Me.status()).c_str());
    return 1;
  }
  Result<labtest::StubTally> T =
      labtest::StubTally::bind(*Me->Service.Transport, Me->Service.Root);
  if (!T)
    return 1;
  uint64_t Value = 0, Local = 0;
  bool Done = false;
  uint32_t Swaps = 0;
  if (TotalOnly) {
    Status R = T->stats(Value, Done, Local, Swaps);
    step("stats", bool(R), text(R));
    std::printf("tally: value %llu local %llu swaps %u\n",
                static_cast<unsigned long long>(Value),
                static_cast<unsigned long long>(Local), Swaps);
    return Wrong;
  }
  uint64_t Calls = 0;
  bool Overlapped = false; // Called while swaps were going on.
  while (!Done) {
    for (int I = 0; I < 100; ++I) {
      Status R = T->inc();
      if (!R) {
        step("inc during swaps", false, text(R));
        return 1;
      }
      ++Calls;
    }
    if (Status R = T->stats(Value, Done, Local, Swaps); !R) {
      step("stats", false, text(R));
      return 1;
    }
    Overlapped |= Swaps > 0 && !Done;
  }
  std::printf("tally: %llu calls\n", static_cast<unsigned long long>(Calls));
  step("calls made while the server swapped", Overlapped);
  return Wrong;
}

/// gauge-read; gauge-tick N; gauge-until FILE (ticks until FILE exists,
/// saying "calling" once it has begun).
int gauge(const std::string &Case, const char *Arg) {
  Result<Session> Me = openService("lab-gauge-client", "/services/gauge");
  if (!Me) {
    std::fprintf(stderr, "lab-client: %s\n", text(Me.status()).c_str());
    return 1;
  }
  Result<labtest::StubGauge> G =
      labtest::StubGauge::bind(*Me->Service.Transport, Me->Service.Root);
  if (!G)
    return 1;
  if (Case == "gauge-read") {
    uint64_t Ticks = 0;
    std::string Label;
    Status R = G->read(Ticks, Label);
    step("read", bool(R), text(R));
    std::printf("gauge: %llu ticks, label %s\n",
                static_cast<unsigned long long>(Ticks), Label.c_str());
    return Wrong;
  }
  uint64_t Limit = Case == "gauge-tick" && Arg ? std::strtoull(Arg, nullptr, 10)
                                               : UINT64_MAX;
  uint64_t Made = 0;
  while (Made < Limit) {
    if (Status R = G->tick(); !R) {
      step("tick", false, text(R));
      return 1;
    }
    ++Made;
    if (Case == "gauge-until" && Made % 1000 == 0) {
      if (Made == 1000) {
        std::printf("calling\n");
        std::fflush(stdout);
      }
      if (Arg && access(Arg, F_OK) == 0)
        break;
    }
  }
  std::printf("gauge: %llu ticks made\n", static_cast<unsigned long long>(Made));
  return Wrong;
}

} // namespace

int main(int Argc, char **Argv) {
  std::string Case = Argc > 1 ? Argv[1] : "";
  if (Case == "gauge-read" || Case == "gauge-tick" || Case == "gauge-until")
    return gauge(Case, Argc > 2 ? Argv[2] : nullptr) ? 1 : 0;
  if (Case == "watch")
    return watch(Argc > 2 ? uint32_t(std::atoi(Argv[2])) : 1000) ? 1 : 0;
  if (Case == "tally" || Case == "tally-total")
    return tally(Case == "tally-total") ? 1 : 0;
  if (Case != "kinds" && Case != "rights" && Case != "give" &&
      Case != "forged" && Case != "blocking" && Case != "wipe") {
    std::fprintf(stderr, "usage: k42-lab-client "
                         "kinds|rights|give|forged|blocking|wipe|watch N|tally|"
                         "tally-total|gauge-read|gauge-tick N|gauge-until "
                         "FILE\n");
    return 2;
  }
  Result<Session> Me = openService("lab-client", "/services/kinds");
  if (!Me) {
    std::fprintf(stderr, "lab-client: %s\n", text(Me.status()).c_str());
    return 1;
  }
  Result<StubAllKinds> S =
      StubAllKinds::bind(*Me->Service.Transport, Me->Service.Root);
  if (!S) {
    std::fprintf(stderr, "lab-client: bind: %s\n", text(S.status()).c_str());
    return 1;
  }
  int Result = 0;
  if (Case == "kinds")
    Result = kinds(*S);
  else if (Case == "rights")
    Result = rights(*Me, *S);
  else if (Case == "give")
    Result = give(*Me);
  else if (Case == "forged")
    Result = forged(*Me, *S);
  else if (Case == "blocking")
    Result = blocking(*S);
  else
    Result = wipe(*S);
  return Result == 0 ? 0 : 1;
}
