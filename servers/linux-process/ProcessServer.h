//===- servers/linux-process/ProcessServer.h - The server's object -*- C++
//-*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// LinuxProcess served over the ProcessTable, with the host underneath:
/// which host process a badge is (checked in /proc), deaths seen through a
/// pidfd per process (no cooperation from the dying process) and, where
/// the host's pidfds report it, reaps the same way, signals
/// delivered with a host kill. Thread-safe: each client's calls arrive on
/// threads of their own.
///
//===----------------------------------------------------------------------===//

#ifndef K42_SERVERS_LINUXPROCESS_PROCESSSERVER_H
#define K42_SERVERS_LINUXPROCESS_PROCESSSERVER_H

#include "LinuxProcess.h"
#include "ProcessTable.h"

#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace k42::linuxproc {

/// The Linux process server's exported object.
class ProcessServer final : public LinuxProcess {
public:
  /// Starts the thread that watches for deaths.
  ProcessServer();
  /// Stops it and closes every pidfd.
  ~ProcessServer() override;

  k42::Status hello(int32_t HostPid, const k42::Badge &Caller) override;
  k42::Status forked(int32_t ChildHostPid, const k42::Badge &Caller) override;
  k42::Status reaped(int32_t Pid, const k42::Badge &Caller) override;
  k42::Status execed(std::string_view Name, uint32_t Failed,
                     const k42::Badge &Caller) override;
  k42::Status signal(int32_t Pid, int32_t Signal,
                     const k42::Badge &Caller) override;
  k42::Status signalThread(int32_t Pid, int32_t Tid, int32_t Signal,
                           const k42::Badge &Caller) override;
  k42::Status setsid(const k42::Badge &Caller) override;
  k42::Status setpgid(int32_t Pid, int32_t Group, uint32_t Commit,
                      const k42::Badge &Caller) override;
  k42::Status getpgid(int32_t Pid, const k42::Badge &Caller) override;
  k42::Status getsid(int32_t Pid, const k42::Badge &Caller) override;
  k42::Status getppid(const k42::Badge &Caller) override;
  k42::Status setSubreaper(uint32_t On, const k42::Badge &Caller) override;
  k42::Status setCredentials(uint32_t Call, int32_t A, int32_t B, int32_t C,
                             uint32_t Commit,
                             const k42::Badge &Caller) override;
  k42::Status list(std::vector<ProcessInfo> &Processes) override;
  k42::Status queueSignal(int32_t Pid, int32_t Tid, int32_t Signal,
                          std::span<const uint8_t> Info,
                          const k42::Badge &Caller) override;
  k42::Status setGroups(int32_t Count, std::span<const uint32_t> Groups,
                        uint32_t Commit, const k42::Badge &Caller) override;

  /// The client with badge pid \p BadgePid is gone (its connection; the
  /// process may live on, e.g. after exec).
  void forget(uint32_t BadgePid);

private:
  /// The pid bound to \p Caller, or 0. Lock held.
  int32_t callerPid(const k42::Badge &Caller) const;
  /// Watches \p Pid for its death. Lock held.
  void watch(int32_t Pid);
  /// The death watcher's loop.
  void watchDeaths();
  /// Stops watching \p It's process; with \p Reaped it leaves the tree.
  /// Lock held.
  void unwatch(std::map<int32_t, int>::iterator It, bool Reaped);
  /// Takes out of the tree every process whose reap the watcher has not
  /// seen yet but its pidfd reports (SeesReaps). Lock held.
  void settleReaps();
  /// Adds \p Pid, if the tree does not hold it, as the child its host
  /// parent forked without telling (a parent no longer reports each fork):
  /// its parent first, the same way, up to a process the tree holds.
  /// An orphan (its host parent is init, the kernel, and it is outside
  /// the kernel's session, where the kernel's servers are) is added as
  /// init's child with what the host says of it (a parent killed by a
  /// signal told nobody of it). False for a process whose line reaches
  /// neither (no such process, a server of the kernel's, a program whose
  /// parent is outside the system). \p Foreign, if given, remembers the
  /// pids found not to be the tree's. Lock held.
  bool learn(int32_t Pid, std::set<int32_t> *Foreign = nullptr);
  /// Learns every process of the system the tree does not hold yet
  /// (learn()), by its /proc: before a call that looks at groups or
  /// sessions or at every process, and before a change of a process's
  /// group, session or credentials, which its children forked before the
  /// change do not share. Lock held.
  void learnAll();
  /// Host processes learnAll() found outside the tree (their line reaches
  /// init without a process of the tree's), not read again while their
  /// pid stays in /proc: each group kill read every host process's stat
  /// (315 us a kill(0, sig) with 100 of them, against 1 natively, which
  /// let `timeout`'s second SIGTERM land after its target stopped
  /// blocking it, battery 40). Cleared when the tree gains a root, the
  /// one way a line that reached init may come to reach the tree. Lock
  /// held.
  std::set<int32_t> KnownForeign;

  mutable std::mutex Lock;
  ProcessTable Table;
  /// Badge pid (the kernel's numbering) -> process pid.
  std::map<uint32_t, int32_t> Bound;
  /// Each watched process's pidfd -> its pid.
  std::map<int32_t, int> PidFds;
  /// The pidfds and Wake, as one epoll set: a new pidfd is added by the
  /// thread that reports the process, without waking the watcher.
  int Deaths = -1;
  int Wake = -1;
  bool Stopping = false;
  /// Whether the host's pidfds report reaps: the watcher then keeps a
  /// dead process's pidfd until its reap, and the process leaves the tree
  /// without its parent's reaped() (HelloSeesReaps).
  const bool SeesReaps;
  std::thread Watcher;
};

} // namespace k42::linuxproc

#endif // K42_SERVERS_LINUXPROCESS_PROCESSSERVER_H
