//===- test/linux/ProcessHostile.cpp - A hostile process-server client ----===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Garbage and malformed requests to the Linux process server through a
/// real channel (the kernel's socket at $K42_KERNEL_SOCKET): requests
/// written by hand into the channel's page, not by the stub. Each must get
/// a clear error; afterwards the server must still answer this client and
/// others (processtree-hostile.test runs k42-linux-ps and a personality
/// process after it). Not run under the personality: it speaks the wire.
///
///   linux-processhostile   one line per request, then whether the server
///                          still serves
///
//===----------------------------------------------------------------------===//

#include "LinuxProcess.k42.h"

#include <k42/ipc/PPCWriter.h>
#include <k42/kernel/KernelLink.h>

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <unistd.h>

using namespace k42;
using namespace k42::linuxproc;
using Meta = MetaLinuxProcess;

namespace {

const char *name(const Status &S) {
  if (S)
    return "ok";
  switch (S.errorCode()) {
  case EPERM:
    return "EPERM";
  case ESRCH:
    return "ESRCH";
  case EINVAL:
    return "EINVAL";
  case ECHILD:
    return "ECHILD";
  case ENOSYS:
    return "NoSuchMethod";
  case EBADMSG:
    return "BadMessage";
  case EPROTONOSUPPORT:
    return "IncompatibleInterface";
  case E2BIG:
    return "TooBig";
  default:
    return "other";
  }
}

/// One request of method \p Method written by \p Put into the channel's
/// own page, as a hostile client would.
class Raw {
public:
  explicit Raw(kernel::ServiceConnection &C) : C(C) {}

  template <typename Writer>
  Status call(uint32_t Method, Writer &&Put,
              uint64_t Fingerprint = Meta::Fingerprint) {
    CallBuffers &B = C.Transport->buffers();
    BulkWindow W = C.Transport->bulk(B);
    B.Request.MethodId = Method;
    B.Request.Fingerprint = Fingerprint;
    B.Request.Length = 0;
    PPCWriter Out(B.Request, W.Request);
    Put(Out, B.Request);
    return C.Transport->call(C.Root, B);
  }

  /// Method \p Method with int32 arguments \p Args.
  Status ints(uint32_t Method, std::initializer_list<int32_t> Args) {
    return call(Method, [&](PPCWriter &Out, PPCPage &) {
      for (int32_t A : Args)
        Out.put(A);
      (void)Out.finish();
    });
  }

private:
  kernel::ServiceConnection &C;
};

} // namespace

int main() {
  auto Link = kernel::KernelLink::connect(
      "linux-processhostile", kernel::KernelLink::defaultSocketPath());
  if (!Link) {
    std::printf("no system\n");
    return 1;
  }
  auto C = (*Link)->connectService(ServicePath);
  if (!C) {
    std::printf("no process server\n");
    return 1;
  }
  Raw R(*C);
  auto Line = [](const char *What, const Status &S) {
    std::printf("%s: %s\n", What, name(S));
  };
  // Before hello: nothing is this client's.
  Line("getppid before hello", R.ints(Meta::Methods::getppid, {}));
  Line("unknown method", R.ints(0x7fff1234, {}));
  Line("foreign fingerprint",
       R.call(
           Meta::Methods::getppid,
           [](PPCWriter &Out, PPCPage &) { (void)Out.finish(); },
           Meta::Fingerprint ^ 0x5a5a));
  Line("hello bad pid", R.ints(Meta::Methods::hello, {-5}));
  Line("hello no such pid", R.ints(Meta::Methods::hello, {0x3fffffff}));
  Line("hello", R.ints(Meta::Methods::hello, {int32_t(getpid())}));
  // Payloads that lie.
  Line("truncated",
       R.call(Meta::Methods::signal, [](PPCWriter &Out, PPCPage &Page) {
         Out.put(int32_t(1));
         (void)Out.finish();
         Page.Length = 2;
       }));
  Line("length past the page",
       R.call(Meta::Methods::getpgid, [](PPCWriter &Out, PPCPage &Page) {
         Out.put(int32_t(0));
         (void)Out.finish();
         Page.Length = PPCPage::PayloadCapacity + 64;
       }));
  Line("trailing bytes", R.ints(Meta::Methods::getppid, {1, 2, 3}));
  Line("array count past the page",
       R.call(Meta::Methods::execed, [](PPCWriter &Out, PPCPage &) {
         Out.put(uint32_t(1u << 20));
         Out.put(uint32_t(0));
         (void)Out.finish();
       }));
  Line("array out of line at a bad offset",
       R.call(Meta::Methods::queueSignal, [](PPCWriter &Out, PPCPage &) {
         Out.put(int32_t(getppid()));
         Out.put(int32_t(0));
         Out.put(int32_t(SIGUSR1));
         Out.put(uint32_t(128) | ArrayOutOfLine);
         Out.put(uint32_t(0x7ffffff0));
         (void)Out.finish();
       }));
  // Well-formed but wrong.
  Line("queueSignal short info",
       R.call(Meta::Methods::queueSignal, [](PPCWriter &Out, PPCPage &) {
         uint8_t Info[8] = {};
         Out.put(int32_t(getppid()));
         Out.put(int32_t(0));
         Out.put(int32_t(SIGUSR1));
         Out.putArray(Info, sizeof(Info), 1);
         (void)Out.finish();
       }));
  Line("queueSignal kill's code to another",
       R.call(Meta::Methods::queueSignal, [](PPCWriter &Out, PPCPage &) {
         uint8_t Info[SigInfoSize] = {}; // si_code 0: SI_USER.
         Out.put(int32_t(getppid()));
         Out.put(int32_t(0));
         Out.put(int32_t(0));
         Out.putArray(Info, sizeof(Info), 1);
         (void)Out.finish();
       }));
  Line("execed long name",
       R.call(Meta::Methods::execed, [](PPCWriter &Out, PPCPage &) {
         std::string Long(1000, 'x');
         Out.putArray(Long.data(), Long.size(), 1);
         Out.put(uint32_t(0));
         (void)Out.finish();
       }));
  Line("exec failed unannounced",
       R.call(Meta::Methods::execed, [](PPCWriter &Out, PPCPage &) {
         Out.putArray("", 0, 1);
         Out.put(uint32_t(1));
         (void)Out.finish();
       }));
  Line("setGroups negative",
       R.call(Meta::Methods::setGroups, [](PPCWriter &Out, PPCPage &) {
         Out.put(int32_t(-5));
         Out.putArray(nullptr, 0, 4);
         Out.put(uint32_t(1));
         (void)Out.finish();
       }));
  Line("setGroups count not the list's",
       R.call(Meta::Methods::setGroups, [](PPCWriter &Out, PPCPage &) {
         uint32_t One = 7;
         Out.put(int32_t(3));
         Out.putArray(&One, 1, 4);
         Out.put(uint32_t(1));
         (void)Out.finish();
       }));
  Line("signal INT32_MIN", R.ints(Meta::Methods::signal, {INT32_MIN, SIGKILL}));
  Line("signalThread bad tid",
       R.ints(Meta::Methods::signalThread, {int32_t(getppid()), -1, 0}));
  Line("forked not a child", R.ints(Meta::Methods::forked, {1}));
  Line("reaped not a child", R.ints(Meta::Methods::reaped, {0x3ffffff}));
  Line("setCredentials unknown call",
       R.ints(Meta::Methods::setCredentials, {99, 0, 0, 0, 1}));
  // Garbage: random bytes of random lengths to the methods that cannot
  // reach another process (no signals, no hello), fixed seed.
  std::mt19937 Random(42);
  const uint32_t Methods[] = {Meta::Methods::forked,
                              Meta::Methods::reaped,
                              Meta::Methods::execed,
                              Meta::Methods::setsid,
                              Meta::Methods::getpgid,
                              Meta::Methods::getsid,
                              Meta::Methods::getppid,
                              Meta::Methods::list,
                              Meta::Methods::setGroups,
                              0x12345,
                              0xffffffff};
  int Answered = 0, Calls = 400;
  for (int I = 0; I < Calls; ++I) {
    uint32_t Method = Methods[Random() % std::size(Methods)];
    Status S = R.call(Method, [&](PPCWriter &Out, PPCPage &Page) {
      uint32_t Length = Random() % 64;
      for (uint32_t J = 0; J < Length; ++J)
        Out.put(uint8_t(Random()));
      (void)Out.finish();
      if (Random() % 8 == 0)
        Page.Length = Random();
    });
    // A transport error would mean the channel or the server went.
    if (S || (S.errorCode() != EPIPE && S.errorCode() != ECONNRESET))
      ++Answered;
  }
  std::printf("garbage: %d of %d answered\n", Answered, Calls);
  // Still serving, through the stub now.
  auto Stub = StubLinuxProcess::bind(*C->Transport, C->Root);
  if (!Stub) {
    std::printf("still serving: no\n");
    return 1;
  }
  Status Me = Stub->hello(int32_t(getpid()));
  std::vector<ProcessInfo> All;
  Status Listed = Stub->list(All);
  bool Found = false;
  for (const ProcessInfo &P : All)
    Found |= P.Pid == getpid();
  std::printf("still serving: hello %s list %s has me %d\n", name(Me),
              name(Listed), Found);
  return 0;
}
