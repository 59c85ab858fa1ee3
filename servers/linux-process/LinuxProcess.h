//===- servers/linux-process/LinuxProcess.h - The process server -*- C++
//-*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// K42's ProcessLinuxServer (FREENIX 2003, section 3.1): the Linux process
/// tree of every personality process, its sessions and process groups,
/// credentials, wait bookkeeping and signals between processes. A
/// process is named by its pid; the caller is always its badge's process
/// (bound to a pid by hello), so no process can act as another.
///
/// Pids are the host's for now (stage 1 of README.md): the server delivers
/// a signal with a host kill of the target's host process.
///
//===----------------------------------------------------------------------===//

#ifndef K42_SERVERS_LINUXPROCESS_LINUXPROCESS_H
#define K42_SERVERS_LINUXPROCESS_LINUXPROCESS_H

#include <k42/idl.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace k42::linuxproc {

/// Where processes find the server (KernelLink::registerService).
inline constexpr const char *ServicePath = "/linux-process";

/// The size of a siginfo_t, queueSignal()'s Info.
inline constexpr size_t SigInfoSize = 128;

/// ProcessInfo::State.
enum ProcessStateCode : int32_t {
  StateRunning = 0,
  /// Dead, not yet reaped by its parent.
  StateZombie = 1,
};

/// One process as the server knows it (list()).
struct ProcessInfo {
  int32_t Pid;
  int32_t Parent;
  int32_t Group;
  int32_t Session;
  int32_t HostPid;
  int32_t State;
  uint32_t Ruid, Euid, Suid;
  uint32_t Rgid, Egid, Sgid;
  /// ProcessInfoFlags.
  uint32_t Flags;
  /// How many supplementary groups it has.
  uint32_t GroupCount;
  /// Its command name, as Linux's comm (the last exec's file name, at
  /// most NameMax bytes), NUL-terminated.
  char Name[16];
};

/// The longest command name kept (Linux's TASK_COMM_LEN less its NUL).
inline constexpr size_t NameMax = 15;

/// The most supplementary groups a process may have (Linux's NGROUPS_MAX).
inline constexpr int32_t GroupsMax = 65536;

/// Bits of ProcessInfo::Flags.
enum ProcessInfoFlags : uint32_t {
  /// The process has exec'd since its fork (setpgid by its parent: EACCES).
  FlagExeced = 1,
  /// The process has said hello (it is connected).
  FlagConnected = 2,
};

/// Which credential call setCredentials() applies (Linux's semantics;
/// -1 leaves an id unchanged where Linux allows it).
enum CredentialCall : uint32_t {
  CallSetuid = 0,
  CallSetgid = 1,
  CallSetreuid = 2,
  CallSetregid = 3,
  CallSetresuid = 4,
  CallSetresgid = 5,
};

/// Set in hello()'s answer (beside the pid, which is below 2^22) when the
/// server sees for itself that a process has been reaped (the host's
/// pidfds report it): a parent then need not call reaped().
inline constexpr int32_t HelloSeesReaps = 1 << 30;

/// The process tree. Every method's caller is the process bound to its
/// badge; calls before hello() are ESRCH.
class K42_EXPORT K42_RIGHTS(call) K42_DEFAULT_REQUIRES(call)
    K42_VERSION(1) LinuxProcess {
public:
  virtual ~LinuxProcess() = default;

  /// Binds the caller's badge to host process \p HostPid, whose process
  /// it must be (its uid is the badge's). A process the server has not
  /// heard of is added: as the child of its host parent if that is known
  /// (or learned, up the line of parents), else as a child of init (a program
  /// `utils/k42 run` started). Returns the pid, with HelloSeesReaps set if the
  /// server sees reaps itself.
  virtual k42::Status hello(int32_t HostPid,
                            K42_CALLER const k42::Badge &Caller) = 0;

  /// The caller forked host process \p ChildHostPid (whose host parent
  /// must be the caller): the child joins the tree in the caller's group
  /// and session with its credentials. Returns the child's pid. Told
  /// only before the caller exits or execs, of a child it has not
  /// reaped (the host would no longer say whose it is); the server learns
  /// of other forks from the host when a call names the child.
  virtual k42::Status forked(int32_t ChildHostPid,
                             K42_CALLER const k42::Badge &Caller) = 0;

  /// The caller reaped its child \p Pid (a host wait4/waitid said so):
  /// the zombie leaves the tree. ECHILD if it is not the caller's child
  /// (or if the server saw the reap first: HelloSeesReaps).
  virtual k42::Status reaped(int32_t Pid,
                             K42_CALLER const k42::Badge &Caller) = 0;

  /// The caller is about to exec program \p Name (the file name's last
  /// component, cut to NameMax): its name, its parent's setpgid becomes
  /// EACCES and its saved ids become its effective ones, as exec does.
  /// With \p Failed nonzero the exec it announced failed: the name, flag
  /// and ids it had before come back. EINVAL for a name longer than
  /// NameMax or holding a NUL.
  virtual k42::Status execed(std::string_view Name, uint32_t Failed,
                             K42_CALLER const k42::Badge &Caller) = 0;

  /// kill(\p Pid, \p Signal) as Linux: Pid > 0 one process, 0 the caller's
  /// group, -1 every process the caller may signal but init and itself,
  /// < -1 group -Pid; signal 0 checks only. ESRCH, EPERM, EINVAL. Returns
  /// how many processes were signalled.
  virtual k42::Status signal(int32_t Pid, int32_t Signal,
                             K42_CALLER const k42::Badge &Caller) = 0;

  /// tgkill(\p Pid, \p Tid, \p Signal) to another process's thread.
  virtual k42::Status signalThread(int32_t Pid, int32_t Tid, int32_t Signal,
                                   K42_CALLER const k42::Badge &Caller) = 0;

  /// setsid() for the caller: EPERM for a group leader. Returns the
  /// session.
  virtual k42::Status setsid(K42_CALLER const k42::Badge &Caller) = 0;

  /// setpgid(\p Pid, \p Group) as Linux (ESRCH, EPERM, EACCES, EINVAL).
  /// With \p Commit 0 only checks, so the caller can apply the change to
  /// the host first and then commit it.
  virtual k42::Status setpgid(int32_t Pid, int32_t Group, uint32_t Commit,
                              K42_CALLER const k42::Badge &Caller) = 0;

  /// getpgid(\p Pid) (0: the caller).
  virtual k42::Status getpgid(int32_t Pid,
                              K42_CALLER const k42::Badge &Caller) = 0;

  /// getsid(\p Pid) (0: the caller).
  virtual k42::Status getsid(int32_t Pid,
                             K42_CALLER const k42::Badge &Caller) = 0;

  /// The caller's parent (1 once the parent is gone).
  virtual k42::Status getppid(K42_CALLER const k42::Badge &Caller) = 0;

  /// A credential call (\p Call) with ids \p A, \p B, \p C checked with
  /// Linux's rules (EPERM); with \p Commit nonzero also applied.
  virtual k42::Status setCredentials(uint32_t Call, int32_t A, int32_t B,
                                     int32_t C, uint32_t Commit,
                                     K42_CALLER const k42::Badge &Caller) = 0;

  /// Every process, by pid (`k42-linux-ps`).
  virtual k42::Status list(std::vector<ProcessInfo> &Processes) = 0;

  /// rt_sigqueueinfo(\p Pid, \p Signal, \p Info) to another process
  /// (\p Tid 0), or rt_tgsigqueueinfo(\p Pid, \p Tid, ...) to another
  /// process's thread: \p Info, the caller's siginfo_t, is delivered as
  /// it is. Linux's rules: a code only the kernel or kill may set
  /// (si_code >= 0, SI_TKILL) is EPERM unless the target is the caller;
  /// then ESRCH, EINVAL and EPERM as kill(). EINVAL for an Info that is
  /// not a siginfo_t (SigInfoSize bytes) and for a Tid below 0.
  virtual k42::Status queueSignal(int32_t Pid, int32_t Tid, int32_t Signal,
                                  std::span<const uint8_t> Info,
                                  K42_CALLER const k42::Badge &Caller) = 0;

  /// setgroups(\p Count, \p Groups) checked with Linux's rules (EPERM
  /// unless the caller is privileged, EINVAL for a count outside 0 to
  /// GroupsMax); with \p Commit nonzero also recorded (\p Groups must
  /// then hold \p Count ids), so the caller can apply it to the host in
  /// between, as setCredentials.
  virtual k42::Status setGroups(int32_t Count, std::span<const uint32_t> Groups,
                                uint32_t Commit,
                                K42_CALLER const k42::Badge &Caller) = 0;

  /// prctl(PR_SET_CHILD_SUBREAPER, \p On) of the caller, which the host
  /// has applied: the orphans below it become its children in the tree
  /// (their getppid), as the host makes them its to reap.
  virtual k42::Status setSubreaper(uint32_t On,
                                   K42_CALLER const k42::Badge &Caller) = 0;
};

} // namespace k42::linuxproc

#endif // K42_SERVERS_LINUXPROCESS_LINUXPROCESS_H
