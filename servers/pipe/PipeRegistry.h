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

#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace k42::personality {
class PipeRing;
}

namespace k42::pipe {

/// One pipe as the server holds it.
struct HeldPipe {
  /// The ring's id (its memfd's inode number).
  uint64_t Id = 0;
  int Memfd = -1;
  int ReadPeer = -1;
  int WritePeer = -1;
  personality::PipeRing *Ring = nullptr;
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

private:
  void accept();
  void receive(int Conn);
  void take(int Memfd, int ReadPeer, int WritePeer);
  void hangUp(uint64_t Key);
  void handle(uint64_t Key, uint32_t Events);

  std::mutex Lock;
  /// By serial number (never reused, unlike an inode number: a late event
  /// for a pipe gone cannot touch a new one).
  std::map<uint64_t, HeldPipe> Pipes;
  std::set<uint64_t> Ids;
  uint64_t Made = 0;
  int Epoll = -1;
  int Listener = -1;
  int StopFd = -1;
  std::string Path;
};

} // namespace k42::pipe

#endif // K42_SERVERS_PIPE_PIPEREGISTRY_H
