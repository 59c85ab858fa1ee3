//===- test/fuzz/KernelFuzzer.cpp - Hostile processes into the kernel -----===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A libFuzzer target (built with ASan and UBSan) that plays up to three
/// hostile K42 processes against a kernel running on a thread of this
/// process, on a socket in a private temporary folder. Each input is a
/// script of operations on those connections: datagrams of any length and
/// content, messages with chosen fields (unknown types, forged Seq, Who and
/// Handle, names without a NUL, ClientReady/Connected/NewClient from a
/// client, Connect before Hello, file descriptors attached), answers to the
/// kernel's NewClient requests, reads, waits and closes.
///
/// Everything the kernel sends back is checked against what the connection
/// asked for (a Connected only for a Connect of that connection, a NewClient
/// only to a registered server, the badge the kernel assigned, errors that
/// are errors). After each input a fresh connection must get a Hello answer
/// while the hostile ones are still open (the kernel never waits on one
/// process); then, with them closed, a well-behaved KernelLink must see a
/// process list of itself alone, no kernel path left registered and no file
/// descriptor left open. Any violation calls abort(), which libFuzzer
/// reports with the input that caused it.
///
//===----------------------------------------------------------------------===//

#include "Kernel.h"

#include "k42/ipc/Channel.h"
#include "k42/kernel/KernelLink.h"
#include "k42/kernel/KernelProtocol.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <memory>
#include <poll.h>
#include <set>
#include <string>
#include <string_view>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace k42;
using namespace k42::kernel;

namespace {

/// How long the kernel may take to read or answer anything before the
/// harness calls it hung. Generous, so a loaded machine is not a finding.
constexpr auto HangLimit = std::chrono::seconds(5);
/// Hostile connections an input can use.
constexpr unsigned NumHostile = 3;
/// Datagrams up to twice a message, so both short and long ones occur.
constexpr size_t MaxDatagram = 2 * sizeof(Message) + 8;
/// The kernel makes every channel with this many slots (Kernel.cpp).
constexpr uint32_t KernelChannelSlots = 64;

[[noreturn]] void fail(const char *Why) {
  std::fprintf(stderr, "kernel-fuzzer: %s\n", Why);
  std::abort();
}

void require(bool Condition, const char *Why) {
  if (!Condition)
    fail(Why);
}

/// A well-behaved call of the kernel failed: says why, and aborts.
void require(Status S, const char *Why) {
  if (!S) {
    std::fprintf(stderr, "kernel-fuzzer: %s: %s\n", Why,
                 std::string(S.message()).c_str());
    std::abort();
  }
}

using Clock = std::chrono::steady_clock;

/// KERNEL_FUZZER_TRACE=1 prints every message each way, to read a finding.
const bool Trace = [] {
  const char *Value = std::getenv("KERNEL_FUZZER_TRACE");
  return Value && *Value && *Value != '0';
}();

void trace(const char *Way, ProcessId Pid, const void *Bytes, size_t Size,
           size_t NumFds) {
  if (!Trace)
    return;
  if (Size != sizeof(Message)) {
    std::fprintf(stderr, "  %s pid %u: %zu-byte datagram, %zu fd(s)\n", Way,
                 Pid, Size, NumFds);
    return;
  }
  Message M;
  std::memcpy(&M, Bytes, sizeof(M));
  std::fprintf(stderr,
               "  %s pid %u: type %u seq %u status %lld who %u handle "
               "%u/%u name '%.*s', %zu fd(s)\n",
               Way, Pid, uint32_t(M.Type), M.Seq, (long long)M.Status,
               M.Who.Pid, M.Handle.Index, M.Handle.Sequence,
               int(strnlen(M.Name, sizeof(M.Name))), M.Name, NumFds);
}

/// Milliseconds left until \p Deadline (at least 0).
int msUntil(Clock::time_point Deadline) {
  auto Left = std::chrono::duration_cast<std::chrono::milliseconds>(
      Deadline - Clock::now());
  return Left.count() > 0 ? int(Left.count()) : 0;
}

/// The fuzz input, read front to back. Past its end every read yields
/// zeros, so any prefix of an input is itself a complete script.
class Input {
public:
  Input(const uint8_t *Data, size_t Size) : Data(Data), Size(Size) {}

  bool empty() const { return Offset >= Size; }

  void bytes(void *Out, size_t N) {
    size_t Have = Offset < Size ? std::min(N, Size - Offset) : 0;
    if (Have)
      std::memcpy(Out, Data + Offset, Have);
    std::memset(static_cast<uint8_t *>(Out) + Have, 0, N - Have);
    Offset += Have;
  }

  template <typename T> T take() {
    T Value;
    bytes(&Value, sizeof(T));
    return Value;
  }

private:
  const uint8_t *Data;
  size_t Size;
  size_t Offset = 0;
};

/// Sockets and memfds open in this process: what the kernel holds (process
/// connections, channels) and what hostile processes pass it. Other kinds
/// are left out: libFuzzer opens pipes of its own (to its symbolizer).
size_t countKernelFds() {
  size_t N = 0;
  DIR *D = opendir("/proc/self/fd");
  require(D != nullptr, "cannot read /proc/self/fd");
  while (dirent *E = readdir(D)) {
    char Link[64];
    std::string Path = std::string("/proc/self/fd/") + E->d_name;
    ssize_t Length = readlink(Path.c_str(), Link, sizeof(Link) - 1);
    if (Length <= 0)
      continue;
    std::string_view Target(Link, size_t(Length));
    if (Target.starts_with("socket:") || Target.starts_with("/memfd:"))
      ++N;
  }
  closedir(D);
  return N;
}

/// The kernel under test: a k42::kernel::Kernel serving on its own thread.
class KernelUnderTest {
public:
  KernelUnderTest() {
    const char *Tmp = std::getenv("TMPDIR");
    std::string Template =
        std::string(Tmp && *Tmp ? Tmp : "/tmp") + "/k42-kernel-fuzzer.XXXXXX";
    require(mkdtemp(Template.data()) != nullptr, "cannot make a temp folder");
    Dir = Template;
    Path = Dir + "/kernel.sock";
    start();
  }

  const std::string &socketPath() const { return Path; }

  /// Connects a new process (a raw socket); the kernel numbers processes in
  /// order of connection, so its K42 pid is known here before any Hello.
  int connect(ProcessId &Pid) {
    sockaddr_un Address;
    int DirFd;
    require(socketAddress(Path, Address, DirFd).isOk(), "socket address");
    int Fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    require(Fd >= 0, "socket");
    // libFuzzer's timeout timer (SIGALRM) ends a connect that waits for
    // room in the kernel's backlog with EINTR: wait on.
    int Connected;
    do
      Connected = ::connect(Fd, reinterpret_cast<sockaddr *>(&Address),
                            sizeof(Address));
    while (Connected != 0 && errno == EINTR);
    require(Connected == 0, "cannot connect to the kernel");
    if (DirFd >= 0)
      close(DirFd);
    require(fcntl(Fd, F_SETFL, O_NONBLOCK) == 0, "O_NONBLOCK");
    Pid = ++Connections;
    return Fd;
  }

  /// Connects a well-behaved process through KernelLink.
  std::unique_ptr<KernelLink> link(const char *Name, ProcessId &Pid) {
    Result<std::unique_ptr<KernelLink>> Link = KernelLink::connect(Name, Path);
    require(Link.status(), "a well-behaved process cannot connect");
    Pid = ++Connections;
    return std::move(*Link);
  }

  /// Readable once Kernel::run has returned (after a Shutdown).
  int stoppedFd() const { return StoppedFd; }
  bool stopped() const { return Stopped.load(); }

  /// After a Shutdown: waits for the kernel to stop and starts a new one.
  void restart() {
    stop();
    start();
  }

  /// Stops the kernel (if it is not already stopping) and waits for it.
  void stop(bool AskFirst = false) {
    if (AskFirst) {
      ProcessId Unused;
      std::unique_ptr<KernelLink> Link = link("kernel-fuzzer-exit", Unused);
      require(Link->shutdown(), "cannot ask the kernel to stop");
    }
    Thread.join();
    require(RunResult, "Kernel::run failed");
    K.reset();
    ::close(StoppedFd);
  }

  /// Removes the temporary folder (at exit).
  void removeFolder() { rmdir(Dir.c_str()); }

private:
  void start() {
    KernelOptions Options;
    Options.SocketPath = Path;
    K = std::make_unique<Kernel>(Options);
    require(K->boot(), "the kernel does not boot");
    Connections = 0;
    StoppedFd = eventfd(0, EFD_CLOEXEC);
    require(StoppedFd >= 0, "eventfd");
    Stopped = false;
    Thread = std::thread([this] {
      RunResult = K->run();
      Stopped = true;
      require(eventfd_write(StoppedFd, 1) == 0, "eventfd_write");
    });
  }

  std::string Dir;
  std::string Path;
  std::unique_ptr<Kernel> K;
  std::thread Thread;
  Status RunResult;
  int StoppedFd = -1;
  std::atomic<bool> Stopped = false;
  ProcessId Connections = 0;
};

KernelUnderTest *TheKernel;

/// One hostile process: its socket and what it has asked for, to check the
/// kernel's answers against.
struct Hostile {
  int Fd = -1;
  ProcessId Pid = 0;
  bool Registered = false;
  uint32_t NextSeq = 1;
  /// Every complete message sent, as (type, Seq), and their Seqs.
  std::set<std::pair<uint32_t, uint32_t>> Sent;
  std::set<uint32_t> SentSeqs;
  /// Seqs of NewClient requests not answered yet.
  std::vector<uint32_t> NewClients;

  bool sent(MessageType Type, uint32_t Seq) const {
    return Sent.count({uint32_t(Type), Seq});
  }
  bool sentSeq(uint32_t Seq) const { return SentSeqs.count(Seq); }
};

/// What one input does, and the state it has built.
class Script {
public:
  explicit Script(Input &In) : In(In) {}

  void run() {
    while (!In.empty() && !stopping()) {
      uint8_t Op = In.take<uint8_t>();
      Hostile &H = open(Op >> 3);
      switch (Op & 7) {
      case 0:
        datagram(H);
        break;
      case 1:
        message(H, /*WithFds=*/false);
        break;
      case 2:
        message(H, /*WithFds=*/true);
        break;
      case 3:
        receive(H, Until::Nothing);
        break;
      case 4:
        sync(H);
        break;
      case 5:
        serve(H);
        break;
      case 6:
        close(H);
        break;
      case 7:
        for (Hostile &Other : Conns)
          if (Other.Fd >= 0 && !stopping())
            sync(Other);
        break;
      }
    }
  }

  /// A new process must get an answer while the hostile ones are still
  /// connected (and possibly not reading).
  void probe() {
    if (stopping())
      return;
    Hostile P;
    P.Fd = TheKernel->connect(P.Pid);
    Message M{};
    M.Type = MessageType::Hello;
    M.Seq = 1;
    std::strcpy(M.Name, "probe");
    send(P, &M, sizeof(M), nullptr, 0);
    receive(P, Until::Hello, 1);
    require(Stopping || P.Fd >= 0, "the kernel closed a well-behaved probe");
    close(P);
  }

  void closeAll() {
    for (Hostile &H : Conns)
      close(H);
  }

  /// Whether the kernel stopped (or is stopping): only ever after a
  /// Shutdown it was sent.
  bool stopping() {
    if (!Stopping && TheKernel->stopped())
      Stopping = true;
    require(!Stopping || ShutdownSent, "the kernel stopped unasked");
    return Stopping;
  }
  const std::vector<std::string> &registeredPaths() const { return Paths; }

private:
  enum class Until { Nothing, Hello, ListEnd };

  /// Waits until \p Fd is ready for \p Events; false if the kernel stopped
  /// first. Waiting past \p Deadline means the kernel is hung.
  bool await(int Fd, short Events, Clock::time_point Deadline,
             const char *Hung) {
    pollfd P[2] = {{Fd, Events, 0}, {TheKernel->stoppedFd(), POLLIN, 0}};
    int Ready = poll(P, 2, msUntil(Deadline));
    if (P[1].revents) {
      Stopping = true;
      return false;
    }
    if (Ready == 0)
      fail(Hung);
    return true;
  }

  Hostile &open(unsigned Index) {
    Hostile &H = Conns[Index % NumHostile];
    if (H.Fd < 0) {
      H = Hostile();
      H.Fd = TheKernel->connect(H.Pid);
      if (Trace)
        std::fprintf(stderr, "  connected pid %u\n", H.Pid);
    }
    return H;
  }

  void close(Hostile &H) {
    if (H.Fd >= 0 && Trace)
      std::fprintf(stderr, "  closing pid %u\n", H.Pid);
    if (H.Fd >= 0)
      ::close(H.Fd);
    H.Fd = -1;
  }

  /// Sends one datagram, waiting while the kernel's queue for this process
  /// is full, and notes what a complete message asked for.
  void send(Hostile &H, const void *Bytes, size_t Size, const int *Fds,
            size_t NumFds) {
    if (H.Fd < 0)
      return;
    iovec Io{const_cast<void *>(Bytes), Size};
    msghdr Header{};
    Header.msg_iov = &Io;
    Header.msg_iovlen = 1;
    alignas(cmsghdr) char Control[CMSG_SPACE(sizeof(int) * 8)];
    if (NumFds) {
      Header.msg_control = Control;
      Header.msg_controllen = CMSG_SPACE(sizeof(int) * NumFds);
      cmsghdr *C = CMSG_FIRSTHDR(&Header);
      C->cmsg_level = SOL_SOCKET;
      C->cmsg_type = SCM_RIGHTS;
      C->cmsg_len = CMSG_LEN(sizeof(int) * NumFds);
      std::memcpy(CMSG_DATA(C), Fds, sizeof(int) * NumFds);
    }
    auto Deadline = Clock::now() + HangLimit;
    trace("->", H.Pid, Bytes, Size, NumFds);
    for (;;) {
      if (sendmsg(H.Fd, &Header, MSG_DONTWAIT | MSG_NOSIGNAL) >= 0)
        break;
      if (errno == EPIPE || errno == ECONNRESET || errno == ECONNREFUSED) {
        close(H); // The kernel let this process go.
        return;
      }
      require(errno == EAGAIN || errno == EINTR, "sendmsg to the kernel");
      if (!await(H.Fd, POLLOUT, Deadline,
                 "the kernel stopped reading a connection (hung?)"))
        return;
    }
    if (Size != sizeof(Message))
      return;
    Message M;
    std::memcpy(&M, Bytes, sizeof(M));
    H.Sent.insert({uint32_t(M.Type), M.Seq});
    H.SentSeqs.insert(M.Seq);
    if (M.Type == MessageType::Register && Paths.size() < 16)
      Paths.push_back(std::string(M.Name, strnlen(M.Name, sizeof(M.Name) - 1)));
    if (M.Type == MessageType::Shutdown) {
      // Until the kernel has read it, no later check can trust an answer:
      // a List after it comes back only if the kernel refused it.
      ShutdownSent = true;
      sync(H);
    }
  }

  /// Case 0: a datagram of any length and content.
  void datagram(Hostile &H) {
    size_t Size = In.take<uint16_t>() % (MaxDatagram + 1);
    uint8_t Bytes[MaxDatagram];
    In.bytes(Bytes, Size);
    send(H, Bytes, Size, nullptr, 0);
  }

  /// Cases 1 and 2: a complete message, its fields chosen by the input
  /// (or taken from what the harness knows, so that matching Seqs and real
  /// pids occur), optionally with file descriptors attached.
  void message(Hostile &H, bool WithFds) {
    int Fds[8];
    size_t NumFds = 0;
    if (WithFds) {
      uint8_t Choice = In.take<uint8_t>();
      NumFds = Choice % 6; // More than the kernel takes (4) now and then.
      for (size_t I = 0; I < NumFds; ++I) {
        switch ((Choice >> 3) % 3) {
        case 0:
          Fds[I] = dup(H.Fd);
          break;
        case 1:
          Fds[I] = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
          break;
        default:
          Fds[I] = memfd_create("kernel-fuzzer", MFD_CLOEXEC);
          break;
        }
        require(Fds[I] >= 0, "cannot make a descriptor to pass");
      }
    }
    Message M{};
    uint8_t Type = In.take<uint8_t>();
    // Shutdown (11) only when asked for exactly: it restarts the kernel.
    if (Type >= 0xf0)
      M.Type = MessageType(In.take<uint32_t>());
    else if (Type % 16 == 11 && Type != 11)
      M.Type = MessageType::List;
    else
      M.Type = MessageType(Type % 16);
    uint8_t Fields = In.take<uint8_t>();
    switch (Fields & 3) {
    case 0:
      M.Seq = H.NextSeq++;
      break;
    case 1:
      M.Seq = H.NewClients.empty() ? 0 : H.NewClients.back();
      break;
    case 2:
      M.Seq = In.take<uint32_t>();
      break;
    default:
      M.Seq = 0;
      break;
    }
    if (Fields & 4)
      M.Status = In.take<int64_t>();
    if (Fields & 8) {
      In.bytes(&M.Who, sizeof(M.Who));
    } else {
      unsigned Other = (Fields >> 4) & 3;
      M.Who.Pid = Other < NumHostile ? Conns[Other].Pid : 0;
    }
    if (Fields & 64)
      In.bytes(&M.Handle, sizeof(M.Handle));
    if (Fields & 128) {
      M.ServerPid = In.take<int32_t>();
      M.State = In.take<int32_t>();
    }
    uint8_t NameLength = In.take<uint8_t>();
    static const char *const Names[] = {"/name", "", "/", "/services/hello"};
    if (NameLength >= 0xf0)
      std::strcpy(M.Name, Names[NameLength & 3]);
    else
      In.bytes(M.Name, NameLength % (sizeof(M.Name) + 1)); // 96: no NUL.
    send(H, &M, sizeof(M), Fds, NumFds);
    for (size_t I = 0; I < NumFds; ++I)
      ::close(Fds[I]);
  }

  /// Case 4: a List, and everything up to its end.
  void sync(Hostile &H) {
    Message M{};
    M.Type = MessageType::List;
    M.Seq = H.NextSeq++;
    send(H, &M, sizeof(M), nullptr, 0);
    receive(H, Until::ListEnd, M.Seq);
  }

  /// Case 5: answers every NewClient so far with a ClientReady.
  void serve(Hostile &H) {
    receive(H, Until::Nothing);
    uint8_t Mode = In.take<uint8_t>();
    std::vector<uint32_t> Asked;
    Asked.swap(H.NewClients);
    for (uint32_t Seq : Asked) {
      Message M{};
      M.Type = MessageType::ClientReady;
      M.Seq = Seq;
      M.Status = Mode & 1 ? In.take<int64_t>() : 0;
      M.Handle = {1, 0, 1};
      if (Mode & 2)
        In.bytes(&M.Handle, sizeof(M.Handle));
      send(H, &M, sizeof(M), nullptr, 0);
    }
  }

  /// Reads what the kernel sent \p H, checking each message, until nothing
  /// is left (Until::Nothing) or the awaited message arrives; waiting longer
  /// than HangLimit for it means the kernel is hung.
  void receive(Hostile &H, Until Goal, uint32_t Seq = 0) {
    auto Deadline = Clock::now() + HangLimit;
    while (H.Fd >= 0 && !Stopping) {
      Message M;
      iovec Io{&M, sizeof(M)};
      msghdr Header{};
      Header.msg_iov = &Io;
      Header.msg_iovlen = 1;
      alignas(cmsghdr) char Control[CMSG_SPACE(sizeof(int) * 8)];
      Header.msg_control = Control;
      Header.msg_controllen = sizeof(Control);
      ssize_t Got = recvmsg(H.Fd, &Header, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
      if (Got < 0) {
        if (errno == ECONNRESET) {
          close(H);
          return;
        }
        require(errno == EAGAIN || errno == EINTR, "recvmsg from the kernel");
        if (Goal == Until::Nothing ||
            !await(H.Fd, POLLIN, Deadline,
                   "the kernel did not answer in time (hung?)"))
          return;
        continue;
      }
      if (Got == 0) {
        close(H); // The kernel let this process go.
        return;
      }
      int Fds[8];
      size_t NumFds = 0;
      for (cmsghdr *C = CMSG_FIRSTHDR(&Header); C;
           C = CMSG_NXTHDR(&Header, C)) {
        require(C->cmsg_level == SOL_SOCKET && C->cmsg_type == SCM_RIGHTS,
                "the kernel sent unexpected control data");
        size_t N = (C->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (size_t I = 0; I < N && NumFds < 8; ++I)
          std::memcpy(&Fds[NumFds++], CMSG_DATA(C) + I * sizeof(int),
                      sizeof(int));
      }
      require(!(Header.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) &&
                  Got == sizeof(Message),
              "the kernel sent a malformed message");
      trace("<-", H.Pid, &M, sizeof(M), NumFds);
      check(H, M, NumFds, NumFds ? Fds[0] : -1);
      for (size_t I = 0; I < NumFds; ++I)
        ::close(Fds[I]);
      if (M.Type == MessageType::Shutdown) {
        Stopping = true;
        return;
      }
      if ((Goal == Until::Hello && M.Type == MessageType::Hello &&
           M.Seq == Seq) ||
          (Goal == Until::ListEnd && M.Type == MessageType::ListEnd &&
           M.Seq == Seq))
        return;
    }
  }

  /// Whatever the kernel sends must answer something this process did, or
  /// be something the kernel may send it unasked.
  void check(Hostile &H, const Message &M, size_t NumFds, int Fd) {
    require(NumFds == 0 || M.Type == MessageType::Connected ||
                M.Type == MessageType::NewClient,
            "the kernel attached a descriptor to a message without one");
    switch (M.Type) {
    case MessageType::Hello:
      require(H.sent(MessageType::Hello, M.Seq), "a Hello reply unasked");
      require(M.Who.Pid == H.Pid && M.Who.Uid == getuid() &&
                  M.Who.Gid == getgid(),
              "the kernel answered Hello with a badge not this process's");
      return;
    case MessageType::Register:
      require(H.sent(MessageType::Register, M.Seq), "a Register reply unasked");
      H.Registered = true;
      return;
    case MessageType::Connected: {
      require(H.sent(MessageType::Connect, M.Seq),
              "the kernel gave a channel to a process that did not ask");
      require(NumFds == 1, "a Connected without its channel");
      struct stat Info;
      require(fstat(Fd, &Info) == 0 &&
                  size_t(Info.st_size) == Channel::sizeFor(KernelChannelSlots),
              "a Connected whose channel is not one the kernel made");
      require(M.ServerPid == getpid(), "a Connected naming a strange server");
      return;
    }
    case MessageType::NewClient:
      require(H.Registered, "a NewClient to a process that serves nothing");
      require(NumFds == 1, "a NewClient without its channel");
      require(M.Who.Pid != 0 && M.Who.Uid == getuid(),
              "a NewClient with a badge the kernel never gave");
      H.NewClients.push_back(M.Seq);
      return;
    case MessageType::ClientGone:
      require(H.Registered, "a ClientGone to a process that serves nothing");
      return;
    case MessageType::ProcessInfo:
      require(H.sent(MessageType::List, M.Seq), "a ProcessInfo unasked");
      require(M.Who.Pid != 0 && M.Who.Uid == getuid() &&
                  M.ServerPid == getpid() && M.State == 1 &&
                  std::memchr(M.Name, 0, sizeof(M.Name)),
              "a ProcessInfo that describes no process of this system");
      return;
    case MessageType::ListEnd:
      require(H.sent(MessageType::List, M.Seq), "a ListEnd unasked");
      return;
    case MessageType::Shutdown:
      return;
    case MessageType::Error:
      require(M.Status < 0 && M.Status >= -4095,
              "an Error message whose Status is no errno");
      require(M.Seq == 0 || H.sentSeq(M.Seq), "an Error for nothing asked");
      return;
    default:
      fail("the kernel sent a message type it never sends");
    }
  }

  Input &In;
  Hostile Conns[NumHostile];
  std::vector<std::string> Paths;
  bool Stopping = false;
  bool ShutdownSent = false;
};

/// With the hostile processes gone, a well-behaved one must find the kernel
/// as it was: itself the only process, no kernel path left to any hostile
/// process, and not one file descriptor more than after the first input.
void checkKernelIsClean(const std::vector<std::string> &Paths) {
  // The last check's process leaves first, so that the kernel has dealt
  // with it before this input ends: an idle kernel thread keeps libFuzzer's
  // malloc/free counts per input exact, and with them its leak check.
  static std::unique_ptr<KernelLink> Last;
  Last.reset();
  ProcessId Expected;
  std::unique_ptr<KernelLink> Link = TheKernel->link("kernel-fuzzer", Expected);
  require(Link->self().Pid == Expected && Link->self().Uid == getuid(),
          "a well-behaved process got a wrong badge");
  auto Deadline = Clock::now() + HangLimit;
  for (;;) {
    Result<std::vector<ProcessEntry>> List = Link->list();
    require(List.status(), "a well-behaved List failed");
    bool Found = false;
    for (const ProcessEntry &E : *List) {
      require(E.Who.Uid == getuid() && E.HostPid == getpid() && E.Running,
              "List shows a process that is not one of this system's");
      Found |= E.Who == Link->self() && E.Name == "kernel-fuzzer";
    }
    require(Found, "List does not show the process that asked");
    if (List->size() == 1)
      break;
    // The kernel drops a closed connection after reading what it still
    // holds; it must get there.
    require(Clock::now() < Deadline,
            "the kernel keeps processes whose connections are closed");
  }
  for (const std::string &Path : Paths) {
    Result<ServiceConnection> C = Link->connectService(Path);
    require(!C.isOk() && C.status().errorCode() == ENOENT,
            "a kernel path outlived the process that registered it");
  }
  Result<ServiceConnection> Name = Link->connectService("/name");
  require(!Name.isOk() && Name.status().errorCode() == ENOENT,
          "/name is registered with nobody left to serve it");
  static size_t Baseline = countKernelFds();
  require(countKernelFds() <= Baseline, "the kernel leaks file descriptors");
  Last = std::move(Link);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  if (!TheKernel) {
    TheKernel = new KernelUnderTest;
    std::atexit([] {
      TheKernel->stop(/*AskFirst=*/true);
      TheKernel->removeFolder();
    });
  }
  Input In(Data, Size);
  Script S(In);
  S.run();
  S.probe();
  S.closeAll();
  if (S.stopping())
    TheKernel->restart();
  checkKernelIsClean(S.registeredPaths());
  return 0;
}
