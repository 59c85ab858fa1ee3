//===- servers/linux-process/ProcessTable.h - The Linux process tree -*- C++
//-*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The Linux process tree and its rules, without the host: parents and
/// children, reparenting to init, sessions and process groups, credentials,
/// zombies, and which processes a kill reaches. The server
/// (ProcessServer) adds the host (who is who, deaths, delivery); the unit
/// tests drive this class alone.
///
//===----------------------------------------------------------------------===//

#ifndef K42_SERVERS_LINUXPROCESS_PROCESSTABLE_H
#define K42_SERVERS_LINUXPROCESS_PROCESSTABLE_H

#include "LinuxProcess.h"

#include <k42/ipc/Status.h>

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace k42::linuxproc {

/// A process's user and group ids (real, effective, saved) and its
/// supplementary groups (sorted, as Linux keeps them).
struct Credentials {
  uint32_t Ruid = 0, Euid = 0, Suid = 0;
  uint32_t Rgid = 0, Egid = 0, Sgid = 0;
  std::vector<uint32_t> Groups;
};

/// What an announced exec changed, kept until it is known to have worked
/// (the next announcement) so that a failed exec can be undone.
struct ExecUndo {
  bool Valid = false;
  bool Execed = false;
  std::string Name;
  bool NameAnnounced = false;
  uint32_t Suid = 0, Sgid = 0;
};

/// One process of the tree.
struct ProcessRecord {
  int32_t Pid = 0;
  int32_t Parent = 0;
  int32_t Group = 0;
  int32_t Session = 0;
  Credentials Cred;
  bool Zombie = false;
  bool Execed = false;
  /// prctl(PR_SET_CHILD_SUBREAPER): the orphans below it become its
  /// children rather than init's. Kept across exec, not given to forks.
  bool Subreaper = false;
  /// Its command name (Linux's comm): its parent's after fork, the
  /// program's after exec.
  std::string Name;
  /// Whether Name is the process's own word (an announced exec) rather
  /// than what it had at fork or when it joined: the server asks the host
  /// for the others' (an exec it was not told of).
  bool NameAnnounced = false;
  ExecUndo BeforeExec;
};

/// The tree. Not thread-safe: the server holds its lock around each call.
class ProcessTable {
public:
  /// K42's init: the root of the tree, parent of orphans, never signalled.
  static constexpr int32_t InitPid = 1;

  /// A table holding only init (root's credentials, its own group and
  /// session).
  ProcessTable();

  /// Adds \p Pid as a child of init in group \p Group and session
  /// \p Session (a program started from outside K42). EEXIST if known.
  Status addRoot(int32_t Pid, int32_t Group, int32_t Session,
                 const Credentials &Cred);

  /// Adds \p Child as a fork of \p Parent: its group, session and
  /// credentials. ESRCH without a live parent; EEXIST if \p Child is
  /// known as another's (ok if already the same parent's).
  Status addChild(int32_t Parent, int32_t Child);

  /// \p Pid died: a zombie until its parent reaps it (init reaps at once);
  /// its children become its nearest living subreaper ancestor's, else
  /// init's (and its zombie children go, if init takes them).
  void died(int32_t Pid);

  /// \p Pid says whether it is a child subreaper (prctl): ESRCH if it is
  /// not in the tree.
  Status setSubreaper(int32_t Pid, bool On);

  /// What the host says \p Pid's process group and session are, for a
  /// process added after it changed them with the host alone (a
  /// posix_spawn child's setpgid or setsid, made in its parent's memory
  /// before its parent reported it): a session or group of its own, or a
  /// group the tree has in its session (the host's ids of the tree's
  /// first processes may not be the tree's).
  void hostGroup(int32_t Pid, int32_t Group, int32_t Session);

  /// \p Parent reaped \p Child: it leaves the tree (dead or not, the host
  /// said it was gone). ECHILD if it is not \p Parent's child.
  Status reaped(int32_t Parent, int32_t Child);

  /// \p Pid was reaped, as the host said (its pidfd): it leaves the tree,
  /// its children to init as died() gives them. Nothing for init or a
  /// process not in the tree.
  void gone(int32_t Pid);

  /// \p Pid is about to exec program \p Name: the exec flag (its
  /// parent's setpgid: EACCES), the name, saved ids set to the effective
  /// ones, as exec does. ESRCH; EINVAL for a name longer than NameMax or
  /// holding a NUL.
  Status execed(int32_t Pid, std::string_view Name);

  /// \p Pid's exec announced by execed() failed: what it changed is
  /// undone. ESRCH; EINVAL when no exec was announced.
  Status execFailed(int32_t Pid);

  /// Names \p Pid with what the host says it runs (when it joins from
  /// outside, or for an exec nobody announced), cut to NameMax. An
  /// announced name is kept.
  void setName(int32_t Pid, std::string_view Name);

  /// setsid() by \p Pid. EPERM for a group leader; the new session.
  Status setsid(int32_t Pid);

  /// setpgid(\p Pid, \p Group) by \p Caller, applied if \p Commit.
  Status setpgid(int32_t Caller, int32_t Pid, int32_t Group, bool Commit);

  /// getpgid(\p Pid) / getsid(\p Pid) by \p Caller (0: the caller).
  Status getpgid(int32_t Caller, int32_t Pid) const;
  Status getsid(int32_t Caller, int32_t Pid) const;

  /// \p Pid's parent.
  Status getppid(int32_t Pid) const;

  /// The processes kill(\p Pid, \p Signal) by \p Caller reaches, into
  /// \p Targets (live processes other than init, to deliver to), and
  /// kill's answer: 0, ESRCH, EPERM or EINVAL, aggregated as Linux does
  /// for groups and -1.
  Status signalTargets(int32_t Caller, int32_t Pid, int32_t Signal,
                       std::vector<int32_t> &Targets) const;

  /// The process rt_sigqueueinfo (\p Code is the siginfo's si_code) to
  /// \p Pid by \p Caller reaches, into \p Targets: EPERM for a code only
  /// the kernel or kill may set when \p Pid is not the caller, ESRCH for
  /// no such process (Pid <= 0 included), then kill's EINVAL and EPERM.
  Status queueTarget(int32_t Caller, int32_t Pid, int32_t Signal, int32_t Code,
                     std::vector<int32_t> &Targets) const;

  /// setgroups(\p Count, \p Groups) by \p Pid with Linux's rules: EPERM
  /// unless privileged (CAP_SETGID: \p Capable, see setCredentials),
  /// EINVAL for a count outside 0 to GroupsMax; recorded (sorted) if
  /// \p Commit, when \p Groups must hold \p Count ids (EINVAL).
  Status setGroups(int32_t Pid, int32_t Count, std::span<const uint32_t> Groups,
                   bool Commit, int Capable = -1);

  /// A credential call (CredentialCall) by \p Pid, checked with Linux's
  /// rules, applied if \p Commit. Privileged is \p Capable: whether the
  /// caller holds the capability the call asks for (CAP_SETUID for the
  /// uid calls, CAP_SETGID for the gid calls), as the host's
  /// /proc/<pid>/status says; -1 where that is unknown, and then
  /// effective uid 0 (a process that kept its capabilities across a change
  /// of user, setpriv's way, was refused). At the commit, after the host
  /// made the change, effective uid 0 before it counts too.
  Status setCredentials(int32_t Pid, uint32_t Call, int32_t A, int32_t B,
                        int32_t C, bool Commit, int Capable = -1);

  /// The record of \p Pid, or null.
  const ProcessRecord *find(int32_t Pid) const;

  /// Every record, by pid.
  std::vector<ProcessRecord> list() const;

private:
  /// 0 if \p Caller may send \p Signal to \p Target, else EPERM/EINVAL.
  int permission(const ProcessRecord &Caller, const ProcessRecord &Target,
                 int32_t Signal) const;
  /// Whether a process of group \p Group is in session \p Session.
  bool groupInSession(int32_t Group, int32_t Session) const;

  std::map<int32_t, ProcessRecord> Procs;
};

} // namespace k42::linuxproc

#endif // K42_SERVERS_LINUXPROCESS_PROCESSTABLE_H
