//===- servers/linux-process/ProcessTable.cpp - The Linux process tree ----===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "ProcessTable.h"

#include <algorithm>
#include <cerrno>
#include <csignal>

using namespace k42;
using namespace k42::linuxproc;

namespace {

/// The highest signal number Linux accepts (SIGRTMAX of the kernel).
constexpr int32_t MaxSignal = 64;

/// -1 as an id argument: leave it as it is.
constexpr int32_t Unchanged = -1;

bool oneOf(uint32_t Id, uint32_t A, uint32_t B, uint32_t C) {
  return Id == A || Id == B || Id == C;
}

} // namespace

ProcessTable::ProcessTable() {
  ProcessRecord Init;
  Init.Pid = InitPid;
  Init.Parent = 0;
  Init.Group = InitPid;
  Init.Session = InitPid;
  Init.Name = "init";
  Procs[InitPid] = Init;
}

Status ProcessTable::addRoot(int32_t Pid, int32_t Group, int32_t Session,
                             const Credentials &Cred) {
  if (Pid <= InitPid)
    return Status::error(EINVAL);
  if (Procs.count(Pid))
    return Status::error(EEXIST);
  ProcessRecord R;
  R.Pid = Pid;
  R.Parent = InitPid;
  R.Group = Group > 0 ? Group : Pid;
  R.Session = Session > 0 ? Session : Pid;
  R.Cred = Cred;
  Procs[Pid] = R;
  return Status::ok(Pid);
}

Status ProcessTable::addChild(int32_t Parent, int32_t Child) {
  auto P = Procs.find(Parent);
  if (P == Procs.end() || P->second.Zombie)
    return Status::error(ESRCH);
  if (Child <= InitPid)
    return Status::error(EINVAL);
  if (auto C = Procs.find(Child); C != Procs.end())
    return C->second.Parent == Parent ? Status::ok(Child)
                                      : Status::error(EEXIST);
  ProcessRecord R;
  R.Pid = Child;
  R.Parent = Parent;
  R.Group = P->second.Group;
  R.Session = P->second.Session;
  R.Cred = P->second.Cred;
  R.Name = P->second.Name;
  Procs[Child] = R;
  return Status::ok(Child);
}

void ProcessTable::died(int32_t Pid) {
  auto It = Procs.find(Pid);
  if (Pid == InitPid || It == Procs.end() || It->second.Zombie)
    return;
  // Children go to the nearest living ancestor that is a child
  // subreaper (Linux's find_new_reaper), else to init, which reaps its
  // zombies at once; a subreaper reaps its own.
  int32_t Reaper = InitPid;
  for (int32_t A = It->second.Parent; A > InitPid;) {
    auto Up = Procs.find(A);
    if (Up == Procs.end())
      break;
    if (Up->second.Subreaper && !Up->second.Zombie) {
      Reaper = A;
      break;
    }
    A = Up->second.Parent;
  }
  for (auto C = Procs.begin(); C != Procs.end();) {
    if (C->second.Parent == Pid) {
      if (C->second.Zombie && Reaper == InitPid) {
        C = Procs.erase(C);
        continue;
      }
      C->second.Parent = Reaper;
    }
    ++C;
  }
  if (It->second.Parent == InitPid) {
    Procs.erase(It);
    return;
  }
  It->second.Zombie = true;
}

Status ProcessTable::reaped(int32_t Parent, int32_t Child) {
  auto It = Procs.find(Child);
  if (It == Procs.end() || It->second.Parent != Parent)
    return Status::error(ECHILD);
  if (!It->second.Zombie)
    died(Child); // Its death was not seen yet: its children go to init.
  Procs.erase(Child);
  return Status::ok();
}

void ProcessTable::gone(int32_t Pid) {
  if (Pid == InitPid)
    return;
  died(Pid);
  Procs.erase(Pid);
}

Status ProcessTable::execed(int32_t Pid, std::string_view Name) {
  auto It = Procs.find(Pid);
  if (It == Procs.end())
    return Status::error(ESRCH);
  if (Name.size() > NameMax || Name.find('\0') != std::string_view::npos)
    return Status::error(EINVAL);
  ProcessRecord &R = It->second;
  R.BeforeExec.Valid = true;
  R.BeforeExec.Execed = R.Execed;
  R.BeforeExec.Name = R.Name;
  R.BeforeExec.Suid = R.Cred.Suid;
  R.BeforeExec.Sgid = R.Cred.Sgid;
  R.BeforeExec.NameAnnounced = R.NameAnnounced;
  R.Execed = true;
  R.Name = std::string(Name);
  R.NameAnnounced = true;
  R.Cred.Suid = R.Cred.Euid;
  R.Cred.Sgid = R.Cred.Egid;
  return Status::ok();
}

Status ProcessTable::execFailed(int32_t Pid) {
  auto It = Procs.find(Pid);
  if (It == Procs.end())
    return Status::error(ESRCH);
  ProcessRecord &R = It->second;
  if (!R.BeforeExec.Valid)
    return Status::error(EINVAL);
  R.Execed = R.BeforeExec.Execed;
  R.Name = R.BeforeExec.Name;
  R.NameAnnounced = R.BeforeExec.NameAnnounced;
  R.Cred.Suid = R.BeforeExec.Suid;
  R.Cred.Sgid = R.BeforeExec.Sgid;
  R.BeforeExec = ExecUndo();
  return Status::ok();
}

void ProcessTable::setName(int32_t Pid, std::string_view Name) {
  if (auto It = Procs.find(Pid); It != Procs.end() && !It->second.NameAnnounced)
    It->second.Name = std::string(Name.substr(0, NameMax));
}

bool ProcessTable::groupInSession(int32_t Group, int32_t Session) const {
  for (const auto &[Pid, R] : Procs)
    if (R.Group == Group && R.Session == Session)
      return true;
  return false;
}

Status ProcessTable::setsid(int32_t Pid) {
  auto It = Procs.find(Pid);
  if (It == Procs.end())
    return Status::error(ESRCH);
  for (const auto &[Other, R] : Procs)
    if (R.Group == Pid)
      return Status::error(EPERM); // A group leader, or its group lives on.
  It->second.Group = Pid;
  It->second.Session = Pid;
  return Status::ok(Pid);
}

Status ProcessTable::setpgid(int32_t Caller, int32_t Pid, int32_t Group,
                             bool Commit) {
  auto Me = Procs.find(Caller);
  if (Me == Procs.end())
    return Status::error(ESRCH);
  if (Pid == 0)
    Pid = Caller;
  if (Group == 0)
    Group = Pid;
  if (Pid < 0 || Group < 0)
    return Status::error(EINVAL);
  auto Target = Procs.find(Pid);
  if (Target == Procs.end())
    return Status::error(ESRCH);
  ProcessRecord &T = Target->second;
  if (Pid != Caller) {
    if (T.Parent != Caller)
      return Status::error(ESRCH);
    if (T.Session != Me->second.Session)
      return Status::error(EPERM);
    if (T.Execed)
      return Status::error(EACCES);
  }
  if (T.Session == Pid)
    return Status::error(EPERM); // A session leader keeps its group.
  if (Group != Pid && !groupInSession(Group, Me->second.Session))
    return Status::error(EPERM);
  if (Commit)
    T.Group = Group;
  return Status::ok();
}

Status ProcessTable::getpgid(int32_t Caller, int32_t Pid) const {
  const ProcessRecord *R = find(Pid ? Pid : Caller);
  return R ? Status::ok(R->Group) : Status::error(ESRCH);
}

Status ProcessTable::getsid(int32_t Caller, int32_t Pid) const {
  const ProcessRecord *R = find(Pid ? Pid : Caller);
  return R ? Status::ok(R->Session) : Status::error(ESRCH);
}

Status ProcessTable::setSubreaper(int32_t Pid, bool On) {
  auto It = Procs.find(Pid);
  if (It == Procs.end() || It->second.Zombie)
    return Status::error(ESRCH);
  It->second.Subreaper = On;
  return Status::ok();
}

void ProcessTable::hostGroup(int32_t Pid, int32_t Group, int32_t Session) {
  auto It = Procs.find(Pid);
  if (It == Procs.end())
    return;
  ProcessRecord &R = It->second;
  // The host's session and group ids of the tree's first processes may
  // not be the tree's (a program started from outside the system is a
  // session of its own here): only what the process made itself is
  // taken, a session or group of its own, or a group of its session here.
  if (Session == Pid) {
    R.Session = Pid;
    R.Group = Pid;
  } else if (Group == Pid) {
    R.Group = Pid;
  } else if (Group != R.Group) {
    for (const auto &[Other, O] : Procs)
      if (O.Group == Group && O.Session == R.Session && !O.Zombie) {
        R.Group = Group;
        break;
      }
  }
}

Status ProcessTable::getppid(int32_t Pid) const {
  const ProcessRecord *R = find(Pid);
  return R ? Status::ok(R->Parent) : Status::error(ESRCH);
}

int ProcessTable::permission(const ProcessRecord &Caller,
                             const ProcessRecord &Target,
                             int32_t Signal) const {
  if (Signal < 0 || Signal > MaxSignal)
    return EINVAL;
  const Credentials &C = Caller.Cred;
  const Credentials &T = Target.Cred;
  if (C.Euid == 0 || C.Euid == T.Suid || C.Euid == T.Ruid || C.Ruid == T.Suid ||
      C.Ruid == T.Ruid)
    return 0;
  if (Signal == SIGCONT && Caller.Session == Target.Session)
    return 0;
  return EPERM;
}

Status ProcessTable::signalTargets(int32_t Caller, int32_t Pid, int32_t Signal,
                                   std::vector<int32_t> &Targets) const {
  Targets.clear();
  const ProcessRecord *Me = find(Caller);
  if (!Me)
    return Status::error(ESRCH);
  auto Deliver = [&](const ProcessRecord &T) {
    if (T.Pid != InitPid && !T.Zombie && Signal != 0)
      Targets.push_back(T.Pid);
  };
  if (Pid > 0) {
    const ProcessRecord *T = find(Pid);
    if (!T)
      return Status::error(ESRCH);
    if (int E = permission(*Me, *T, Signal))
      return Status::error(E);
    Deliver(*T);
    return Status::ok(1);
  }
  if (Pid == -1) {
    // Every process but init and the caller; EPERM ones do not count as
    // errors (Linux answers 0 if there was any process at all).
    int Count = 0, Sent = 0, Error = 0;
    for (const auto &[P, T] : Procs) {
      if (P == InitPid || P == Caller)
        continue;
      ++Count;
      int E = permission(*Me, T, Signal);
      if (E == 0) {
        Deliver(T);
        ++Sent;
      } else if (E != EPERM) {
        Error = E;
      }
    }
    if (!Count)
      return Status::error(ESRCH);
    return Error ? Status::error(Error) : Status::ok(Sent);
  }
  int32_t Group = Pid == 0 ? Me->Group : -Pid;
  // Linux: success if any member got it, else the last member's error.
  int Sent = 0, Last = ESRCH;
  for (const auto &[P, T] : Procs) {
    if (T.Group != Group)
      continue;
    int E = permission(*Me, T, Signal);
    if (E == 0) {
      Deliver(T);
      ++Sent;
    }
    Last = E;
  }
  return Sent ? Status::ok(Sent) : Status::error(Last);
}

Status ProcessTable::queueTarget(int32_t Caller, int32_t Pid, int32_t Signal,
                                 int32_t Code,
                                 std::vector<int32_t> &Targets) const {
  Targets.clear();
  // Only the kernel sets a code >= 0, and kill/tkill set SI_USER and
  // SI_TKILL with the sender's own pid and uid: nobody may forge those
  // to another process.
  if ((Code >= 0 || Code == SI_TKILL) && Pid != Caller)
    return Status::error(EPERM);
  if (Pid <= 0)
    return Status::error(ESRCH); // No process groups in POSIX.1b.
  return signalTargets(Caller, Pid, Signal, Targets);
}

Status ProcessTable::setGroups(int32_t Pid, int32_t Count,
                               std::span<const uint32_t> Groups, bool Commit,
                               int Capable) {
  auto It = Procs.find(Pid);
  if (It == Procs.end())
    return Status::error(ESRCH);
  // CAP_SETGID (unknown: effective uid 0, as the set*id rules here).
  if (Capable >= 0 ? !Capable : It->second.Cred.Euid != 0)
    return Status::error(EPERM);
  if (Count < 0 || Count > GroupsMax)
    return Status::error(EINVAL);
  if (!Commit)
    return Status::ok();
  // (gid_t)-1 is no group (Linux: EINVAL).
  if (Groups.size() != size_t(Count) ||
      std::find(Groups.begin(), Groups.end(), UINT32_MAX) != Groups.end())
    return Status::error(EINVAL);
  std::vector<uint32_t> Sorted(Groups.begin(), Groups.end());
  std::sort(Sorted.begin(), Sorted.end());
  It->second.Cred.Groups = std::move(Sorted);
  return Status::ok();
}

Status ProcessTable::setCredentials(int32_t Pid, uint32_t Call, int32_t A,
                                    int32_t B, int32_t C, bool Commit,
                                    int Capable) {
  auto It = Procs.find(Pid);
  if (It == Procs.end())
    return Status::error(ESRCH);
  Credentials N = It->second.Cred;
  const Credentials &O = It->second.Cred;
  // At the commit the host has made the change, which may have taken the
  // capability away (root's setuid to another user): root's old ids count
  // too.
  bool Privileged = Capable > 0 || ((Capable < 0 || Commit) && O.Euid == 0);
  auto Id = [](int32_t V) { return static_cast<uint32_t>(V); };
  switch (Call) {
  case CallSetuid:
  case CallSetgid: {
    if (A == Unchanged)
      return Status::error(EINVAL);
    bool User = Call == CallSetuid;
    uint32_t &R = User ? N.Ruid : N.Rgid, &E = User ? N.Euid : N.Egid,
             &S = User ? N.Suid : N.Sgid;
    if (Privileged) {
      R = E = S = Id(A);
    } else if (Id(A) == R || Id(A) == S) {
      E = Id(A);
    } else {
      return Status::error(EPERM);
    }
    break;
  }
  case CallSetreuid:
  case CallSetregid: {
    bool User = Call == CallSetreuid;
    uint32_t &R = User ? N.Ruid : N.Rgid, &E = User ? N.Euid : N.Egid,
             &S = User ? N.Suid : N.Sgid;
    uint32_t OldR = R, OldE = E, OldS = S;
    if (A != Unchanged) {
      if (!Privileged && Id(A) != OldR && Id(A) != OldE)
        return Status::error(EPERM);
      R = Id(A);
    }
    if (B != Unchanged) {
      if (!Privileged && !oneOf(Id(B), OldR, OldE, OldS))
        return Status::error(EPERM);
      E = Id(B);
    }
    if (A != Unchanged || (B != Unchanged && Id(B) != OldR))
      S = E;
    break;
  }
  case CallSetresuid:
  case CallSetresgid: {
    bool User = Call == CallSetresuid;
    uint32_t &R = User ? N.Ruid : N.Rgid, &E = User ? N.Euid : N.Egid,
             &S = User ? N.Suid : N.Sgid;
    uint32_t OldR = R, OldE = E, OldS = S;
    for (int32_t V : {A, B, C})
      if (V != Unchanged && !Privileged && !oneOf(Id(V), OldR, OldE, OldS))
        return Status::error(EPERM);
    if (A != Unchanged)
      R = Id(A);
    if (B != Unchanged)
      E = Id(B);
    if (C != Unchanged)
      S = Id(C);
    break;
  }
  default:
    return Status::error(EINVAL);
  }
  if (Commit)
    It->second.Cred = N;
  return Status::ok();
}

const ProcessRecord *ProcessTable::find(int32_t Pid) const {
  auto It = Procs.find(Pid);
  return It == Procs.end() ? nullptr : &It->second;
}

std::vector<ProcessRecord> ProcessTable::list() const {
  std::vector<ProcessRecord> All;
  All.reserve(Procs.size());
  for (const auto &[Pid, R] : Procs)
    All.push_back(R);
  return All;
}
