//===- bench/ppc/PpcBench.cpp - PPC round trips vs the floors -------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Times, between two processes on this machine and in one run:
///
///   ppc     a null call through StubNull -> channel -> XNull in a server
///           process (handle lookup, rights check, dispatch, reply); and
///           the same with the server following its caller's processor;
///   futex   the hosted floor: a raw futex ping-pong on shared memory, the
///           same two wake-ups a PPC round trip needs and nothing else;
///   socket  a 16-byte request and reply over a Unix-domain socketpair;
///   1 MiB   a call carrying 1 MiB in (StubSink::take, through the slot's
///           bulk window), beside a memcpy of 1 MiB between warm buffers.
///
/// Rounds of each are interleaved and each keeps its median, so machine
/// noise hits them alike. Prints the medians and the RESULT ratios.
///
//===----------------------------------------------------------------------===//

#include "Null.k42.h"
#include "Sink.k42.h"

#include <k42/ipc/ChannelServer.h>
#include <k42/ipc/ChannelTransport.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

constexpr int Rounds = 9;
constexpr int CallsPerRound = 20000;

double median(std::vector<double> V) {
  std::sort(V.begin(), V.end());
  return V[V.size() / 2];
}

template <typename Fn> double nsPerCall(Fn &&Call) {
  auto Start = std::chrono::steady_clock::now();
  for (int I = 0; I < CallsPerRound; ++I)
    Call();
  auto End = std::chrono::steady_clock::now();
  return std::chrono::duration<double, std::nano>(End - Start).count() /
         CallsPerRound;
}

//===--------------------------------------------------------------------===//
// The floors.
//===--------------------------------------------------------------------===//

void futexWait(std::atomic<uint32_t> &W, uint32_t V) {
  syscall(SYS_futex, reinterpret_cast<uint32_t *>(&W), FUTEX_WAIT, V, nullptr,
          nullptr, 0);
}
void futexWake(std::atomic<uint32_t> &W) {
  syscall(SYS_futex, reinterpret_cast<uint32_t *>(&W), FUTEX_WAKE, 1, nullptr,
          nullptr, 0);
}

/// Waits until \p W holds \p Want, spinning \p Spin times before each
/// futex sleep; returns false if it saw \p Quit instead.
bool await(std::atomic<uint32_t> &W, uint32_t Want, int Spin,
           uint32_t Quit = ~0u) {
  for (;;) {
    for (int I = 0; I < Spin; ++I) {
      uint32_t V = W.load();
      if (V == Want || V == Quit)
        break;
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();
#endif
    }
    uint32_t V = W.load();
    if (V == Want)
      return true;
    if (V == Quit)
      return false;
    futexWait(W, V);
  }
}

/// A futex ping-pong partner process: the word goes 1 (ping) -> 2 (pong).
/// With \p Spin > 0 both sides spin that many times before sleeping, as
/// the PPC transport does: the best a hosted round trip can do.
struct FutexPair {
  std::atomic<uint32_t> *Word;
  pid_t Child;
  int Spin;

  explicit FutexPair(int Spin = 0) : Spin(Spin) {
    void *Shared = mmap(nullptr, 4096, PROT_READ | PROT_WRITE,
                        MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    Word = new (Shared) std::atomic<uint32_t>(0);
    Child = fork();
    if (Child == 0) {
      while (await(*Word, 1, Spin, /*Quit=*/3)) {
        Word->store(2);
        futexWake(*Word);
      }
      _exit(0);
    }
  }
  void roundTrip() {
    Word->store(1);
    futexWake(*Word);
    await(*Word, 2, Spin);
  }
  ~FutexPair() {
    Word->store(3);
    futexWake(*Word);
    waitpid(Child, nullptr, 0);
  }
};

/// A socketpair echo partner process.
struct SocketPair {
  int Fd[2];
  pid_t Child;
  SocketPair() {
    socketpair(AF_UNIX, SOCK_STREAM, 0, Fd);
    Child = fork();
    if (Child == 0) {
      close(Fd[0]);
      char Buf[16];
      while (read(Fd[1], Buf, sizeof(Buf)) == sizeof(Buf))
        if (write(Fd[1], Buf, sizeof(Buf)) != sizeof(Buf))
          break;
      _exit(0);
    }
    close(Fd[1]);
  }
  void roundTrip() {
    char Buf[16] = {1};
    if (write(Fd[0], Buf, sizeof(Buf)) != sizeof(Buf) ||
        read(Fd[0], Buf, sizeof(Buf)) != sizeof(Buf))
      std::abort();
  }
  ~SocketPair() {
    close(Fd[0]);
    waitpid(Child, nullptr, 0);
  }
};

//===--------------------------------------------------------------------===//
// PPC.
//===--------------------------------------------------------------------===//

class Pinger final : public bench::Null {
public:
  k42::Status ping() override { return k42::Status::ok(); }
};

class Taker final : public bench::Sink {
public:
  k42::Status take(std::span<const uint8_t> Data, uint64_t &Bytes) override {
    Bytes = Data.size();
    return k42::Status::ok();
  }
};

constexpr k42::Badge Client{100, 0, 0, 0};

struct PpcPair {
  pid_t Child;
  k42::ObjectHandle Handle;
  k42::ObjectHandle SinkHandle;
  std::unique_ptr<k42::ChannelTransport> Transport;

  explicit PpcPair(k42::ChannelServerOptions Options = {}) {
    k42::Result<k42::Channel> Chan = k42::Channel::create(16);
    if (!Chan)
      std::abort();
    int Pipe[2];
    if (pipe(Pipe) != 0)
      std::abort();
    int ServerFd = dup(Chan->fd());
    Child = fork();
    if (Child == 0) {
      k42::Result<k42::Channel> Mine = k42::Channel::attach(ServerFd);
      k42::HandleTable Table(1, 16);
      Pinger Impl;
      bench::XNull X(Impl);
      Taker SinkImpl;
      bench::XSink SinkX(SinkImpl);
      k42::Result<k42::ObjectHandle> H =
          Table.insert(X, bench::MetaNull::Rights::all, Client.Pid);
      k42::Result<k42::ObjectHandle> S =
          Table.insert(SinkX, bench::MetaSink::Rights::all, Client.Pid);
      if (!Mine || !H || !S || write(Pipe[1], &*H, sizeof(*H)) != sizeof(*H) ||
          write(Pipe[1], &*S, sizeof(*S)) != sizeof(*S))
        _exit(1);
      k42::ChannelServer Server(std::move(*Mine), Client, Table, Options);
      Server.start();
      while (!Server.clientClosed())
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      Server.stop();
      _exit(0);
    }
    close(ServerFd);
    if (read(Pipe[0], &Handle, sizeof(Handle)) != sizeof(Handle) ||
        read(Pipe[0], &SinkHandle, sizeof(SinkHandle)) != sizeof(SinkHandle))
      std::abort();
    close(Pipe[0]);
    close(Pipe[1]);
    Transport = std::make_unique<k42::ChannelTransport>(
        std::move(*Chan), int(syscall(SYS_pidfd_open, Child, 0)));
  }
  ~PpcPair() {
    Transport.reset();
    waitpid(Child, nullptr, 0);
  }
};

/// Calls per second of \p Clients threads each making \p Calls calls of
/// \p Call(ThreadIndex).
template <typename Fn> double throughput(int Clients, int Calls, Fn &&Call) {
  auto Start = std::chrono::steady_clock::now();
  std::vector<std::thread> Threads;
  for (int T = 0; T < Clients; ++T)
    Threads.emplace_back([&, T] {
      for (int I = 0; I < Calls; ++I)
        Call(T);
    });
  for (std::thread &T : Threads)
    T.join();
  double Seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - Start)
                       .count();
  return double(Clients) * Calls / Seconds;
}

constexpr int ConcurrentClients = 8;

constexpr size_t OneMiB = 1 << 20;
constexpr int LargeCallsPerRound = 200;

template <typename Fn> double nsPerLargeCall(Fn &&Call) {
  auto Start = std::chrono::steady_clock::now();
  for (int I = 0; I < LargeCallsPerRound; ++I)
    Call();
  auto End = std::chrono::steady_clock::now();
  return std::chrono::duration<double, std::nano>(End - Start).count() /
         LargeCallsPerRound;
}

} // namespace

int main() {
  PpcPair Ppc;
  k42::Result<bench::StubNull> Stub =
      bench::StubNull::bind(*Ppc.Transport, Ppc.Handle);
  if (!Stub) {
    std::fprintf(stderr, "bind: %s\n", std::string(Stub.status().message()).c_str());
    return 1;
  }
  PpcPair Follow({/*FollowCaller=*/true});
  k42::Result<bench::StubNull> FollowStub =
      bench::StubNull::bind(*Follow.Transport, Follow.Handle);
  if (!FollowStub)
    return 1;
  FutexPair Futex;
  FutexPair SpinFutex(k42::ChannelTransport::SpinIterations);
  SocketPair Socket;

  std::vector<double> PpcNs, FollowNs, FutexNs, SpinNs, SocketNs;
  for (int Round = 0; Round < Rounds; ++Round) {
    PpcNs.push_back(nsPerCall([&] {
      if (!Stub->ping())
        std::abort();
    }));
    FollowNs.push_back(nsPerCall([&] {
      if (!FollowStub->ping())
        std::abort();
    }));
    FutexNs.push_back(nsPerCall([&] { Futex.roundTrip(); }));
    SpinNs.push_back(nsPerCall([&] { SpinFutex.roundTrip(); }));
    SocketNs.push_back(nsPerCall([&] { Socket.roundTrip(); }));
  }
  double P = median(PpcNs), F = median(FutexNs), S = median(SocketNs);
  double SF = median(SpinNs), FP = median(FollowNs);

  // Eight clients at once: eight client threads on one channel (a slot
  // each) against eight independent futex ping-pong pairs.
  std::vector<std::unique_ptr<FutexPair>> Pairs;
  for (int I = 0; I < ConcurrentClients; ++I)
    Pairs.push_back(std::make_unique<FutexPair>());
  std::vector<double> PpcRate, FutexRate;
  for (int Round = 0; Round < 5; ++Round) {
    PpcRate.push_back(throughput(ConcurrentClients, CallsPerRound / 4,
                                 [&](int) {
                                   if (!Stub->ping())
                                     std::abort();
                                 }));
    FutexRate.push_back(throughput(ConcurrentClients, CallsPerRound / 4,
                                   [&](int T) { Pairs[T]->roundTrip(); }));
  }
  double PR = median(PpcRate), FR = median(FutexRate);

  // 1 MiB in: the call copies it once, into the bulk window; the anchor
  // copies it once, between two buffers already in memory.
  k42::Result<bench::StubSink> Sink =
      bench::StubSink::bind(*Ppc.Transport, Ppc.SinkHandle);
  if (!Sink) {
    std::fprintf(stderr, "bind: %s\n",
                 std::string(Sink.status().message()).c_str());
    return 1;
  }
  std::vector<uint8_t> Source(OneMiB, 0x42), Target(OneMiB);
  std::vector<double> LargeNs, CopyNs;
  for (int Round = 0; Round < Rounds; ++Round) {
    LargeNs.push_back(nsPerLargeCall([&] {
      uint64_t Bytes = 0;
      if (!Sink->take(Source, Bytes) || Bytes != OneMiB)
        std::abort();
    }));
    CopyNs.push_back(nsPerLargeCall([&] {
      std::memcpy(Target.data(), Source.data(), OneMiB);
      asm volatile("" : : "r"(Target.data()) : "memory");
    }));
  }
  double L = median(LargeNs), C = median(CopyNs);
  std::printf("round trips per round:     %d, rounds: %d (medians)\n",
              CallsPerRound, Rounds);
  std::printf("futex ping-pong (floor):   %.0f ns\n", F);
  std::printf("futex ping-pong, spinning: %.0f ns (the same spin as PPC)\n",
              SF);
  std::printf("unix socketpair:           %.0f ns\n", S);
  std::printf("null PPC (stub -> X):      %.0f ns\n", P);
  std::printf("null PPC, served on the caller's processor: %.0f ns\n", FP);
  std::printf("8 clients, null PPC:        %.0f calls/s\n", PR);
  std::printf("8 futex ping-pong pairs:   %.0f round trips/s\n", FR);
  std::printf("1 MiB in by PPC:           %.0f ns\n", L);
  std::printf("memcpy of 1 MiB:           %.0f ns\n", C);
  std::printf(
      "goals: ppc/futex <= 1.25, ppc/socket <= 0.2, 1mib/memcpy <= 2\n");
  std::printf("RESULT ppc_null_vs_futex_pingpong ratio=%.2f\n", P / F);
  std::printf("RESULT ppc_null_vs_unix_socket ratio=%.2f\n", P / S);
  // Against the floor with PPC's own spin: what the PPC layers cost.
  std::printf("RESULT ppc_null_vs_spinning_futex_pingpong ratio=%.2f\n",
              P / SF);
  // Time per call, as the other ratios: below 1 means PPC is faster.
  std::printf("RESULT ppc_8clients_vs_futex_pingpong ratio=%.2f\n", FR / PR);
  std::printf("RESULT ppc_1mib_vs_memcpy ratio=%.2f\n", L / C);
  // ChannelServerOptions::FollowCaller against the default: what moving
  // each call to its caller's processor costs when caller and server must
  // then take turns on it (a sleep and a wake-up per call).
  std::printf("RESULT ppc_null_follow_caller_vs_default ratio=%.2f\n",
              FP / P);
  return 0;
}
