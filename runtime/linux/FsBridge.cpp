//===- runtime/linux/FsBridge.cpp - K42 file servers from handlers --------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/FsBridge.h"

#include "k42/personality/CallStats.h"
#include "k42/personality/ForkLocks.h"
#include "k42/personality/GateHeap.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/HostDirect.h"
#include "k42/personality/ProcNames.h"
#include "k42/personality/ProcessState.h"
#include "k42/personality/SharedRoots.h"

#include "File.k42.h"
#include "FileSystem.k42.h"
#include "MountPoints.k42.h"
#include "NameService.k42.h"

#include "k42/ipc/PPCReader.h"
#include "k42/ipc/PPCWriter.h"

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <string_view>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <time.h>

using namespace k42;
using namespace k42::fs;
using namespace k42::personality;

const char *const FsBridge::HostOnlyPrefixes[] = {"/proc", "/dev", "/sys",
                                                  "/run", nullptr};

namespace {

constexpr unsigned MaxMounts = 32;
constexpr unsigned MaxTops = 32;
constexpr size_t PathBytes = PathMax + 1;

struct MountSlot {
  char Path[name::MountPathCapacity];
  char Object[name::MountObjectCapacity];
  size_t Length;
  uint32_t Server;
  bool Sealed;
  /// name::MountReadOnly: its files opened for reading are Stable.
  bool ReadOnly;
  /// Whether the mount is a host directory this process reaches itself
  /// (HostDirect), asked on first use: HostDir its canonical host path
  /// (GateHeap) once HostKnown.
  uint8_t HostState;
  char *HostDir;
  GateTransport *Via;
  ObjectHandle Root;
  /// In a fork child that has no channel of its own to the mount's server
  /// (Via null): its parent's (GateTransport::borrow), through which Root
  /// (then still the parent's) is asked what makes nothing on the server
  /// (runPath's MayBorrow). Let go when the child joins, changes
  /// credentials, or the table changes; null otherwise.
  GateTransport *Borrowed;
};

/// MountSlot::HostState.
enum : uint8_t { HostUnasked = 0, HostNone = 1, HostKnown = 2 };

struct TopName {
  char Name[64];
  bool K42;
};

/// A closed Stable handle the server has not been told of (FsBridge::close).
struct ParkedHandle {
  /// Held (GateTransport::retain): the file's hold, handed over.
  GateTransport *Via;
  ObjectHandle Handle;
};

/// Where one thread's path call left K42 (FsBridge::LeftK42).
struct LeftSlot {
  long Tid;
  char Path[PathBytes];
};
/// Threads whose path calls may have left K42 at once, each still to take
/// its host path (FsBridge::takeHostPath).
constexpr unsigned LeftSlots = 16;

struct BridgeState {
  GateLock Lock;
  long Pid;
  bool Tried;
  bool Up;
  /// Started inside a system, yet unable to hold or make the kernel
  /// connection: the errno K42 paths fail with (FsBridge::unreachable()).
  long Unreachable;
  /// Opened on the first connect this process makes (a fork child
  /// that only execs, or only uses its inherited table, makes none).
  KernelConnection Kernel;
  GateTransport *Table;
  /// Whether Table is this process's own channel, watched and called;
  /// otherwise it is a fork parent's, mapped only to count its
  /// notifications while it is open (ownTable()).
  bool TableOwned;
  ObjectHandle TableRoot;
  /// The name server process serving /mounts (kept across fork: a child
  /// connects to it directly, without asking /name).
  uint32_t TableServer;
  uint64_t Version;
  /// Table->notificationCount() when the table was last read: the watch
  /// moves it at every change of the table.
  uint32_t Seen;
  // Written by a fork child (NumParked, forgetParked()) and by every open
  // and path call: on the page of the fields above, which a fork child
  // writes anyway, rather than on pages of their own past the mounts and
  // past the 64 KiB of Left (each a page more copied in every fork child
  // and again in its parent).
  unsigned NumParked;
  /// The slot taken next when none is free (round robin).
  unsigned LeftNext;
  /// Set while isK42Path's probe of a top-level name runs: the probe's own
  /// restarts are not checked again.
  bool Probing;
  /// Where runPath writes the path its last hop walked (FsBridge::open's
  /// Canonical), or null; empty unless a server walked it unsealed, where
  /// every '..' and symlink came back as a restart.
  char *Landed;
  /// Where FsBridge::open's call puts the bytes an open for reading gets
  /// with its lease (fs::WalkData), or null.
  OpenBytes *Bytes;
  MountSlot Mounts[MaxMounts];
  unsigned NumMounts;
  TopName Tops[MaxTops];
  unsigned NumTops;
  ParkedHandle Parked[FsBridge::ParkedMax];
  /// The host path of the path call in progress, when its mount is a host
  /// directory (hostLookup), and the K42 path a symlink there leads to
  /// (HostSays::Moved); here rather than on the handler's stack.
  char HostPath[PathBytes];
  char NextPath[PathBytes];
  /// Where path calls that answered FsBridge::LeftK42 went, one per
  /// thread (by host tid): the thread takes its own after letting the lock
  /// go, while other threads' path calls may leave K42 too.
  LeftSlot Left[LeftSlots];
};

alignas(TableAlign) BridgeState State;
K42_HELD_ACROSS_FORK(State.Lock);
/// Moves before every call of this process that may change a file
/// (ServerFile::AttrLeased): the server never revokes a process's lease
/// for its own changes.
std::atomic<uint32_t> OwnChanges{0};
void changing() { OwnChanges.fetch_add(1, std::memory_order_acq_rel); }
/// The kernel socket's path: in ShortSocketPath, or (a deep folder) in
/// LongSocketPath, a page of its own touched only then.
char ShortSocketPath[108];
alignas(TableAlign) char LongSocketPath[KernelConnection::SocketPathBytes];
const char *SocketPath = ShortSocketPath;
/// Whether K42_KERNEL_SOCKET named the system: the process was started
/// inside one (FsBridge::unreachable()).
bool StartedInside = false;

/// One call: request filled by \p Fill, reply read by \p Read.
template <typename FillFn, typename ReadFn>
Status wire(GateTransport &Via, const ObjectHandle &Target, uint32_t Method,
            uint64_t Fingerprint, FillFn Fill, ReadFn Read) {
  GateTransport::Lease Slot(Via);
  if (!Slot.held())
    return Status::error(EAGAIN);
  CallBuffers &B = Slot.buffers();
  BulkWindow W = Slot.bulk();
  B.Request.MethodId = Method;
  B.Request.Fingerprint = Fingerprint;
  PPCWriter Out(B.Request, W.Request);
  Fill(Out);
  if (Status S = Out.finish(); !S)
    return S;
  Status Result = Slot.call(Target);
  if (!Result)
    return Result;
  PPCReader In(B.Reply, W.Reply);
  if (!Read(In) || !In.atEnd())
    return Status::error(errc::BadMessage);
  return Result;
}

long err(Status S) { return S ? S.value() : -long(S.errorCode()); }

size_t length(const char *S) {
  size_t N = 0;
  while (S[N])
    ++N;
  return N;
}

void copyString(char *To, const char *From, size_t Capacity) {
  size_t N = 0;
  for (; From[N] && N + 1 < Capacity; ++N)
    To[N] = From[N];
  To[N] = 0;
}

/// Forgets the parked handles on \p Via (null: all), whose channel goes:
/// the server ends them when the process exits. Lock held.
void forgetParked(const GateTransport *Via) {
  unsigned Kept = 0;
  for (unsigned I = 0; I < State.NumParked; ++I) {
    if (Via && State.Parked[I].Via != Via)
      State.Parked[Kept++] = State.Parked[I];
    else
      GateTransport::release(State.Parked[I].Via);
  }
  State.NumParked = Kept;
}

/// Forgets what \p M's host directory was (the table changed: asked again
/// at the mount's next use). Lock held.
void forgetHostDir(MountSlot &M) {
  GateHeap::release(M.HostDir);
  M.HostDir = nullptr;
  M.HostState = HostUnasked;
}

/// Lets go of \p M's own channel, if any, and the handles parked on it.
/// Lock held.
void dropChannel(MountSlot &M) {
  if (!M.Via)
    return; // forgetParked(nullptr) would forget every mount's.
  forgetParked(M.Via);
  GateTransport::release(M.Via);
  M.Via = nullptr;
}

/// Lets go of the parent's channel \p M borrowed, if any. Lock held.
void dropBorrowed(MountSlot &M) {
  GateTransport::release(M.Borrowed);
  M.Borrowed = nullptr;
}

/// Closes the process's connections. \p KeepTable: a forked child keeps
/// its copy of its parent's table (and the names it knows at K42's root),
/// fetched again only if the version it is told differs.
void dropConnections(bool KeepTable) {
  forgetParked(nullptr);
  for (unsigned I = 0; I < State.NumMounts; ++I) {
    GateTransport::release(State.Mounts[I].Via);
    State.Mounts[I].Via = nullptr;
    dropBorrowed(State.Mounts[I]);
  }
  GateTransport::release(State.Table);
  State.Table = nullptr;
  if (!KeepTable) {
    for (unsigned I = 0; I < State.NumMounts; ++I)
      forgetHostDir(State.Mounts[I]);
    State.NumMounts = 0;
    State.NumTops = 0;
    State.Version = 0;
    State.TableServer = 0;
  }
  State.Kernel.close();
}

/// Reads the whole mount table. Lock held.
long fetchMounts() {
  uint64_t Version = 0;
  name::MountEntry Entries[MaxMounts];
  uint32_t Count = 0;
  Status S = wire(
      *State.Table, State.TableRoot, name::MetaMountPoints::Methods::list,
      name::MetaMountPoints::Fingerprint, [](PPCWriter &) {},
      [&](PPCReader &In) {
        const std::byte *Data = nullptr;
        if (!In.getArray(Data, Count, sizeof(name::MountEntry)))
          return false;
        if (Count > MaxMounts)
          Count = MaxMounts;
        std::memcpy(Entries, Data, Count * sizeof(name::MountEntry));
        return In.get(Version);
      });
  if (!S)
    return -long(S.errorCode());
  // Connections stay with their (server, object); others are dropped.
  MountSlot Fresh[MaxMounts];
  for (uint32_t I = 0; I < Count; ++I) {
    MountSlot &M = Fresh[I];
    copyString(M.Path, Entries[I].Path, sizeof(M.Path));
    copyString(M.Object, Entries[I].Object, sizeof(M.Object));
    M.Length = length(M.Path);
    M.Server = Entries[I].Server;
    M.ReadOnly = (Entries[I].Flags & name::MountReadOnly) != 0;
    M.HostState = HostUnasked;
    M.HostDir = nullptr;
    M.Via = nullptr;
    M.Root = {};
    M.Borrowed = nullptr;
    for (unsigned J = 0; J < State.NumMounts; ++J) {
      MountSlot &Old = State.Mounts[J];
      if (Old.Via && Old.Server == M.Server &&
          std::strcmp(Old.Object, M.Object) == 0) {
        M.Via = Old.Via;
        M.Root = Old.Root;
        Old.Via = nullptr;
      }
    }
  }
  // Every mount's host directory is asked again after a change of the
  // table (the watch's notification): a lookup the host answered may
  // have a mount over it now.
  for (unsigned J = 0; J < State.NumMounts; ++J) {
    forgetParked(State.Mounts[J].Via);
    GateTransport::release(State.Mounts[J].Via);
    dropBorrowed(State.Mounts[J]);
    forgetHostDir(State.Mounts[J]);
  }
  // Longest path first, so the first prefix that matches is the longest.
  for (uint32_t I = 1; I < Count; ++I)
    for (uint32_t J = I; J > 0 && Fresh[J].Length > Fresh[J - 1].Length; --J) {
      MountSlot T = Fresh[J];
      Fresh[J] = Fresh[J - 1];
      Fresh[J - 1] = T;
    }
  for (uint32_t I = 0; I < Count; ++I) {
    Fresh[I].Sealed = true;
    std::string_view P(Fresh[I].Path, Fresh[I].Length);
    for (uint32_t J = 0; J < Count; ++J) {
      std::string_view O(Fresh[J].Path, Fresh[J].Length);
      if (J != I && O.size() > P.size() && O.starts_with(P) &&
          (P == "/" || O[P.size()] == '/'))
        Fresh[I].Sealed = false;
    }
    State.Mounts[I] = Fresh[I];
  }
  State.NumMounts = Count;
  State.Version = Version;
  State.NumTops = 0;
  return 0;
}

/// How long a process waits, in all, for a system that answers but is not
/// ready for it before its files fall through to the host.
constexpr long NotYetBudgetNs = 30'000'000'000;

void sayUnreachable(long Errno);

/// Asks the kernel for a channel to \p Server's \p Path, opening this
/// process's kernel connection first if it has none; a system that answers
/// 'not yet' (EAGAIN) is asked again, backing off as ensure() does. Null
/// and \p Error set if it cannot be had. Lock held.
GateTransport *
connectTo(uint32_t Server, const char *Path, ObjectHandle &Root, long &Error,
          GateTransport::Children Forks = GateTransport::Children::DropIt) {
  long Pause = 1'000'000, Waited = 0;
  for (;;) {
    Error = State.Kernel.isOpen() ? 0 : State.Kernel.open(SocketPath);
    if ((Error == -EACCES || Error == -EPERM) && StartedInside)
      sayUnreachable(EACCES);
    GateTransport *Via =
        Error < 0 ? nullptr
                  : State.Kernel.connect(Server, Path, Root, Error, Forks);
    if (Via || (Error != -EAGAIN && Error != -EINTR) ||
        Waited >= NotYetBudgetNs)
      return Via;
    struct timespec Sleep = {0, Pause};
    (void)hostCall(SYS_nanosleep, reinterpret_cast<long>(&Sleep), 0);
    Waited += Pause;
    Pause = Pause < 50'000'000 ? Pause * 2 : 100'000'000;
  }
}

/// Makes this process's own channel to the mount table, watched, in place
/// of the fork parent's it was counting (closed, or its count moved), and
/// reads the table again unless the version is the one it has. Lock held.
long ownTable() {
  ObjectHandle Root;
  long Error = 0;
  // Its fork children watch it as it does its parent's.
  GateTransport *Own = connectTo(State.TableServer, "/mounts", Root, Error,
                                 GateTransport::Children::WatchIt);
  if (!Own)
    return Error;
  uint32_t Count = Own->notificationCount();
  uint64_t Version = 0;
  Status S = wire(
      *Own, Root, name::MetaMountPoints::Methods::watch,
      name::MetaMountPoints::Fingerprint, [](PPCWriter &) {},
      [&](PPCReader &In) { return In.get(Version); });
  if (!S) {
    GateTransport::release(Own);
    return -long(S.errorCode());
  }
  GateTransport::release(State.Table);
  State.Table = Own;
  State.TableRoot = Root;
  State.TableOwned = true;
  if (Version != State.Version) {
    if (long E = fetchMounts(); E < 0) {
      State.Seen = Count + 1; // Read again at the next path call.
      return E;
    }
  }
  State.Seen = Count;
  return 0;
}

/// Fetches the mount table again if the watch says it changed since it
/// was last read: a load from the channel's memory, no call, when it did
/// not (the common case: every path call asks). A fork child counts its
/// parent's channel until that closes or moves. Lock held.
long refreshMounts() {
  if (!State.TableOwned) {
    // Closed first: a server marks a gone client's channel closed before
    // it forgets the client's watch, so an open channel whose count has
    // not moved has been told of every change so far.
    if (!State.Table->closed() &&
        State.Table->notificationCount() == State.Seen && State.NumMounts)
      return 0;
    return ownTable();
  }
  uint32_t Count = State.Table->notificationCount();
  if (Count == State.Seen && State.NumMounts)
    return 0;
  State.Table->consumeNotifications();
  if (long E = fetchMounts(); E < 0)
    return E;
  State.Seen = Count;
  return 0;
}

/// Which process serves /mounts, asked of the name server at /name: 0 and
/// \p Error set if it cannot be found. Lock held.
uint32_t findTableServer(long &Error) {
  ObjectHandle NameRoot;
  GateTransport *Names = State.Kernel.connect(0, "/name", NameRoot, Error);
  if (!Names)
    return 0;
  uint32_t Server = 0;
  Status S = wire(
      *Names, NameRoot, name::MetaNameService::Methods::resolve,
      name::MetaNameService::Fingerprint,
      [](PPCWriter &Out) { Out.putArray("/mounts", 7, 1); },
      [&](PPCReader &In) { return In.get(Server); });
  GateTransport::release(Names);
  if (!S || !Server)
    Error = S ? -ENOENT : -long(S.errorCode());
  return S ? Server : 0;
}

/// How a try to connect ended.
enum class Attempt {
  Connected,
  /// No system: no socket file, nobody listening on it (a stale socket),
  /// a kernel that closed the connection or is shutting down, or a
  /// process outside a system that cannot hold the connection. Files
  /// are the host's.
  NoSystem,
  /// A process started inside a system (K42_KERNEL_SOCKET) with no
  /// descriptor free at 1000 or above: its K42 paths fail.
  NoRoom,
  /// A process started inside a system whose socket refused it: its K42
  /// paths fail.
  Refused,
  /// A system that answered but is not ready for this process yet (a
  /// server busy or still starting, the mount table still empty): try
  /// again.
  NotYet,
};

/// Connects this process to the system: the kernel, the mount table
/// (watched from now on), and the table itself unless the copy a forked
/// child inherited is current. File servers are connected on first use.
/// A connect or a hello the kernel is slow to answer is waited for (the
/// calls block). Lock held.
Attempt connectProcess() {
  // Open already if the process client asked first (connectService).
  if (long E = State.Kernel.isOpen() ? 0 : State.Kernel.open(SocketPath);
      E < 0) {
    // F_DUPFD past the host's limit is EINVAL, no number free EMFILE.
    if ((E == -EINVAL || E == -EMFILE) && StartedInside)
      return Attempt::NoRoom;
    if ((E == -EACCES || E == -EPERM) && StartedInside)
      return Attempt::Refused;
    return E == -EAGAIN || E == -EINTR || E == -ETIMEDOUT ? Attempt::NotYet
                                                          : Attempt::NoSystem;
  }
  // From here on a kernel has answered: only its closing the connection
  // (or shutting down) means there is no system after all.
  // Its EACCES is a refusal of this process's user (another user's
  // process from outside the system), not a system still starting.
  auto Failed = [](long E) {
    if (E == -EACCES && StartedInside)
      return Attempt::Refused;
    return E == -ECONNRESET || E == -EPIPE || E == -ENOTCONN || E == -EACCES
               ? Attempt::NoSystem
               : Attempt::NotYet;
  };
  long Error = 0;
  // A forked child knows its parent's table server; a new program asks.
  // Fork children watch the table's channel (followPid).
  constexpr auto Watched = GateTransport::Children::WatchIt;
  if (State.TableServer)
    State.Table = State.Kernel.connect(State.TableServer, "/mounts",
                                       State.TableRoot, Error, Watched);
  if (!State.Table) {
    State.TableServer = findTableServer(Error);
    if (!State.TableServer)
      return Failed(Error);
    State.Table = State.Kernel.connect(State.TableServer, "/mounts",
                                       State.TableRoot, Error, Watched);
    if (!State.Table)
      return Failed(Error);
  }
  State.TableOwned = true;
  uint32_t Count = State.Table->notificationCount();
  uint64_t Version = 0;
  Status S = wire(
      *State.Table, State.TableRoot, name::MetaMountPoints::Methods::watch,
      name::MetaMountPoints::Fingerprint, [](PPCWriter &) {},
      [&](PPCReader &In) { return In.get(Version); });
  if (!S)
    return Attempt::NotYet;
  if (Version != State.Version || State.NumMounts == 0) {
    if (fetchMounts() < 0)
      return Attempt::NotYet;
  }
  State.Seen = Count;
  return State.NumMounts > 0 ? Attempt::Connected : Attempt::NotYet;
}

/// Once per program: its K42 paths fail from now on with \p Errno, and
/// why.
void sayUnreachable(long Errno) {
  static bool Said = false;
  if (Said)
    return;
  Said = true;
  static const char NoRoom[] =
      "k42: no descriptor free at 1000 or above for the K42 system's "
      "connection (RLIMIT_NOFILE's hard limit is below 1024): K42 paths fail "
      "with EMFILE\n";
  static const char Refused[] =
      "k42: the K42 system refuses this process's user (another user is "
      "admitted only in a process of the system that changed its user, as su "
      "or runuser under k42-exec, in a system with pids of its own): K42 "
      "paths fail with EACCES\n";
  const char *Line = Errno == EMFILE ? NoRoom : Refused;
  long Length = Errno == EMFILE ? long(sizeof(NoRoom)) : long(sizeof(Refused));
  (void)hostCall(SYS_write, 2, reinterpret_cast<long>(Line), Length - 1);
}

/// A forked child's first look at the state it inherited: it drops its
/// parent's connections but keeps its table and the table channel's
/// memory, to count that channel's notifications. Lock held.
void followPid() {
  long Pid = ProcessState::pid();
  if (State.Pid != Pid) {
    GateTransport *Watched = nullptr;
    if (State.Pid != 0 && State.Up && State.Table && State.NumMounts) {
      Watched = State.Table;
      State.Table = nullptr;
    }
    // Its parent's file server channels stay within reach, borrowed
    // (GateTransport::borrow: the memfds were inherited, and a stat
    // through them spares a join); what the parent had is let go.
    GateTransport *Mine[MaxMounts] = {};
    if (State.Pid != 0) {
      for (unsigned I = 0; I < State.NumMounts; ++I) {
        MountSlot &M = State.Mounts[I];
        if (GateTransport *Parent = M.Via ? M.Via : M.Borrowed)
          Mine[I] = GateTransport::borrow(*Parent);
      }
      dropConnections(/*KeepTable=*/true);
      for (unsigned I = 0; I < State.NumMounts; ++I)
        State.Mounts[I].Borrowed = Mine[I];
    }
    State.Pid = Pid;
    State.Table = Watched;
    State.TableOwned = false;
    State.Tried = Watched != nullptr;
    State.Up = Watched != nullptr;
  }
}

/// Whether the process is connected, connecting first if it never tried.
/// A forked child (followPid()) connects nothing until a call needs a
/// file server (its own kernel connection then) or the parent's channel
/// says the table changed or closes (ownTable()). Lock held.
bool ensure() {
  followPid();
  if (!State.Tried) {
    State.Tried = true;
    // A system whose kernel answers is this process's system, however
    // loaded: a server busy with another client, a mount table not yet
    // filled, a kernel slow to answer are waited for (backing off from
    // 1 ms to 100 ms between tries). Only no system at all (no socket, a
    // stale one, a kernel that hangs up) leaves the files to the host.
    long Pause = 1'000'000, Waited = 0;
    for (;;) {
      Attempt A = connectProcess();
      State.Up = A == Attempt::Connected;
      State.Unreachable = A == Attempt::NoRoom    ? EMFILE
                          : A == Attempt::Refused ? EACCES
                                                  : 0;
      if (State.Unreachable)
        sayUnreachable(State.Unreachable);
      if (A != Attempt::NotYet)
        break;
      dropConnections(/*KeepTable=*/false);
      struct stat Socket;
      if (hostCall(SYS_stat, reinterpret_cast<long>(SocketPath),
                   reinterpret_cast<long>(&Socket)) != 0 ||
          Waited >= NotYetBudgetNs)
        break;
      struct timespec Sleep = {0, Pause};
      (void)hostCall(SYS_nanosleep, reinterpret_cast<long>(&Sleep), 0);
      Waited += Pause;
      Pause = Pause < 50'000'000 ? Pause * 2 : 100'000'000;
    }
    if (!State.Up)
      dropConnections(/*KeepTable=*/false);
  }
  return State.Up;
}

/// The mount of normalised \p Path and where its rest starts. Lock held.
MountSlot *match(const char *Path, const char *&Rest) {
  std::string_view P(Path);
  for (unsigned I = 0; I < State.NumMounts; ++I) {
    MountSlot &M = State.Mounts[I];
    std::string_view MP(M.Path, M.Length);
    if (MP == "/") {
      Rest = Path + 1;
      return &M;
    }
    if (!P.starts_with(MP) || (P.size() > MP.size() && P[MP.size()] != '/'))
      continue;
    Rest = Path + MP.size();
    if (*Rest == '/')
      ++Rest;
    if (!*Rest && P.size() > MP.size())
      Rest = "/";
    return &M;
  }
  return nullptr;
}

/// The mount's file system connection, made on first use. Lock held.
long fileSystem(MountSlot &M) {
  if (M.Via)
    return 0;
  // The process's own from now on: Root becomes its own.
  dropBorrowed(M);
  long Error = 0;
  M.Via = connectTo(M.Server, M.Object, M.Root, Error);
  return M.Via ? 0 : Error;
}

/// "restart at \p Restart" from the mount at \p MountPath, as the next
/// absolute path, into \p Out (MountCache::restartPath's arithmetic).
long restartPath(const char *MountPath, std::string_view Restart, char *Out) {
  char Joined[2 * PathBytes];
  if (!Restart.empty() && Restart.front() == '/') {
    if (Restart.size() >= PathBytes)
      return -ENAMETOOLONG;
    std::memcpy(Joined, Restart.data(), Restart.size());
    Joined[Restart.size()] = 0;
    return FsBridge::normalize(Joined, Out);
  }
  size_t Base = length(MountPath);
  while (Base > 0 && MountPath[Base - 1] == '/')
    --Base;
  while (Restart.starts_with("..")) {
    if (Restart.size() > 2 && Restart[2] != '/')
      break;
    while (Base > 0 && MountPath[Base - 1] != '/')
      --Base;
    while (Base > 0 && MountPath[Base - 1] == '/')
      --Base;
    Restart.remove_prefix(Restart.size() > 2 ? 3 : 2);
  }
  if (Base + Restart.size() + 2 >= sizeof(Joined))
    return -ENAMETOOLONG;
  std::memcpy(Joined, MountPath, Base);
  Joined[Base] = '/';
  std::memcpy(Joined + Base + 1, Restart.data(), Restart.size());
  Joined[Base + 1 + Restart.size()] = 0;
  return FsBridge::normalize(Joined, Out);
}

/// The mount's host directory, asked on first use: a read-only, sealed
/// mount whose root (the server's stat of it) is the host directory of the
/// same path, named canonically. The server's answer may come from a fork
/// relative that asked (SharedRoots), which costs no connection. Null if
/// it is not one. Lock held.
const char *hostDirOf(MountSlot &M) {
  if (M.HostState != HostUnasked)
    return M.HostState == HostKnown ? M.HostDir : nullptr;
  M.HostState = HostNone;
  if (!M.ReadOnly || !M.Sealed)
    return nullptr;
  SharedRoots::Key Key{State.Version, M.Server, M.Path, M.Object};
  FileAttr Root;
  bool Shared = SharedRoots::find(Key, Root.Dev, Root.Ino);
  if (!Shared) {
    if (fileSystem(M) < 0)
      return nullptr;
    std::string_view Restart;
    Status S = wire(
        *M.Via, M.Root, MetaFileSystem::Methods::stat,
        MetaFileSystem::Fingerprint,
        [](PPCWriter &Out) {
          Out.putArray("", 0, 1);
          Out.put(uint32_t(WalkSealed));
        },
        [&](PPCReader &In) {
          return In.get(Root) && In.getStringView(Restart);
        });
    if (!S || S.value() != Done)
      return nullptr;
    SharedRoots::publish(Key, Root.Dev, Root.Ino);
  }
  // A relative's canonical name, checked by a stat per component; else
  // named here, and shared.
  if (!Shared ||
      !SharedRoots::findHostDir(Key, State.HostPath, sizeof(State.HostPath)) ||
      HostDirect::sameRoot(M.Path, State.HostPath, Root) < 0) {
    if (HostDirect::rootOf(M.Path, Root, State.HostPath,
                           sizeof(State.HostPath)) < 0)
      return nullptr;
    SharedRoots::publishHostDir(Key, State.HostPath);
  }
  size_t N = length(State.HostPath) + 1;
  if (!(M.HostDir = static_cast<char *>(GateHeap::allocate(N))))
    return nullptr;
  std::memcpy(M.HostDir, State.HostPath, N);
  M.HostState = HostKnown;
  return M.HostDir;
}

/// What the host says of a path on a mount that is a host directory.
enum class HostSays {
  /// Ask the server: not a host directory, or the host met a symlink.
  Unknown,
  /// No such file: the host resolved the path without a symlink, along
  /// the directories the server's walk would visit.
  Missing,
  /// The file's attributes, as the server would answer them.
  Found,
  /// A symlink on the way, followed on the host as the server would hand
  /// it back (a restart): the K42 path to resolve next is State.NextPath.
  Moved,
};

/// A Host answer of runPath's: resolve State.NextPath instead.
constexpr long HostRestart = 1;

/// Looks \p Rest of mount \p M up on the host (HostDirect::lookup). Ready:
/// its host path is in State.HostPath. Lock held.
HostSays hostLookup(MountSlot &M, std::string_view Rest, bool Follow,
                    FileAttr &Attr, bool &Ready) {
  Ready = false;
  const char *Dir = hostDirOf(M);
  if (!Dir || HostDirect::join(Dir, Rest.data(), Rest.size(), State.HostPath,
                               sizeof(State.HostPath)) < 0)
    return HostSays::Unknown;
  Ready = true;
  long E = HostDirect::lookup(State.HostPath, Follow, Attr);
  if (E == -ELOOP) {
    Ready = false;
    return HostDirect::followLink(State.HostPath, length(Dir), M.Path,
                                  State.NextPath, sizeof(State.NextPath)) == 0
               ? HostSays::Moved
               : HostSays::Unknown;
  }
  return E == 0         ? HostSays::Found
         : E == -ENOENT ? HostSays::Missing
                        : HostSays::Unknown;
}

bool isK42PathLocked(const char *Path);

/// No answer from the host: every hop goes to the server.
struct NoHostAnswer {
  bool operator()(MountSlot &, std::string_view, long &) { return false; }
};

/// \p Cur, a normalised path an unsealed walk took without a '..' or a
/// symlink (each came back as a restart), as /proc/self/fd names it: no
/// trailing '/' but the root's.
void canonicalInto(const char *Cur, char *Out) {
  size_t N = length(Cur);
  while (N > 1 && Cur[N - 1] == '/')
    --N;
  std::memcpy(Out, Cur, N);
  Out[N] = 0;
}

/// \p Cur (normalised) into \p Out as canonicalInto does, each '..'
/// taking the name before it away: the path of a file the host reached
/// without a symlink on the way and without a '..' above its mount's root
/// (HostDirect::join), whose '..'s are then its parents'.
void collapsedInto(const char *Cur, char *Out) {
  size_t N = 0;
  for (const char *P = Cur; *P;) {
    while (*P == '/')
      ++P;
    const char *End = P;
    while (*End && *End != '/')
      ++End;
    size_t Len = size_t(End - P);
    if (Len == 2 && P[0] == '.' && P[1] == '.') {
      while (N > 0 && Out[N - 1] != '/')
        --N;
      if (N > 0)
        --N; // the '/' before it
    } else if (Len > 0) {
      Out[N++] = '/';
      std::memcpy(Out + N, P, Len);
      N += Len;
    }
    P = End;
  }
  if (N == 0)
    Out[N++] = '/';
  Out[N] = 0;
}

/// Whether \p Code says a call never reached the server's answer (the
/// channel closed, its server gone, no free slot, an unmappable channel),
/// rather than the server's own error.
bool isTransportError(int Code) {
  return Code == errc::ChannelClosed || Code == errc::PeerDied ||
         Code == EPIPE || Code == EAGAIN || Code == errc::BadMessage;
}

/// A walk that left K42's name space for host path \p Next (a symlink to
/// a name K42's root lacks, /proc, the host paths): kept for the calling
/// thread (FsBridge::leftPath), the host's to resolve from there as a
/// path the program gave would be. Lock held.
long leftK42(const char *Next) {
  long Tid = hostCall(SYS_gettid);
  LeftSlot *Slot = nullptr;
  for (LeftSlot &L : State.Left)
    if (L.Tid == Tid || (!Slot && L.Tid == 0))
      Slot = &L; // the thread's own, or else a free one
  if (!Slot)     // none free: each in turn
    Slot = &State.Left[State.LeftNext++ % LeftSlots];
  Slot->Tid = Tid;
  size_t N = length(Next);
  if (N >= sizeof(Slot->Path))
    return -ENAMETOOLONG;
  std::memcpy(Slot->Path, Next, N + 1);
  return FsBridge::LeftK42;
}

/// Runs \p Op (mount, rest, walk flags, restart out) on \p Path until it is
/// done, following restarts. \p Host may answer a hop first (true, the
/// call's result in its last argument, or HostRestart: go on at
/// State.NextPath), before the mount is connected. \p MayBorrow: \p Op
/// makes and changes nothing on the server, so a fork child with no
/// channel of its own to the mount may make it through its parent's
/// (MountSlot::Borrowed) instead of joining; a borrowed channel that
/// fails (closed with its parent, no free slot) is let go and the hop
/// made again on the child's own. Lock held.
template <typename OpFn, typename HostFn = NoHostAnswer>
long runPath(const char *Path, OpFn Op, HostFn Host = HostFn(),
             bool MayBorrow = false) {
  char Cur[PathBytes];
  if (long E = FsBridge::normalize(Path, Cur); E < 0)
    return E;
  if (long E = refreshMounts(); E < 0)
    return E;
  for (unsigned Hops = 0; Hops <= SymlinkMax; ++Hops) {
    const char *Rest = nullptr;
    MountSlot *M = match(Cur, Rest);
    if (!M)
      return -ENOENT;
    if (long Answer = 0; Host(*M, std::string_view(Rest), Answer)) {
      if (Answer != HostRestart) {
        // Found on the host (0): its path is Cur, '..'s and all.
        if (Answer == 0 && State.Landed)
          collapsedInto(Cur, State.Landed);
        return Answer;
      }
      if (long E = FsBridge::normalize(State.NextPath, Cur); E < 0)
        return E;
      // A host symlink to a name K42's root lacks (/sbin/killall5 from
      // /usr/bin/pidof): the host's, as a server's restart there is.
      if (!State.Probing && !isK42PathLocked(Cur))
        return leftK42(Cur);
      continue;
    }
    bool Borrowing = MayBorrow && !M->Via && M->Borrowed;
    if (!Borrowing)
      if (long E = fileSystem(*M); E < 0)
        return E;
    CallStats::path(M->Path, Rest, length(Rest));
    std::string_view Restart;
    if (Borrowing)
      M->Via = M->Borrowed;
    Status S =
        Op(*M, std::string_view(Rest), M->Sealed ? WalkSealed : 0u, Restart);
    if (Borrowing) {
      M->Via = nullptr;
      if (!S && isTransportError(S.errorCode())) {
        dropBorrowed(*M);
        --Hops; // the same hop, on the child's own channel
        continue;
      }
    }
    if (!S) {
      if (S.errorCode() == errc::PeerDied || S.errorCode() == EPIPE)
        dropChannel(*M);
      return -long(S.errorCode());
    }
    if (S.value() == Done) {
      if (State.Landed && !M->Sealed)
        canonicalInto(Cur, State.Landed);
      return 0;
    }
    char Next[PathBytes];
    if (long E = restartPath(M->Path, Restart, Next); E < 0)
      return E;
    // A symlink to a host-only path (a name K42's root lacks, /proc, the
    // host paths): the host's to resolve from here, as a path the program
    // gave would be.
    if (!State.Probing && !isK42PathLocked(Next))
      return leftK42(Next);
    std::memcpy(Cur, Next, sizeof(Cur));
  }
  return -ELOOP;
}

/// A path call whose reply is only the restart string.
template <typename FillFn>
long simplePathCall(const char *Path, uint32_t Method, FillFn Fill) {
  return runPath(Path, [&](MountSlot &M, std::string_view Rest, uint32_t Walk,
                           std::string_view &Restart) {
    return wire(
        *M.Via, M.Root, Method, MetaFileSystem::Fingerprint,
        [&](PPCWriter &Out) { Fill(Out, Rest, Walk); },
        [&](PPCReader &In) { return In.getStringView(Restart); });
  });
}

bool isPrefix(const char *Path, const char *Prefix) {
  size_t N = length(Prefix);
  return std::strncmp(Path, Prefix, N) == 0 && (Path[N] == 0 || Path[N] == '/');
}

/// Host paths added by addHostPaths(): fixed room, filled before the
/// process is armed and only read after.
constexpr unsigned MaxHostPaths = 8;
alignas(TableAlign) char HostPaths[MaxHostPaths][256];
unsigned NumHostPaths = 0;

} // namespace

void FsBridge::addHostPaths(const char *List) {
  for (const char *P = List; P && *P;) {
    const char *End = P;
    while (*End && *End != ':')
      ++End;
    size_t Len = size_t(End - P);
    while (Len > 1 && P[Len - 1] == '/')
      --Len; // "/tmp/x/" is "/tmp/x".
    if (Len > 1 && *P == '/' && Len < sizeof(HostPaths[0]) &&
        NumHostPaths < MaxHostPaths) {
      std::memcpy(HostPaths[NumHostPaths], P, Len);
      HostPaths[NumHostPaths][Len] = 0;
      ++NumHostPaths;
    }
    P = *End ? End + 1 : End;
  }
}

void FsBridge::configure(const char *Path) {
  bool Long = Path && std::strlen(Path) >= sizeof(ShortSocketPath);
  char *Room = Long ? LongSocketPath : ShortSocketPath;
  KernelConnection::socketPath(
      Path, Room, Long ? sizeof(LongSocketPath) : sizeof(ShortSocketPath));
  SocketPath = Room;
  StartedInside = Path && *Path;
}

long FsBridge::unreachable() {
  GateLockGuard Guard(State.Lock);
  return State.Unreachable;
}

bool FsBridge::underHostOnlyPrefix(const char *Path) {
  for (const char *const *P = HostOnlyPrefixes; *P; ++P)
    if (isPrefix(Path, *P))
      return true;
  return false;
}

bool FsBridge::hostOnly(const char *Path) {
  if (underHostOnlyPrefix(Path))
    return true;
  for (unsigned I = 0; I < NumHostPaths; ++I)
    if (isPrefix(Path, HostPaths[I]))
      return true;
  return false;
}

const char *FsBridge::socketPath() { return SocketPath; }

bool FsBridge::available() {
  if (!SocketPath[0])
    return false;
  GateLockGuard Guard(State.Lock);
  return ensure();
}

void FsBridge::beforeSpawn() {
  if (!SocketPath[0])
    return;
  GateLockGuard Guard(State.Lock);
  if (ensure() && !State.Kernel.isOpen())
    (void)State.Kernel.open(SocketPath);
}

void FsBridge::leaveParent() { State.Kernel.close(); }

void FsBridge::credentialsChanged() {
  // A posix_spawn child runs in its parent's memory: this state and the
  // kernel connection are its parent's, whose credentials did not change.
  if (!ProcessState::callerIsThisProcess())
    return;
  GateLockGuard Guard(State.Lock);
  followPid();
  // The kernel badges the channels made from now on with the new
  // credentials; those made before keep the old, so the file servers'
  // are let go (files already open keep theirs, as on Linux) and joined
  // again at their next use, and a parent's borrowed ones are not used.
  State.Kernel.credentialsChanged();
  for (unsigned I = 0; I < State.NumMounts; ++I) {
    dropBorrowed(State.Mounts[I]);
    dropChannel(State.Mounts[I]);
  }
}

GateTransport *FsBridge::connectService(const char *Path, ObjectHandle &Root,
                                        long &Error) {
  // Never waited for: the holder may be the code a signal handler
  // interrupted (a handler's wait or kill as the process's first process
  // call), which would never let go.
  if (!State.Lock.tryLock()) {
    Error = -EDEADLK;
    return nullptr;
  }
  followPid();
  GateTransport *Via = connectTo(0, Path, Root, Error);
  State.Lock.unlock();
  return Via;
}

bool FsBridge::serverName(long Pid, char *Out, size_t Capacity) {
  if (!State.Lock.tryLock())
    return false;
  const char *Name = nullptr;
  if (State.Table && State.Table->serverPid() == Pid)
    Name = "name";
  for (unsigned I = 0; !Name && I < State.NumMounts; ++I) {
    const GateTransport *Via =
        State.Mounts[I].Via ? State.Mounts[I].Via : State.Mounts[I].Borrowed;
    if (Via && Via->serverPid() == Pid)
      Name = State.Mounts[I].Path;
  }
  if (Name)
    copyString(Out, Name, Capacity);
  State.Lock.unlock();
  return Name != nullptr;
}

bool FsBridge::readOnlyHostFile(long Fd) {
  if (Fd < 0 || !SocketPath[0])
    return false;
  char Link[FdPathBytes];
  fdPath(Fd, Link);
  // A fork child's copy of its parent's table counts (the descriptor was
  // inherited with it) before it makes connections of its own.
  GateLockGuard Guard(State.Lock);
  if (!State.NumMounts)
    return false;
  long Len = hostCall(SYS_readlink, reinterpret_cast<long>(Link),
                      reinterpret_cast<long>(State.HostPath),
                      sizeof(State.HostPath) - 1);
  if (Len <= 0)
    return false;
  State.HostPath[Len] = 0;
  for (unsigned I = 0; I < State.NumMounts; ++I) {
    const MountSlot &M = State.Mounts[I];
    if (M.HostState == HostKnown && isPrefix(State.HostPath, M.HostDir))
      return true;
  }
  return false;
}

long FsBridge::normalize(const char *Path, char *Out) {
  size_t N = 0;
  Out[N++] = '/';
  const char *P = Path;
  bool TrailingDir = false;
  while (*P) {
    while (*P == '/')
      ++P;
    if (!*P)
      break;
    const char *End = P;
    while (*End && *End != '/')
      ++End;
    size_t Len = size_t(End - P);
    TrailingDir = !*End ? (Len == 1 && *P == '.') : true;
    if (!(Len == 1 && *P == '.')) {
      if (Out[N - 1] != '/')
        Out[N++] = '/';
      if (N + Len >= PathBytes)
        return -ENAMETOOLONG;
      std::memcpy(Out + N, P, Len);
      N += Len;
    }
    P = End;
  }
  if (TrailingDir && Out[N - 1] != '/')
    Out[N++] = '/';
  Out[N] = 0;
  return 0;
}

bool FsBridge::isK42Path(const char *Path) {
  GateLockGuard Guard(State.Lock);
  return ensure() && isK42PathLocked(Path);
}

bool FsBridge::listMounts(void (*Fn)(void *Context, const MountView &Mount),
                          void *Context) {
  GateLockGuard Guard(State.Lock);
  if (!ensure() || refreshMounts() < 0)
    return false;
  for (unsigned I = 0; I < State.NumMounts; ++I) {
    MountSlot &M = State.Mounts[I];
    Fn(Context, MountView{M.Path, M.Object, M.ReadOnly, hostDirOf(M)});
  }
  return true;
}

bool FsBridge::onWritableMount(const char *Path) {
  GateLockGuard Guard(State.Lock);
  if (!ensure() || refreshMounts() < 0)
    return false;
  const char *Rest = nullptr;
  MountSlot *M = match(Path, Rest);
  return M && !M->ReadOnly;
}

void FsBridge::takeHostPath(char *Out) {
  long Tid = hostCall(SYS_gettid);
  GateLockGuard Guard(State.Lock);
  Out[0] = 0; // taken over by other threads' calls: the host's ENOENT
  for (LeftSlot &L : State.Left)
    if (L.Tid == Tid) {
      std::memcpy(Out, L.Path, sizeof(L.Path));
      L.Tid = 0;
    }
}

bool FsBridge::hostFolderOf(const char *Abs, char *HostOut) {
  HostOut[0] = 0;
  const char *Slash = std::strrchr(Abs, '/');
  if (!Slash || Slash == Abs || !Slash[1])
    return false; // at the root, or no last name
  size_t Folder = size_t(Slash - Abs);
  char Parent[PathBytes];
  if (Folder >= sizeof(Parent))
    return false;
  std::memcpy(Parent, Abs, Folder);
  Parent[Folder] = 0;
  fs::FileAttr Attr;
  if (stat(Parent, /*Follow=*/true, Attr) != LeftK42)
    return false;
  takeHostPath(HostOut);
  size_t Host = length(HostOut), Last = length(Slash);
  if (!Host || HostOut[0] != '/' || Host + Last >= PathBytes) {
    HostOut[0] = 0;
    return false;
  }
  std::memcpy(HostOut + Host, Slash, Last + 1);
  return true;
}

namespace {
bool isK42PathLocked(const char *Path) {
  if (FsBridge::hostOnly(Path))
    return false;
  const char *Top = Path + 1;
  size_t Len = 0;
  while (Top[Len] && Top[Len] != '/')
    ++Len;
  if (Len == 0)
    return true; // "/" itself
  // A mount made since the table was read may name this top (a load when
  // nothing changed).
  (void)refreshMounts();
  for (unsigned I = 0; I < State.NumMounts; ++I) {
    const char *M = State.Mounts[I].Path + 1;
    if (std::strncmp(M, Top, Len) == 0 && (M[Len] == 0 || M[Len] == '/'))
      return true;
  }
  for (unsigned I = 0; I < State.NumTops; ++I)
    if (std::strncmp(State.Tops[I].Name, Top, Len) == 0 &&
        State.Tops[I].Name[Len] == 0)
      return State.Tops[I].K42;
  // A top-level name K42's root does not have stays the host's (the
  // build and source trees, for one): asked once, then remembered.
  char Probe[72];
  if (Len + 2 > sizeof(Probe) || Len + 1 > sizeof(TopName::Name))
    return false;
  Probe[0] = '/';
  std::memcpy(Probe + 1, Top, Len);
  Probe[Len + 1] = 0;
  FileAttr Attr;
  State.Probing = true;
  long Found = runPath(Probe, [&](MountSlot &M, std::string_view Rest,
                                  uint32_t Walk, std::string_view &Restart) {
    return wire(
        *M.Via, M.Root, MetaFileSystem::Methods::stat,
        MetaFileSystem::Fingerprint,
        [&](PPCWriter &Out) {
          Out.putArray(Rest.data(), Rest.size(), 1);
          Out.put(uint32_t(Walk | WalkNoFollow));
        },
        [&](PPCReader &In) {
          return In.get(Attr) && In.getStringView(Restart);
        });
  });
  State.Probing = false;
  // A connection the kernel refuses this process's user (a process that
  // changed its user), or no descriptor free for it, is no answer: the
  // name is taken as K42's, not remembered, and its call fails as the
  // connection did, never reaching the host's file of that name.
  if (Found == -EACCES || Found == -EPERM || Found == -EMFILE ||
      Found == -EINVAL)
    return true;
  bool K42 = Found == 0;
  if (State.NumTops < MaxTops) {
    TopName &T = State.Tops[State.NumTops++];
    std::memcpy(T.Name, Top, Len);
    T.Name[Len] = 0;
    T.K42 = K42;
  }
  return K42;
}
} // namespace

namespace {

/// Whether the file \p File now holds (opened with \p Flags, answered
/// \p Attr) is Stable (ServerFile::Stable): a regular file opened for
/// reading only on a read-only mount (\p ReadOnly), whose open's
/// attributes then answer the first fstat.
void markStable(ServerFile &File, bool ReadOnly, uint32_t Flags,
                const FileAttr &Attr) {
  File.Stable =
      ReadOnly && (Flags & O_ACCMODE) == O_RDONLY && S_ISREG(Attr.Mode);
  File.AttrFresh = File.Stable;
  if (File.Stable)
    File.OpenAttr = Attr;
}

/// FsBridge::open, lock held. \p HostFd: the caller can take a host
/// descriptor (an open for reading only: HostFlags are its flags).
/// \p MayDefer: an open for reading that may leave a directory's handle
/// for later (ServerFile::Deferred).
long openLocked(const char *Path, uint32_t Flags, uint32_t Mode,
                ServerFile &File, FileAttr &Attr, bool WantLease,
                long HostFlags, long *HostFd, bool MayDefer) {
  File.LeaseRing = nullptr;
  File.AttrLeased = false;
  File.AttrShown = false;
  File.OwnSeen = OwnChanges.load(std::memory_order_acquire);
  File.Deferred = false;
  bool ReadOnly = false;
  // This hop's host path is ready (State.HostPath) for a direct open.
  bool Ready = false;
  // A directory opened without a call (ServerFile::Deferred).
  bool Deferred = false;
  // The host's open of a file reached from the mount's host directory
  // without a symlink is the server's answer (its walk would visit the
  // same directories and check the same credentials), so no call is made
  // for a regular file (its descriptor the host's), a directory (its
  // handle deferred: ServerFile::Deferred) or a missing file. A symlink
  // on the way is followed on the host; anything else (EACCES too) asks
  // the server, which for a regular file only authorises and names it
  // (Ready: the process opens it itself, checked by st_dev/st_ino).
  auto HostRead = [&](MountSlot &M, std::string_view Rest, long &Answer) {
    const char *Dir = hostDirOf(M);
    if (!Dir || HostDirect::join(Dir, Rest.data(), Rest.size(), State.HostPath,
                                 sizeof(State.HostPath)) < 0)
      return false;
    // Without a HostFd the program asked for a directory (O_DIRECTORY),
    // so no regular file is opened.
    FileAttr Seen;
    long Fd = HostDirect::openRead(
        State.HostPath, HostFd ? HostFlags : O_RDONLY | O_DIRECTORY | O_CLOEXEC,
        Seen);
    if (Fd == -ELOOP) {
      if (HostDirect::followLink(State.HostPath, length(Dir), M.Path,
                                 State.NextPath, sizeof(State.NextPath)) < 0)
        return false;
      Answer = HostRestart;
      return true;
    }
    if (Fd == HostDirect::AskServer) {
      Ready = HostFd != nullptr;
      return false;
    }
    if (Fd >= 0)
      *HostFd = Fd;
    if (Fd != -ENOENT)
      Attr = Seen;
    Deferred = Fd == HostDirect::Directory;
    Answer = Fd == -ENOENT ? -ENOENT : 0;
    return true;
  };
  auto Host = [&](MountSlot &M, std::string_view Rest, long &Answer) {
    Ready = false;
    if (Flags & O_CREAT)
      return false; // the server says EROFS, or ENOENT for the directory
    // An open for reading: one host open is the lookup and the open
    // (HostDirect::openRead). O_NOFOLLOW's last symlink is lookup()'s own.
    if (MayDefer && !(Flags & O_NOFOLLOW))
      return HostRead(M, Rest, Answer);
    FileAttr Seen;
    HostSays H = hostLookup(M, Rest, !(Flags & O_NOFOLLOW), Seen, Ready);
    if (H == HostSays::Missing || H == HostSays::Moved) {
      Answer = H == HostSays::Missing ? -ENOENT : HostRestart;
      return true;
    }
    // A directory reached without a symlink, which the host lets this
    // process open for reading: the server's walk and checks would be the
    // host's, as for a regular file below, and its handle is needed only
    // for getdents (made then).
    if (MayDefer && Ready && H == HostSays::Found && S_ISDIR(Seen.Mode) &&
        HostDirect::mayOpenDirectory(State.HostPath, Seen) == 0) {
      Deferred = true;
      Attr = Seen;
      Answer = 0;
      return true;
    }
    // Only a regular file is read from the host; a symlink on the way
    // (Unknown) is checked by st_dev/st_ino after the open.
    Ready = Ready && HostFd && (H == HostSays::Unknown || S_ISREG(Seen.Mode));
    // Reached without a symlink: the server's walk would visit the same
    // directories and check the same credentials the host's open checks,
    // so the host's open of that very file (st_dev/st_ino) is its answer,
    // and no call is made. Anything else (EACCES too) asks the server.
    if (Ready && H == HostSays::Found) {
      long Fd = HostDirect::open(State.HostPath, HostFlags, Seen);
      if (Fd >= 0) {
        *HostFd = Fd;
        Attr = Seen;
        Answer = 0;
        return true;
      }
    }
    return false;
  };
  long Done = runPath(
      Path,
      [&](MountSlot &M, std::string_view Rest, uint32_t Walk,
          std::string_view &Restart) {
        File.Via = M.Via;
        // Counted before the call: a revocation sent as soon as the lease
        // is granted moves the count past it.
        File.LeaseSeen = M.Via->notificationCount();
        File.PathSeen = File.LeaseSeen;
        if (WantLease)
          Walk |= WalkLease | (State.Bytes ? WalkData : 0);
        if (State.Bytes)
          State.Bytes->Size = 0;
        if (Ready)
          Walk |= WalkNoHandle;
        ReadOnly = M.ReadOnly;
        return wire(
            *M.Via, M.Root, MetaFileSystem::Methods::open,
            MetaFileSystem::Fingerprint,
            [&](PPCWriter &Out) {
              Out.putArray(Rest.data(), Rest.size(), 1);
              Out.put(Flags);
              Out.put(Mode);
              Out.put(
                  uint32_t(Walk | ((Flags & O_NOFOLLOW) ? WalkNoFollow : 0)));
            },
            [&](PPCReader &In) {
              const std::byte *Data = nullptr;
              uint32_t N = 0;
              if (!In.get(File.Handle) || !In.get(Attr) ||
                  !In.getArray(Data, N, 1))
                return false;
              // Copied out of the reply page before the slot is free.
              if (N && State.Bytes && N <= OpenDataMax) {
                std::memcpy(State.Bytes->Buffer, Data, N);
                State.Bytes->Size = N;
              }
              return In.getStringView(Restart);
            });
      },
      Host);
  File.Owner = ProcessState::pid();
  if (Done >= 0 && Deferred) {
    File.Via = nullptr;
    File.Handle = {};
    File.Deferred = true;
    File.Stable = false;
    File.AttrFresh = true;
    File.OpenAttr = Attr;
    return 0;
  }
  if (Done >= 0 && HostFd && *HostFd >= 0) {
    File.Via = nullptr; // opened on the host without a call (Host above)
    File.Stable = File.AttrFresh = false;
    return 0;
  }
  if (Done >= 0 && Ready && !File.Handle.isValid()) {
    // Authorised and named by the server, without a handle: the process
    // opens the host file itself, if it is the very file.
    long Fd = HostDirect::open(State.HostPath, HostFlags, Attr);
    if (Fd >= 0) {
      *HostFd = Fd;
      File.Via = nullptr;
      File.Stable = File.AttrFresh = false;
      return 0;
    }
    // Another file at that host path (the host changed it since, or a
    // mount of its own): through the server after all.
    return openLocked(Path, Flags, Mode, File, Attr, WantLease, 0, nullptr,
                      false);
  }
  // The file holds its channel from here to its close (FsBridge::close,
  // FsBridge::drop): a mount-table change or the server's death lets go of
  // the mount's hold only, never of one a call is using.
  File.Via = Done >= 0 ? GateTransport::retain(File.Via) : nullptr;
  if (Done >= 0 && WantLease && Attr.Lease && File.Via)
    File.LeaseRing = File.Via->ring();
  if (File.LeaseRing && (S_ISREG(Attr.Mode) || S_ISDIR(Attr.Mode))) {
    File.AttrLeased = true;
    File.OpenAttr = Attr;
  }
  if (Done >= 0)
    markStable(File, ReadOnly, Flags, Attr);
  else
    File.Stable = File.AttrFresh = false;
  return Done;
}

} // namespace

bool FsBridge::unchangedSince(uint32_t Seen) {
  return OwnChanges.load(std::memory_order_acquire) == Seen;
}

long FsBridge::open(const char *Path, uint32_t Flags, uint32_t Mode,
                    ServerFile &File, FileAttr &Attr, bool WantLease,
                    long HostFlags, long *HostFd, char *Canonical,
                    OpenBytes *Bytes) {
  GateLockGuard Guard(State.Lock);
  if (HostFd)
    *HostFd = -1;
  if (Canonical)
    Canonical[0] = 0;
  File.LeaseRing = nullptr;
  File.AttrLeased = false;
  if (!ensure())
    return -ENOSYS;
  if ((Flags & O_ACCMODE) != O_RDONLY || (Flags & (O_CREAT | O_TRUNC)))
    changing();
  // A reader's lease (WantLease) is ramfs's: a host directory's file is
  // still read from the host.
  bool Reading =
      HostFd && (Flags & O_ACCMODE) == O_RDONLY &&
      !(Flags & (O_CREAT | O_TRUNC | O_PATH | (O_TMPFILE & ~O_DIRECTORY)));
  bool Direct = Reading && !(Flags & O_DIRECTORY);
  State.Landed = Canonical;
  // A small file's bytes come with a reader's lease (fs::WalkData).
  bool AskBytes = Bytes && WantLease && (Flags & O_ACCMODE) == O_RDONLY &&
                  !(Flags & (O_CREAT | O_TRUNC | O_PATH));
  if (Bytes)
    *Bytes = {Bytes->Buffer, 0, false};
  State.Bytes = AskBytes ? Bytes : nullptr;
  long Done = openLocked(Path, Flags, Mode, File, Attr, WantLease, HostFlags,
                         Direct ? HostFd : nullptr, Reading);
  State.Landed = nullptr;
  State.Bytes = nullptr;
  // The server answers them only with the lease of a regular file of at
  // most OpenDataMax bytes, and then all of them; of a directory, its
  // whole listing or nothing.
  if (AskBytes && Done >= 0 && File.LeaseRing &&
      ((S_ISREG(Attr.Mode) && Attr.Size >= 0 &&
        uint64_t(Attr.Size) <= OpenDataMax &&
        Bytes->Size == uint64_t(Attr.Size)) ||
       (S_ISDIR(Attr.Mode) && Bytes->Size > 0)))
    Bytes->Whole = true;
  if (Done < 0 && Canonical)
    Canonical[0] = 0;
  return Done;
}

long FsBridge::reopen(const char *Path, uint64_t Key, uint32_t Flags,
                      ServerFile &File, FileAttr &Attr) {
  GateLockGuard Guard(State.Lock);
  if (!Key)
    return -ESTALE;
  if (!ensure())
    return -ENOSYS;
  char Cur[PathBytes];
  if (long E = FsBridge::normalize(Path, Cur); E < 0)
    return E;
  if (long E = refreshMounts(); E < 0)
    return E;
  const char *Rest = nullptr;
  MountSlot *M = match(Cur, Rest);
  if (!M)
    return -ESTALE;
  if (long E = fileSystem(*M); E < 0)
    return E;
  if ((Flags & O_ACCMODE) != O_RDONLY)
    changing();
  File = ServerFile();
  File.OwnSeen = OwnChanges.load(std::memory_order_acquire);
  File.PathSeen = M->Via->notificationCount();
  Status S = wire(
      *M->Via, M->Root, MetaFileSystem::Methods::reopen,
      MetaFileSystem::Fingerprint,
      [&](PPCWriter &Out) {
        Out.put(Key);
        Out.put(Flags);
      },
      [&](PPCReader &In) { return In.get(File.Handle) && In.get(Attr); });
  if (!S) {
    if (S.errorCode() == errc::PeerDied || S.errorCode() == EPIPE)
      dropChannel(*M);
    return -long(S.errorCode());
  }
  File.Owner = ProcessState::pid();
  // Held from here to the file's close, as an open's (openLocked).
  File.Via = GateTransport::retain(M->Via);
  markStable(File, M->ReadOnly, Flags, Attr);
  return 0;
}

long FsBridge::stat(const char *Path, bool Follow, FileAttr &Attr,
                    char *Canonical) {
  GateLockGuard Guard(State.Lock);
  if (Canonical)
    Canonical[0] = 0;
  if (!ensure())
    return -ENOSYS;
  // A read-only host directory's file the host reaches without a symlink:
  // the host's stat is the server's answer, field for field.
  auto Host = [&](MountSlot &M, std::string_view Rest, long &Answer) {
    bool Ready;
    HostSays H = hostLookup(M, Rest, Follow, Attr, Ready);
    Answer = H == HostSays::Missing ? -ENOENT
             : H == HostSays::Moved ? HostRestart
                                    : 0;
    return H != HostSays::Unknown;
  };
  State.Landed = Canonical;
  long Done = runPath(
      Path,
      [&](MountSlot &M, std::string_view Rest, uint32_t Walk,
          std::string_view &Restart) {
        return wire(
            *M.Via, M.Root, MetaFileSystem::Methods::stat,
            MetaFileSystem::Fingerprint,
            [&](PPCWriter &Out) {
              Out.putArray(Rest.data(), Rest.size(), 1);
              Out.put(uint32_t(Walk | (Follow ? 0 : WalkNoFollow)));
            },
            [&](PPCReader &In) {
              return In.get(Attr) && In.getStringView(Restart);
            });
      },
      Host, /*MayBorrow=*/true);
  State.Landed = nullptr;
  if (Done < 0 && Canonical)
    Canonical[0] = 0;
  return Done;
}

#define K42_SIMPLE_PATH_CALL(Method, ...)                                      \
  GateLockGuard Guard(State.Lock);                                             \
  if (!ensure())                                                               \
    return -ENOSYS;                                                            \
  changing();                                                                  \
  return simplePathCall(                                                       \
      Path, MetaFileSystem::Methods::Method,                                   \
      [&](PPCWriter &Out, std::string_view Rest, uint32_t Walk) {              \
        Out.putArray(Rest.data(), Rest.size(), 1);                             \
        __VA_ARGS__;                                                           \
      });

long FsBridge::setxattr(const char *Path, const char *Name, const void *Value,
                        size_t Size, uint32_t Flags, bool Follow) {
  K42_SIMPLE_PATH_CALL(setxattr, Out.putArray(Name, length(Name), 1);
                       Out.putArray(Value, Size, 1); Out.put(Flags);
                       Out.put(uint32_t(Walk | (Follow ? 0 : WalkNoFollow))))
}
long FsBridge::removexattr(const char *Path, const char *Name, bool Follow) {
  K42_SIMPLE_PATH_CALL(removexattr, Out.putArray(Name, length(Name), 1);
                       Out.put(uint32_t(Walk | (Follow ? 0 : WalkNoFollow))))
}

namespace {
/// getxattr's and listxattr's call: \p Method on \p Path (its array
/// argument \p Name, if any), the answer's bytes, up to \p Size, to
/// \p Buffer; its whole length. Lock held.
long xattrRead(const char *Path, uint32_t Method, const char *Name, bool Follow,
               void *Buffer, size_t Size) {
  size_t Whole = 0;
  long Done = runPath(Path, [&](MountSlot &M, std::string_view Rest,
                                uint32_t Walk, std::string_view &Restart) {
    return wire(
        *M.Via, M.Root, Method, MetaFileSystem::Fingerprint,
        [&](PPCWriter &Out) {
          Out.putArray(Rest.data(), Rest.size(), 1);
          if (Name)
            Out.putArray(Name, length(Name), 1);
          Out.put(uint32_t(Walk | (Follow ? 0 : WalkNoFollow)));
        },
        [&](PPCReader &In) {
          const std::byte *Data = nullptr;
          uint32_t N = 0;
          if (!In.getArray(Data, N, 1))
            return false;
          Whole = N;
          std::memcpy(Buffer, Data, N < Size ? N : Size);
          return In.getStringView(Restart);
        });
  });
  return Done < 0 ? Done : long(Whole);
}
} // namespace

long FsBridge::getxattr(const char *Path, const char *Name, bool Follow,
                        void *Buffer, size_t Size) {
  GateLockGuard Guard(State.Lock);
  if (!ensure())
    return -ENOSYS;
  return xattrRead(Path, MetaFileSystem::Methods::getxattr, Name, Follow,
                   Buffer, Size);
}
long FsBridge::listxattr(const char *Path, bool Follow, void *Buffer,
                         size_t Size) {
  GateLockGuard Guard(State.Lock);
  if (!ensure())
    return -ENOSYS;
  return xattrRead(Path, MetaFileSystem::Methods::listxattr, nullptr, Follow,
                   Buffer, Size);
}

long FsBridge::linkOpen(const char *Path, uint64_t Key) {
  K42_SIMPLE_PATH_CALL(linkOpen, Out.put(Key); Out.put(Walk))
}
long FsBridge::mkdir(const char *Path, uint32_t Mode) {
  K42_SIMPLE_PATH_CALL(mkdir, Out.put(Mode); Out.put(Walk))
}
long FsBridge::mknod(const char *Path, uint32_t Mode) {
  K42_SIMPLE_PATH_CALL(mknod, Out.put(Mode); Out.put(Walk))
}
long FsBridge::rmdir(const char *Path) {
  K42_SIMPLE_PATH_CALL(rmdir, Out.put(Walk))
}
long FsBridge::unlink(const char *Path) {
  K42_SIMPLE_PATH_CALL(unlink, Out.put(Walk))
}
long FsBridge::chmod(const char *Path, uint32_t Mode) {
  K42_SIMPLE_PATH_CALL(chmod, Out.put(Mode); Out.put(Walk))
}
long FsBridge::truncate(const char *Path, uint64_t Size) {
  K42_SIMPLE_PATH_CALL(truncate, Out.put(Size); Out.put(Walk))
}
long FsBridge::utimens(const char *Path, const FileTimes &Times, bool Follow) {
  K42_SIMPLE_PATH_CALL(utimens, Out.put(Times);
                       Out.put(uint32_t(Walk | (Follow ? 0 : WalkNoFollow))))
}
long FsBridge::chown(const char *Path, uint32_t Uid, uint32_t Gid,
                     bool Follow) {
  K42_SIMPLE_PATH_CALL(chown, Out.put(Uid); Out.put(Gid);
                       Out.put(uint32_t(Walk | (Follow ? 0 : WalkNoFollow))))
}
#undef K42_SIMPLE_PATH_CALL

long FsBridge::symlink(const char *Target, const char *Path) {
  GateLockGuard Guard(State.Lock);
  if (!ensure())
    return -ENOSYS;
  changing();
  return simplePathCall(
      Path, MetaFileSystem::Methods::symlink,
      [&](PPCWriter &Out, std::string_view Rest, uint32_t Walk) {
        Out.putArray(Target, length(Target), 1);
        Out.putArray(Rest.data(), Rest.size(), 1);
        Out.put(Walk);
      });
}

long FsBridge::statfs(const char *Path, FsInfo &Info) {
  GateLockGuard Guard(State.Lock);
  if (!ensure())
    return -ENOSYS;
  // The walk (a stat, following symlinks and restarts) says which mount
  // the file is on; that mount's server answers. On a read-only host
  // directory whose file the host reaches without a symlink, the host's
  // statfs of the mount's directory is the server's answer (hostfs's:
  // its root's, read-only): no call (find and du ask it of every folder).
  MountSlot *On = nullptr;
  bool OnHost = false;
  auto Host = [&](MountSlot &M, std::string_view Rest, long &Answer) {
    FileAttr Attr;
    bool Ready;
    HostSays H = hostLookup(M, Rest, /*Follow=*/true, Attr, Ready);
    if (H == HostSays::Missing || H == HostSays::Moved) {
      Answer = H == HostSays::Missing ? -ENOENT : HostRestart;
      return true;
    }
    struct statfs F;
    if (H != HostSays::Found ||
        hostCall(SYS_statfs, reinterpret_cast<long>(hostDirOf(M)),
                 reinterpret_cast<long>(&F)) != 0)
      return false;
    Info = fs::fromStatfs(F);
    Info.Flags |= ST_RDONLY;
    OnHost = true;
    Answer = 0;
    return true;
  };
  long Done = runPath(
      Path,
      [&](MountSlot &M, std::string_view Rest, uint32_t Walk,
          std::string_view &Restart) {
        On = &M;
        FileAttr Attr;
        return wire(
            *M.Via, M.Root, MetaFileSystem::Methods::stat,
            MetaFileSystem::Fingerprint,
            [&](PPCWriter &Out) {
              Out.putArray(Rest.data(), Rest.size(), 1);
              Out.put(Walk);
            },
            [&](PPCReader &In) {
              return In.get(Attr) && In.getStringView(Restart);
            });
      },
      Host);
  if (Done == 0 && OnHost)
    return 0;
  if (Done < 0 || !On)
    return Done < 0 ? Done : -ENOENT;
  return err(wire(
      *On->Via, On->Root, MetaFileSystem::Methods::statfs,
      MetaFileSystem::Fingerprint, [](PPCWriter &) {},
      [&](PPCReader &In) { return In.get(Info); }));
}

long FsBridge::readlink(const char *Path, char *Buffer, size_t Size) {
  GateLockGuard Guard(State.Lock);
  if (!ensure())
    return -ENOSYS;
  size_t Got = 0;
  // A read-only host directory's link the host reaches without a symlink
  // on the way: the host's readlink of it is the server's answer.
  auto Host = [&](MountSlot &M, std::string_view Rest, long &Answer) {
    const char *Dir = hostDirOf(M);
    // A trailing '/' follows the last component: the server's to say.
    if (!Dir || (!Rest.empty() && Rest.back() == '/') ||
        HostDirect::join(Dir, Rest.data(), Rest.size(), State.HostPath,
                         sizeof(State.HostPath)) < 0)
      return false;
    long N = HostDirect::readlink(State.HostPath, Buffer, Size);
    if (N == -ELOOP) {
      if (HostDirect::followLink(State.HostPath, length(Dir), M.Path,
                                 State.NextPath, sizeof(State.NextPath)) < 0)
        return false;
      Answer = HostRestart;
      return true;
    }
    if (N == HostDirect::AskServer)
      return false;
    // The length goes in Got: Answer 1 would read as HostRestart.
    Answer = N < 0 ? N : 0;
    Got = N < 0 ? 0 : size_t(N);
    return true;
  };
  long Done = runPath(
      Path,
      [&](MountSlot &M, std::string_view Rest, uint32_t Walk,
          std::string_view &Restart) {
        return wire(
            *M.Via, M.Root, MetaFileSystem::Methods::readlink,
            MetaFileSystem::Fingerprint,
            [&](PPCWriter &Out) {
              Out.putArray(Rest.data(), Rest.size(), 1);
              Out.put(uint32_t(Walk | WalkNoFollow));
            },
            [&](PPCReader &In) {
              std::string_view Target;
              if (!In.getStringView(Target))
                return false;
              Got = Target.size() < Size ? Target.size() : Size;
              std::memcpy(Buffer, Target.data(), Got);
              return In.getStringView(Restart);
            });
      },
      Host);
  return Done < 0 ? Done : long(Got);
}

long FsBridge::watch(const char *Path, bool Follow, char *HostPath,
                     size_t Size) {
  GateLockGuard Guard(State.Lock);
  if (!ensure())
    return -ENOSYS;
  if (Size == 0)
    return -ENAMETOOLONG;
  HostPath[0] = 0;
  bool Fits = true;
  // Always the server's walk: a read-only host folder's file is the
  // server's own host file, which it names (hostfs), as it names a ramfs
  // file's stand-in.
  long Done = runPath(Path, [&](MountSlot &M, std::string_view Rest,
                                uint32_t Walk, std::string_view &Restart) {
    return wire(
        *M.Via, M.Root, MetaFileSystem::Methods::watch,
        MetaFileSystem::Fingerprint,
        [&](PPCWriter &Out) {
          Out.putArray(Rest.data(), Rest.size(), 1);
          Out.put(uint32_t(Walk | (Follow ? 0 : WalkNoFollow)));
        },
        [&](PPCReader &In) {
          std::string_view Host;
          if (!In.getStringView(Host))
            return false;
          Fits = Host.size() < Size;
          if (Fits) {
            std::memcpy(HostPath, Host.data(), Host.size());
            HostPath[Host.size()] = 0;
          }
          return In.getStringView(Restart);
        });
  });
  if (Done < 0)
    return Done;
  if (!Fits)
    return -ENAMETOOLONG;
  return HostPath[0] == '/' ? 0 : -EOPNOTSUPP;
}

/// rename and link: both paths in one mount (EXDEV otherwise).
template <typename FillFn>
static long twoPathCall(const char *First, const char *Second, uint32_t Method,
                        FillFn Fill) {
  char A[PathBytes], B[PathBytes];
  if (long E = FsBridge::normalize(First, A); E < 0)
    return E;
  if (long E = FsBridge::normalize(Second, B); E < 0)
    return E;
  if (long E = refreshMounts(); E < 0)
    return E;
  for (unsigned Hops = 0; Hops <= SymlinkMax; ++Hops) {
    const char *RestA = nullptr, *RestB = nullptr;
    MountSlot *MA = match(A, RestA);
    MountSlot *MB = match(B, RestB);
    if (!MA || !MB)
      return -ENOENT;
    if (MA != MB)
      return -EXDEV;
    if (long E = fileSystem(*MA); E < 0)
      return E;
    std::string_view Restart;
    Status S = wire(
        *MA->Via, MA->Root, Method, MetaFileSystem::Fingerprint,
        [&](PPCWriter &Out) {
          Out.putArray(RestA, length(RestA), 1);
          Out.putArray(RestB, length(RestB), 1);
          Fill(Out, MA->Sealed ? WalkSealed : 0u);
        },
        [&](PPCReader &In) { return In.getStringView(Restart); });
    if (!S)
      return -long(S.errorCode());
    if (S.value() == Done)
      return 0;
    char Next[PathBytes];
    if (long E = restartPath(MA->Path, Restart, Next); E < 0)
      return E;
    std::memcpy(S.value() == RestartFirst ? A : B, Next, PathBytes);
  }
  return -ELOOP;
}

long FsBridge::rename(const char *From, const char *To, uint32_t Flags) {
  GateLockGuard Guard(State.Lock);
  if (!ensure())
    return -ENOSYS;
  changing();
  return twoPathCall(From, To, MetaFileSystem::Methods::rename,
                     [&](PPCWriter &Out, uint32_t Walk) {
                       Out.put(Flags);
                       Out.put(Walk);
                     });
}

long FsBridge::link(const char *Existing, const char *NewPath) {
  GateLockGuard Guard(State.Lock);
  if (!ensure())
    return -ENOSYS;
  changing();
  return twoPathCall(Existing, NewPath, MetaFileSystem::Methods::link,
                     [&](PPCWriter &Out, uint32_t Walk) { Out.put(Walk); });
}

namespace {

/// A byte array of the reply, at most \p Cap bytes, copied into \p Buffer;
/// false if the server sent more than was asked (a hostile reply).
bool readBytes(PPCReader &In, void *Buffer, size_t Cap, size_t &Got) {
  const std::byte *Data = nullptr;
  uint32_t N = 0;
  if (!In.getArray(Data, N, 1) || N > Cap)
    return false;
  std::memcpy(Buffer, Data, N);
  Got = N;
  return true;
}

} // namespace

long FsBridge::pread(ServerFile &File, uint64_t Offset, void *Buffer,
                     size_t Count) {
  if (Count > TransferMax)
    Count = TransferMax;
  __atomic_store_n(&File.AttrFresh, false, __ATOMIC_RELAXED);
  size_t Got = 0;
  Status S = wire(
      *File.Via, File.Handle, MetaFile::Methods::pread, MetaFile::Fingerprint,
      [&](PPCWriter &Out) {
        Out.put(Offset);
        Out.put(uint64_t(Count));
      },
      [&](PPCReader &In) { return readBytes(In, Buffer, Count, Got); });
  return S ? long(Got) : -long(S.errorCode());
}

long FsBridge::pwrite(ServerFile &File, uint64_t Offset, const void *Buffer,
                      size_t Count, bool Append, uint64_t &End) {
  if (Count > TransferMax)
    Count = TransferMax;
  changing();
  uint32_t Flags = Append ? WriteAppend : 0;
  if (__atomic_exchange_n(&File.AttrShown, false, __ATOMIC_RELAXED))
    Flags |= WriteQueried;
  return err(wire(
      *File.Via, File.Handle, MetaFile::Methods::pwrite, MetaFile::Fingerprint,
      [&](PPCWriter &Out) {
        Out.put(Offset);
        Out.putArray(Buffer, Count, 1);
        Out.put(Flags);
      },
      [&](PPCReader &In) { return In.get(End); }));
}

long FsBridge::filePath(ServerFile &File, char *Out, size_t Size) {
  if (!File.Via || Size == 0)
    return -ENOSYS;
  char Rel[PathBytes];
  size_t Got = 0;
  long E = err(wire(
      *File.Via, File.Handle, MetaFile::Methods::path, MetaFile::Fingerprint,
      [](PPCWriter &) {},
      [&](PPCReader &In) {
        std::string_view Path;
        if (!In.getStringView(Path) || Path.size() >= sizeof(Rel))
          return false;
        std::memcpy(Rel, Path.data(), Path.size());
        Got = Path.size();
        return true;
      }));
  if (E < 0)
    return E;
  Rel[Got] = 0;
  // The mount the handle's channel serves.
  GateLockGuard Guard(State.Lock);
  for (unsigned I = 0; I < State.NumMounts; ++I) {
    const MountSlot &M = State.Mounts[I];
    if (M.Via != File.Via)
      continue;
    size_t Base = M.Length;
    while (Base > 0 && M.Path[Base - 1] == '/')
      --Base;
    if (Base + 1 + Got + 1 > Size)
      return -ENAMETOOLONG;
    std::memcpy(Out, M.Path, Base);
    size_t At = Base;
    if (Got || At == 0)
      Out[At++] = '/';
    std::memcpy(Out + At, Rel, Got + 1);
    return 0;
  }
  return -ENOSYS;
}

long FsBridge::fstat(ServerFile &File, FileAttr &Attr) {
  if (__atomic_exchange_n(&File.AttrFresh, false, __ATOMIC_ACQ_REL)) {
    Attr = File.OpenAttr;
    return 0;
  }
  // Leased for reading: unchanged while the lease stands and this process
  // changed nothing since the open.
  if (File.AttrLeased) {
    const NotifyRing *Ring = __atomic_load_n(&File.LeaseRing, __ATOMIC_ACQUIRE);
    if (Ring && GateTransport::notificationCount(*Ring) == File.LeaseSeen &&
        OwnChanges.load(std::memory_order_acquire) == File.OwnSeen) {
      Attr = File.OpenAttr;
      __atomic_store_n(&File.AttrShown, true, __ATOMIC_RELAXED);
      return 0;
    }
  }
  return err(wire(
      *File.Via, File.Handle, MetaFile::Methods::stat, MetaFile::Fingerprint,
      [](PPCWriter &) {}, [&](PPCReader &In) { return In.get(Attr); }));
}

long FsBridge::ftruncate(ServerFile &File, uint64_t Size) {
  changing();
  return err(wire(
      *File.Via, File.Handle, MetaFile::Methods::truncate,
      MetaFile::Fingerprint, [&](PPCWriter &Out) { Out.put(Size); },
      [](PPCReader &) { return true; }));
}

namespace {
/// A File call on \p Length bytes from \p Offset that changes the file
/// and answers nothing (punchHole, allocate).
long rangeCall(ServerFile &File, uint32_t Method, uint64_t Offset,
               uint64_t Length) {
  changing();
  return err(wire(
      *File.Via, File.Handle, Method, MetaFile::Fingerprint,
      [&](PPCWriter &Out) {
        Out.put(Offset);
        Out.put(Length);
      },
      [](PPCReader &) { return true; }));
}
} // namespace

long FsBridge::punchHole(ServerFile &File, uint64_t Offset, uint64_t Length) {
  return rangeCall(File, MetaFile::Methods::punchHole, Offset, Length);
}

long FsBridge::allocate(ServerFile &File, uint64_t Offset, uint64_t Length) {
  return rangeCall(File, MetaFile::Methods::allocate, Offset, Length);
}

long FsBridge::seekData(ServerFile &File, uint64_t Offset, uint32_t Whence) {
  uint64_t Found = 0;
  Status S = wire(
      *File.Via, File.Handle, MetaFile::Methods::seekData,
      MetaFile::Fingerprint,
      [&](PPCWriter &Out) {
        Out.put(Offset);
        Out.put(Whence);
      },
      [&](PPCReader &In) { return In.get(Found); });
  if (!S)
    return -long(S.errorCode());
  return Found > uint64_t(INT64_MAX) ? -EOVERFLOW : long(Found);
}

long FsBridge::fsync(ServerFile &File) {
  return err(wire(
      *File.Via, File.Handle, MetaFile::Methods::fsync, MetaFile::Fingerprint,
      [](PPCWriter &) {}, [](PPCReader &) { return true; }));
}

long FsBridge::fchmod(ServerFile &File, uint32_t Mode) {
  changing();
  return err(wire(
      *File.Via, File.Handle, MetaFile::Methods::chmod, MetaFile::Fingerprint,
      [&](PPCWriter &Out) { Out.put(Mode); },
      [](PPCReader &) { return true; }));
}

long FsBridge::fchown(ServerFile &File, uint32_t Uid, uint32_t Gid) {
  changing();
  return err(wire(
      *File.Via, File.Handle, MetaFile::Methods::chown, MetaFile::Fingerprint,
      [&](PPCWriter &Out) {
        Out.put(Uid);
        Out.put(Gid);
      },
      [](PPCReader &) { return true; }));
}

long FsBridge::futimens(ServerFile &File, const FileTimes &Times) {
  changing();
  return err(wire(
      *File.Via, File.Handle, MetaFile::Methods::utimens, MetaFile::Fingerprint,
      [&](PPCWriter &Out) { Out.put(Times); },
      [](PPCReader &) { return true; }));
}

long FsBridge::openMemory(ServerFile &File, long Access) {
  changing(); // stores through the mapping never pass the server
  int32_t ServerFd = -1;
  uint64_t Ino = 0;
  Status S = wire(
      *File.Via, File.Handle, MetaFile::Methods::memory, MetaFile::Fingerprint,
      [](PPCWriter &) {},
      [&](PPCReader &In) { return In.get(ServerFd) && In.get(Ino); });
  if (!S)
    return -long(S.errorCode());
  if (ServerFd < 0)
    return -EIO;
  // Descriptors cannot travel in a PPC page: the server's memfd opened
  // anew by its /proc name, as the pipe server's rings are after exec.
  char Path[64] = "/proc/";
  char *P = putDecimal(Path + 6, uint64_t(File.Via->serverPid()));
  std::memcpy(P, "/fd/", 4);
  *putDecimal(P + 4, uint64_t(ServerFd)) = 0;
  long Mem = hostCall(SYS_openat, AT_FDCWD, reinterpret_cast<long>(Path),
                      Access | O_CLOEXEC);
  if (isError(Mem))
    return Mem == -EACCES ? Mem : -EIO;
  struct stat St;
  if (hostCall(SYS_fstat, Mem, reinterpret_cast<long>(&St)) != 0 ||
      St.st_ino != Ino || !S_ISREG(St.st_mode)) {
    (void)hostCall(SYS_close, Mem);
    return -EIO;
  }
  return Mem;
}

bool FsBridge::readdirOnHost(const char *Path, const FileAttr &Expect,
                             uint64_t Cookie, void *Buffer, size_t Size,
                             uint64_t &Next, long &Got) {
  char Host[PathBytes];
  {
    GateLockGuard Guard(State.Lock);
    if (!ensure() || refreshMounts() < 0)
      return false;
    const char *Rest = nullptr;
    MountSlot *M = match(Path, Rest);
    const char *Dir = M ? hostDirOf(*M) : nullptr;
    if (!Dir ||
        HostDirect::join(Dir, Rest, length(Rest), Host, sizeof(Host)) < 0)
      return false;
  }
  long Fd = HostDirect::openDirectory(Host, Expect);
  if (isError(Fd))
    return false;
  bool Placed = hostCall(SYS_lseek, Fd, long(Cookie), SEEK_SET) >= 0;
  if (Placed) {
    if (Size > TransferMax)
      Size = TransferMax;
    Got = hostCall(SYS_getdents64, Fd, reinterpret_cast<long>(Buffer),
                   long(Size));
    Next = fs::nextDirCookie(Buffer, Got > 0 ? size_t(Got) : 0, Cookie);
  }
  (void)hostCall(SYS_close, Fd);
  return Placed;
}

long FsBridge::readdir(ServerFile &File, uint64_t Cookie, void *Buffer,
                       size_t Size, uint64_t &Next) {
  if (Size > TransferMax)
    Size = TransferMax;
  size_t Got = 0;
  Status S = wire(
      *File.Via, File.Handle, MetaFile::Methods::readdir, MetaFile::Fingerprint,
      [&](PPCWriter &Out) {
        Out.put(Cookie);
        Out.put(uint32_t(Size));
      },
      [&](PPCReader &In) {
        return readBytes(In, Buffer, Size, Got) && In.get(Next);
      });
  return S ? long(Got) : -long(S.errorCode());
}

unsigned FsBridge::parkedCount() {
  GateLockGuard Guard(State.Lock);
  return State.NumParked;
}

long FsBridge::close(ServerFile &File) {
  if (File.Stable) {
    GateLockGuard Guard(State.Lock);
    // Only this process's own connections hold parked handles: not a fork
    // child's copy of its parent's, nor a posix_spawn child's.
    bool Ours = State.Up && State.Pid == File.Owner &&
                State.Pid == ProcessState::pid() &&
                ProcessState::callerIsThisProcess();
    bool Known = false;
    for (unsigned I = 0; Ours && I < State.NumMounts; ++I)
      Known = Known || (State.Mounts[I].Via && State.Mounts[I].Via == File.Via);
    if (Ours && Known) {
      ParkedHandle Oldest{};
      bool Full = State.NumParked == ParkedMax;
      if (Full) {
        Oldest = State.Parked[0];
        for (unsigned I = 1; I < State.NumParked; ++I)
          State.Parked[I - 1] = State.Parked[I];
        --State.NumParked;
      }
      // The file's hold on its channel goes with the parked handle.
      State.Parked[State.NumParked++] = {File.Via, File.Handle};
      File.Via = nullptr;
      if (!Full)
        return 0;
      long E = err(wire(
          *Oldest.Via, Oldest.Handle, MetaFile::Methods::close,
          MetaFile::Fingerprint, [](PPCWriter &) {},
          [](PPCReader &) { return true; }));
      GateTransport::release(Oldest.Via);
      return E;
    }
  }
  long E = err(wire(
      *File.Via, File.Handle, MetaFile::Methods::close, MetaFile::Fingerprint,
      [](PPCWriter &) {}, [](PPCReader &) { return true; }));
  drop(File);
  return E;
}

void FsBridge::drop(ServerFile &File) {
  GateTransport::release(File.Via);
  File.Via = nullptr;
}

//===-- Connections across exec -------------------------------------------===//

namespace {

constexpr uint64_t ExecBridgeMagic = 0x4b3432'42524447ull;

/// A channel as the next program finds it: its memfd and its server.
struct ExecChannel {
  int32_t Fd;
  int32_t Pad;
  int64_t ServerPid;
  ObjectHandle Root;
};

struct ExecMount {
  char Path[name::MountPathCapacity];
  char Object[name::MountObjectCapacity];
  uint32_t Server;
  /// Bit 0: MountSlot::Sealed; bit 1: MountSlot::ReadOnly; bit 2: not a
  /// host directory (HostNone).
  uint32_t Sealed;
  ExecChannel Via; // Fd -1: not connected
  /// MountSlot::HostDir when HostKnown (one that does not fit is asked
  /// again); empty otherwise.
  char HostDir[name::MountPathCapacity];
};

/// What beforeExec() hands on; the new program checks all of it.
struct ExecBridge {
  uint64_t Magic;
  /// -1: the process has not connected yet, or (Table.Fd -1 too) its
  /// connections were not its own to hand on: only the table is.
  int32_t KernelFd;
  uint32_t NextSeq;
  uint32_t TableServer;
  uint32_t Seen;
  uint64_t Version;
  ExecChannel Table;
  /// 1: Table is a fork parent's channel, only counted (TableOwned).
  uint32_t TableWatched;
  uint32_t Pad;
  uint32_t NumMounts;
  uint32_t NumTops;
  /// NumMounts of them, then NumTops TopNames: only what the table holds
  /// is zeroed, written and read (a full table was 14.7 KB, four pages
  /// faulted on each side of every exec and five of the memfd's).
  ExecMount Mounts[MaxMounts];
};

// FileCalls.cpp hands FsBridge::beforeExec 16 KiB (BridgeRoom).
static_assert(sizeof(ExecBridge) + MaxTops * sizeof(TopName) <= 16384,
              "the exec state's room");

/// The bytes an ExecBridge with \p NumMounts mounts and \p NumTops names
/// takes.
constexpr size_t execBridgeBytes(uint32_t NumMounts, uint32_t NumTops) {
  return offsetof(ExecBridge, Mounts) + NumMounts * sizeof(ExecMount) +
         NumTops * sizeof(TopName);
}

/// Where \p E's names at K42's root are: right after its mounts.
TopName *execTops(ExecBridge &E) {
  return reinterpret_cast<TopName *>(&E.Mounts[E.NumMounts]);
}
static_assert(alignof(TopName) == 1, "names need no alignment");

void setCloseOnExec(int Fd, bool On) {
  if (Fd >= 0)
    (void)hostCall(SYS_fcntl, Fd, F_SETFD, On ? FD_CLOEXEC : 0);
}

/// The descriptors the connections hold; \p Fn on each.
template <typename Fn> void eachConnectionFd(Fn F) {
  if (State.Kernel.isOpen())
    F(State.Kernel.fd());
  if (State.Table && State.Table->fd() >= 0)
    F(State.Table->fd());
  for (unsigned I = 0; I < State.NumMounts; ++I)
    if (State.Mounts[I].Via && State.Mounts[I].Via->fd() >= 0)
      F(State.Mounts[I].Via->fd());
}

/// Whether this process, and not only its memory, holds the connections:
/// not a fork child before its own first call (it holds copies of its
/// parent's), nor a child sharing its parent's memory (posix_spawn). A
/// fork child after its first call may hold no kernel connection yet and
/// only its parent's table channel to count: that is handed on as such.
bool connectionsAreOurs() {
  return State.Up && State.Table && State.Pid == ProcessState::pid() &&
         ProcessState::callerIsThisProcess();
}

} // namespace

size_t FsBridge::beforeExec(void *Out, size_t Capacity) {
  if (Capacity < execBridgeBytes(MaxMounts, MaxTops))
    return 0;
  GateLockGuard Guard(State.Lock);
  // A process whose connections are not its own to hand on (a posix_spawn
  // child, in its parent's memory; one whose table channel has no
  // descriptor) still hands on what it knows of the system: the table,
  // its version and server, the mounts' host directories, the names at
  // K42's root. The next program then connects to the table's server
  // itself (no name lookup), and reads the table only if the version it
  // is told differs: a make's `cc` or `rm` (posix_spawn, then the host's
  // exec) asked the name server, read the table and stat'ed /usr's and
  // /etc's roots again.
  bool Ours = connectionsAreOurs() && State.Table->fd() >= 0;
  if (!Ours && (!State.NumMounts || !State.TableServer || !State.Version))
    return 0;
  auto &E = *static_cast<ExecBridge *>(Out);
  size_t Bytes = execBridgeBytes(State.NumMounts, State.NumTops);
  std::memset(&E, 0, Bytes);
  E.Magic = ExecBridgeMagic;
  E.KernelFd = Ours ? State.Kernel.fd() : -1;
  E.NextSeq = Ours ? State.Kernel.nextSeq() : 0;
  E.TableServer = State.TableServer;
  E.Seen = State.Seen;
  E.Version = State.Version;
  E.Table = Ours ? ExecChannel{State.Table->fd(), 0, State.Table->serverPid(),
                               State.TableRoot}
                 : ExecChannel{-1, 0, 0, {}};
  E.TableWatched = Ours && !State.TableOwned ? 1 : 0;
  E.NumMounts = State.NumMounts;
  for (unsigned I = 0; I < State.NumMounts; ++I) {
    const MountSlot &M = State.Mounts[I];
    ExecMount &X = E.Mounts[I];
    std::memcpy(X.Path, M.Path, sizeof(X.Path));
    std::memcpy(X.Object, M.Object, sizeof(X.Object));
    X.Server = M.Server;
    X.Sealed = (M.Sealed ? 1u : 0u) | (M.ReadOnly ? 2u : 0u) |
               (M.HostState == HostNone ? 4u : 0u);
    if (M.HostState == HostKnown && length(M.HostDir) < sizeof(X.HostDir))
      copyString(X.HostDir, M.HostDir, sizeof(X.HostDir));
    X.Via = Ours && M.Via && M.Via->fd() >= 0
                ? ExecChannel{M.Via->fd(), 0, M.Via->serverPid(), M.Root}
                : ExecChannel{-1, 0, 0, {}};
  }
  E.NumTops = State.NumTops;
  std::memcpy(execTops(E), State.Tops, State.NumTops * sizeof(TopName));
  if (Ours)
    eachConnectionFd([](int Fd) { setCloseOnExec(Fd, false); });
  return Bytes;
}

int32_t FsBridge::channelIndex(const GateTransport *Via) {
  GateLockGuard Guard(State.Lock);
  if (!Via || !connectionsAreOurs())
    return -1;
  for (unsigned I = 0; I < State.NumMounts; ++I)
    if (State.Mounts[I].Via == Via && Via->fd() >= 0)
      return int32_t(I);
  return -1;
}

GateTransport *FsBridge::carriedChannel(int32_t Index) {
  GateLockGuard Guard(State.Lock);
  if (!State.Up || Index < 0 || unsigned(Index) >= State.NumMounts)
    return nullptr;
  return GateTransport::retain(State.Mounts[Index].Via);
}

uint32_t FsBridge::ownChanges() {
  return OwnChanges.load(std::memory_order_acquire);
}

void FsBridge::execFailed() {
  GateLockGuard Guard(State.Lock);
  if (connectionsAreOurs())
    eachConnectionFd([](int Fd) { setCloseOnExec(Fd, true); });
}

void FsBridge::afterExec(void *In, size_t Bytes) {
  if (Bytes < offsetof(ExecBridge, Mounts) ||
      reinterpret_cast<uintptr_t>(In) % alignof(ExecBridge) != 0)
    return;
  // Read from the exec state, written by this process's previous program:
  // trusted as far as that goes, but still checked. The buffer is this
  // process's own: no other can change it while it is read.
  auto *Bridge = static_cast<ExecBridge *>(In);
  uint32_t NumMounts = Bridge->NumMounts, NumTops = Bridge->NumTops;
  bool Fits = NumMounts <= MaxMounts && NumTops <= MaxTops &&
              Bytes == execBridgeBytes(NumMounts, NumTops);
  if (!Fits)
    NumMounts = 0; // Nothing below reads past what was handed on.
  for (uint32_t I = 0; I < NumMounts; ++I)
    Bridge->Mounts[I].HostDir[sizeof(Bridge->Mounts[I].HostDir) - 1] = 0;
  const ExecBridge &E = *Bridge;
  GateLockGuard Guard(State.Lock);
  auto Usable = [](int Fd) { return Fd >= KernelConnection::FirstPrivateFd; };
  // The table alone (FsBridge::beforeExec): no connection to take over.
  bool TableOnly = E.KernelFd == -1 && E.Table.Fd == -1;
  bool Ok = Fits && E.Magic == ExecBridgeMagic &&
            (E.KernelFd == -1 || Usable(E.KernelFd)) &&
            (TableOnly || Usable(E.Table.Fd)) && E.NumMounts > 0;
  long Error = 0;
  if (Ok && !TableOnly) {
    if (E.KernelFd >= 0)
      State.Kernel.adopt(E.KernelFd, E.NextSeq);
    // A fork parent's channel is only counted (its slots stay as they
    // are); either is mapped at its first use, as a program that makes no
    // path call (most of a pipeline's) never needs it.
    State.Table = GateTransport::adopt(E.Table.Fd, E.Table.ServerPid, Error,
                                       GateTransport::Children::WatchIt);
    State.TableOwned = !E.TableWatched;
    Ok = State.Table != nullptr;
  }
  for (uint32_t I = 0; Ok && I < E.NumMounts; ++I) {
    const ExecMount &X = E.Mounts[I];
    MountSlot &M = State.Mounts[I];
    copyString(M.Path, X.Path, sizeof(M.Path));
    copyString(M.Object, X.Object, sizeof(M.Object));
    M.Length = length(M.Path);
    M.Server = X.Server;
    M.Sealed = (X.Sealed & 1u) != 0;
    M.ReadOnly = (X.Sealed & 2u) != 0;
    M.HostState = (X.Sealed & 4u) ? HostNone : HostUnasked;
    M.HostDir = nullptr;
    if (X.HostDir[0] == '/' && M.HostState == HostUnasked) {
      size_t N = length(X.HostDir) + 1; // copyString stopped at the end
      if ((M.HostDir = static_cast<char *>(GateHeap::allocate(N)))) {
        std::memcpy(M.HostDir, X.HostDir, N);
        M.HostState = HostKnown;
      }
    }
    M.Root = X.Via.Root;
    M.Via = nullptr;
    M.Borrowed = nullptr;
    if (X.Via.Fd >= 0) {
      M.Via = Usable(X.Via.Fd) && !TableOnly
                  ? GateTransport::adopt(X.Via.Fd, X.Via.ServerPid, Error)
                  : nullptr;
      Ok = M.Via != nullptr;
    }
    State.NumMounts = I + 1;
  }
  if (Ok) {
    State.TableServer = E.TableServer;
    State.TableRoot = E.Table.Root;
    State.Seen = E.Seen;
    State.Version = E.Version;
    State.NumTops = E.NumTops;
    std::memcpy(State.Tops, execTops(*Bridge), E.NumTops * sizeof(TopName));
    for (unsigned I = 0; I < State.NumTops; ++I)
      State.Tops[I].Name[sizeof(State.Tops[I].Name) - 1] = 0;
    State.Pid = ProcessState::pid();
    // With the table alone, the first file call connects (connectProcess:
    // to TableServer, whose watch says whether Version is current).
    State.Tried = !TableOnly;
    State.Up = !TableOnly;
  } else {
    // Connect afresh on the first file call; whatever was handed on and
    // not taken over is closed.
    dropConnections(/*KeepTable=*/false);
    auto CloseFd = [&](int Fd) {
      if (Usable(Fd))
        (void)hostCall(SYS_close, Fd);
    };
    if (E.Magic == ExecBridgeMagic) {
      CloseFd(E.KernelFd);
      CloseFd(E.Table.Fd);
      for (uint32_t I = 0; I < NumMounts; ++I)
        CloseFd(E.Mounts[I].Via.Fd);
    }
  }
}
