//===- k42/personality/ProcessBridge.h - The process server -----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The personality's client of the Linux process server
/// (servers/linux-process), usable in handler context: its calls go
/// through the generated HandlerStubLinuxProcess (stubc --client=handler),
/// which marshals into the channel's slot and allocates nothing (no libc
/// malloc). Each process makes its
/// channel on its first process call (a fork child its own, after exec
/// again), through the kernel connection it shares with the file client
/// (FsBridge::connectService: one connect and hello with the kernel per
/// process, and one ClientGone at its exit; a connection of its own only
/// if the file client's lock is held then), and says hello with its
/// host pid; with no system, or no process
/// server in it, every call answers -ENOSYS and the handlers pass the
/// call through to the host. So do the calls of a posix_spawn child (clone
/// with CLONE_VM) before its exec: it runs in its parent's memory, whose
/// connection is not its own.
///
/// Signals are blocked (but the synchronous ones and SIGSYS) while a call
/// holds the bridge's lock, so a program handler that calls wait or kill
/// cannot find the lock held by the code it interrupted.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_PROCESSBRIDGE_H
#define K42_PERSONALITY_PROCESSBRIDGE_H

#include <cstddef>
#include <cstdint>

namespace k42::personality {

/// The Linux process server, for this process.
class ProcessBridge {
public:
  /// Remembers the kernel socket (\p SocketPath, K42_KERNEL_SOCKET; null
  /// for the default). Nothing is connected yet. Call before arming.
  static void configure(const char *SocketPath);

  /// A program started from outside the personality (no exec state
  /// handed over): registers it now, so the server knows it even if it
  /// never makes a process call.
  static void registerRoot();

  /// Whether the process server serves this process (connects now, once
  /// per process).
  static bool available();

  // The server's calls (servers/linux-process/LinuxProcess.h): a value,
  // or a negated errno; -ENOSYS when there is no server.
  static long forked(long ChildPid);
  /// The caller forked \p ChildPid: kept, not told (the server learns of
  /// a child from the host when a call names it), so a fork costs no
  /// round trip; told by reportChildren() if it is still unreaped then.
  static void childForked(long ChildPid);
  /// Tells the server of every child forked and not reaped yet: before
  /// exit and exec, after which the host could no longer say whose
  /// children they are (an exited parent's are the kernel's) or this
  /// process no longer remembers them (exec).
  static void reportChildren();
  /// In a fork child, before it runs anything else (single-threaded, so
  /// without the lock): closes its copy of the parent's kernel socket, if
  /// this client had one of its own (FsBridge::connectService).
  static void leaveParent();
  /// The caller reaped child \p Pid: told to a server that does not see
  /// reaps itself (linuxproc::HelloSeesReaps); 0 without a call otherwise.
  static long reaped(long Pid);
  /// Whether the server said (hello) that it sees reaps itself, which
  /// exec hands on (FileState::beforeExec): a new image's waits then
  /// make no call, where it would otherwise connect to ask.
  static bool seesReaps();
  /// The old image's word that the server sees reaps (after exec).
  static void knowSeesReaps();
  /// The program named \p Name (\p Length bytes) is about to be exec'd,
  /// or (\p Failed) the exec announced failed. Told only by a process
  /// that is connected already (else -ENOSYS).
  static long execed(const char *Name, size_t Length, bool Failed);
  /// \p Info is a siginfo_t (linuxproc::SigInfoSize bytes); \p Tid 0
  /// for rt_sigqueueinfo.
  static long queueSignal(long Pid, long Tid, long Signal, const void *Info);
  /// \p Groups null (and nothing sent) for the check before the host's
  /// setgroups, \p Count ids for the commit after it.
  static long setGroups(long Count, const uint32_t *Groups, bool Commit);
  static long signal(long Pid, long Signal);
  static long signalThread(long Pid, long Tid, long Signal);
  static long setsid();
  static long setpgid(long Pid, long Group, bool Commit);
  static long getpgid(long Pid);
  static long getsid(long Pid);
  static long getppid();
  /// Tells the server the process is a child subreaper (\p On) or no
  /// longer, after the host's prctl applied it.
  static long setSubreaper(bool On);
  static long setCredentials(unsigned Call, long A, long B, long C,
                             bool Commit);
};

} // namespace k42::personality

#endif // K42_PERSONALITY_PROCESSBRIDGE_H
