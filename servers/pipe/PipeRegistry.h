//===- servers/pipe/PipeRegistry.h - The pipes the server holds -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The pipe server's state and its event loop. A process makes a pipe
/// itself (the ring's memfd, and a socket pair per end whose one side is
/// the end's descriptor) and sends the memfd and the two other sides here.
/// The host then counts each end's descriptors for us, across fork, exec,
/// dup, close and death (SIGKILL included): when the last one goes, the
/// side we hold reports a hang-up, and we set WritersGone or ReadersGone
/// in the ring and wake every sleeper. No thread here ever waits on a
/// client: the loop only reacts to the host's events.
///
//===----------------------------------------------------------------------===//

#ifndef K42_SERVERS_PIPE_PIPEREGISTRY_H
#define K42_SERVERS_PIPE_PIPEREGISTRY_H

#include <k42/ipc/Status.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace k42::personality {
class PipeRing;
struct PipeJoin;
} // namespace k42::personality

namespace k42::pipe {

/// One pipe as the server holds it.
struct HeldPipe {
  /// The ring's id (its memfd's inode number).
  uint64_t Id = 0;
  int Memfd = -1;
  personality::PipeRing *Ring = nullptr;
  /// Open descriptions of each side, and peers held (each is one).
  uint32_t Readers = 0;
  uint32_t Writers = 0;
  uint32_t Peers = 0;
  /// PipeRing::SlotFlags in use.
  uint64_t SlotsUsed = 0;
  /// A named pipe's: the FIFO's (st_dev, st_ino), in Fifos while open.
  bool Named = false;
  uint64_t FifoDev = 0;
  uint64_t FifoIno = 0;
};

/// One open file description of a pipe: the socket whose other side is its
/// placeholder in the processes that hold it.
struct HeldPeer {
  uint64_t Pipe = 0;
  int Fd = -1;
  bool Reads = false;
  bool Writes = false;
  /// Its PipeRing::SlotFlags slot, or -1.
  int Slot = -1;
  /// A HostWriterPump owns the socket (out of the epoll set).
  bool Pumped = false;
};

/// The pipes, and the loop that makes and ends them.
class PipeRegistry {
public:
  ~PipeRegistry();

  /// Listens at \p SocketPath (replacing a stale socket there).
  Status listen(const std::string &SocketPath);
  /// Serves the socket and the pipes' hang-ups until stop().
  void run();
  /// Ends run() and removes the socket.
  void stop();

  /// Handles every hang-up the host has reported so far (a Sync, and
  /// before stats() and list(), so they count an end closed before the
  /// question as closed).
  void drain();
  /// Live and ever-made counts (PipeService::stats).
  void stats(uint64_t &Live, uint64_t &Made);
  /// id, bytes held, readers left, writers left for each live pipe.
  std::vector<uint64_t> list();
  /// Syncs answered so far (PipeService::syncs).
  uint64_t syncs() const { return Syncs.load(std::memory_order_relaxed); }

  /// A pump's end: hangs up its peer (a pump's thread calls it).
  void pumpEnded(uint64_t Key);
  /// Set when the registry goes: pumps return.
  std::atomic<bool> Stopping{false};

private:
  void accept();
  void receive(int Conn);
  void take(int Memfd, int ReadPeer, int WritePeer);
  /// A Grow: memfd \p Fd made \p Bytes long for a client whose
  /// RLIMIT_FSIZE forbids it (personality::OwnMemfd); 0 or a negated errno.
  int32_t grow(int Fd, uint64_t Bytes);
  /// A Join: answers on \p Conn (with the ring's memfd on success); takes
  /// \p Peer.
  void join(int Conn, const personality::PipeJoin &Request, int Peer);
  /// A named pipe's ring, made at its first open. Lock held.
  uint64_t makeNamed(uint64_t Dev, uint64_t Ino);
  /// Holds \p Fd as a description of pipe \p Serial. Lock held.
  void addPeer(uint64_t Serial, int Fd, bool Reads, bool Writes, int Slot);
  void hangUp(uint64_t Key);
  void handle(uint64_t Key, uint32_t Events);
  /// A peer's socket is readable: bytes to pump, a hang-up, or both.
  void peerEvent(uint64_t Key, uint32_t Events);
  /// Starts the HostWriterPump of a writing peer with a record waiting in
  /// its socket. False if there is none, or the peer does not write.
  bool pump(uint64_t Key);

  std::mutex Lock;
  /// By serial number (never reused, unlike an inode number: a late event
  /// for a pipe gone cannot touch a new one).
  std::map<uint64_t, HeldPipe> Pipes;
  /// Id -> serial; named pipes' (st_dev, st_ino) -> serial.
  std::map<uint64_t, uint64_t> Ids;
  std::map<std::pair<uint64_t, uint64_t>, uint64_t> Fifos;
  /// By epoll key (PeerBase + a serial never reused).
  std::map<uint64_t, HeldPeer> Peers;
  uint64_t NextPeer = 0;
  uint64_t Made = 0;
  std::atomic<uint64_t> Syncs{0};
  /// Pumps running, and their end (the destructor waits for it).
  int PumpsLive = 0;
  std::condition_variable PumpsDone;
  int Epoll = -1;
  int Listener = -1;
  int StopFd = -1;
  /// This process's pid, as rings and tags record it (asked once, in
  /// listen(): a host call, not a cached value, each time it is asked).
  int32_t Pid = 0;
  std::string Path;
};

} // namespace k42::pipe

#endif // K42_SERVERS_PIPE_PIPEREGISTRY_H
