//===- utils/swap/lib/SwapCommand.cpp - k42-swap --------------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "SwapCommand.h"

#include <k42/kernel/KernelLink.h>
#include <k42/swap/SwapControlServer.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <sstream>

namespace k42::swaptool {
namespace {

using kernel::KernelLink;

constexpr const char *Usage =
    "usage: k42-swap [--socket PATH] [list]\n"
    "       k42-swap [--socket PATH] OBJECT IMPLEMENTATION\n"
    "       k42-swap [--socket PATH] --upgrade INTERFACE FROM TO\n"
    "OBJECT is NAME or PROCESS:NAME (PROCESS: a K42 id or a process name)\n";

/// One process that serves a swap control object.
struct Server {
  ProcessId Pid = 0;
  std::string Name;
  std::unique_ptr<ChannelTransport> Transport;
  std::optional<swap::StubSwapControl> Control;
};

/// One named object, as its process listed it.
struct Object {
  Server *Owner = nullptr;
  std::string Name, Interface, Implementation, Implementations, Swaps,
      Upgrading, LastFailure;

  std::string where() const { return Owner->Name + ":" + Name; }
};

std::string text(const Status &S) { return std::string(S.message()); }

/// The processes of the system that answer at the swap control path.
Result<std::vector<std::unique_ptr<Server>>> servers(KernelLink &Link) {
  Result<std::vector<kernel::ProcessEntry>> Processes = Link.list();
  if (!Processes)
    return Processes.status();
  std::vector<std::unique_ptr<Server>> Found;
  for (const kernel::ProcessEntry &P : *Processes) {
    if (!P.Running || P.Who.Pid == Link.self().Pid)
      continue;
    // Processes that serve nothing, or serve no swap control, say ENOENT.
    Result<kernel::ServiceConnection> C =
        Link.connectProcess(P.Who.Pid, swap::ControlPath);
    if (!C)
      continue;
    auto S = std::make_unique<Server>();
    S->Pid = P.Who.Pid;
    S->Name = P.Name;
    S->Transport = std::move(C->Transport);
    Result<swap::StubSwapControl> Stub =
        swap::StubSwapControl::bind(*S->Transport, C->Root);
    if (!Stub)
      continue;
    S->Control.emplace(std::move(*Stub));
    Found.push_back(std::move(S));
  }
  return Found;
}

std::vector<std::string> split(const std::string &Line, char By) {
  std::vector<std::string> Parts;
  std::string Part;
  std::istringstream In(Line);
  while (std::getline(In, Part, By))
    Parts.push_back(Part);
  return Parts;
}

/// The objects of \p Owner; its listing is checked, not trusted.
Status objectsOf(Server &Owner, std::vector<Object> &Into) {
  std::string Listing;
  if (Status S = Owner.Control->list(Listing); !S)
    return S;
  for (const std::string &Line : split(Listing, '\n')) {
    std::vector<std::string> F = split(Line, '\t');
    if (F.size() != 7)
      return Status::error(errc::BadMessage);
    Into.push_back(Object{&Owner, F[0], F[1], F[2], F[3], F[4], F[5], F[6]});
  }
  return Status::ok();
}

std::string joined(const std::vector<std::string> &Names) {
  std::string Out;
  for (const std::string &Name : Names)
    Out += (Out.empty() ? "" : ", ") + Name;
  return Out;
}

/// The other implementations, for the listing: "a,b".
std::string others(const Object &O) {
  std::string Out;
  for (const std::string &Name : split(O.Implementations, ','))
    if (Name != O.Implementation)
      Out += (Out.empty() ? "" : ",") + Name;
  return Out.empty() ? "-" : Out;
}

int list(const std::vector<Object> &Objects, std::FILE *Out) {
  if (Objects.empty()) {
    std::fprintf(Out, "k42 swap: no process serves swappable objects\n");
    return 0;
  }
  std::fprintf(Out, "%-20s %-12s %-20s %-10s %5s  %-16s %s\n", "PROCESS",
               "OBJECT", "INTERFACE", "IMPL", "SWAPS", "OTHERS", "STATE");
  for (const Object &O : Objects) {
    std::string State = "-";
    if (O.Upgrading != "-")
      State = "upgrading to " + O.Upgrading + " at next use";
    else if (O.LastFailure != "-")
      State = "last swap failed: " + O.LastFailure;
    std::string Process =
        O.Owner->Name + " (" + std::to_string(O.Owner->Pid) + ")";
    std::fprintf(Out, "%-20s %-12s %-20s %-10s %5s  %-16s %s\n",
                 Process.c_str(), O.Name.c_str(), O.Interface.c_str(),
                 O.Implementation.c_str(), O.Swaps.c_str(), others(O).c_str(),
                 State.c_str());
  }
  return 0;
}

/// Whether \p Process (a K42 id or a name) names \p S.
bool names(const std::string &Process, const Server &S) {
  return Process == S.Name || Process == std::to_string(S.Pid);
}

int swapOne(const std::vector<Object> &Objects, const std::string &Spec,
            const std::string &To, std::FILE *Out, std::FILE *Err) {
  std::string Process, Name = Spec;
  if (size_t Colon = Spec.find(':'); Colon != std::string::npos) {
    Process = Spec.substr(0, Colon);
    Name = Spec.substr(Colon + 1);
  }
  std::vector<const Object *> Matches;
  for (const Object &O : Objects)
    if (O.Name == Name && (Process.empty() || names(Process, *O.Owner)))
      Matches.push_back(&O);
  if (Matches.empty()) {
    std::fprintf(Err,
                 "k42 swap: no swappable object '%s' in the running system "
                 "('utils/k42 swap list' shows them)\n",
                 Spec.c_str());
    return 1;
  }
  if (Matches.size() > 1) {
    std::fprintf(
        Err, "k42 swap: '%s' is ambiguous; name its process:", Spec.c_str());
    for (const Object *O : Matches)
      std::fprintf(Err, " %s", O->where().c_str());
    std::fprintf(Err, "\n");
    return 1;
  }
  const Object &O = *Matches.front();
  std::vector<std::string> Impls = split(O.Implementations, ',');
  if (std::find(Impls.begin(), Impls.end(), To) == Impls.end()) {
    std::fprintf(Err,
                 "k42 swap: %s (%s) has no implementation '%s'; it has: %s\n",
                 O.where().c_str(), O.Interface.c_str(), To.c_str(),
                 joined(Impls).c_str());
    return 1;
  }
  Status S = O.Owner->Control->swap(O.Name, To);
  if (!S) {
    std::string Why = S.errorCode() == errc::IncompatibleInterface
                          ? To + " refused its state (other K42_STATE fields)"
                          : text(S);
    std::fprintf(Err,
                 "k42 swap: %s stays %s: the swap to %s failed: %s; the swap "
                 "was rolled back and no call was lost\n",
                 O.where().c_str(), O.Implementation.c_str(), To.c_str(),
                 Why.c_str());
    return 1;
  }
  std::fprintf(Out, "k42 swap: %s is now %s (was %s; state moved)\n",
               O.where().c_str(), To.c_str(), O.Implementation.c_str());
  return 0;
}

int upgrade(std::vector<std::unique_ptr<Server>> &Servers,
            const std::string &Interface, const std::string &From,
            const std::string &To, std::FILE *Out, std::FILE *Err) {
  bool Known = false;
  for (auto &S : Servers) {
    uint32_t Asked = 0;
    Status Done = S->Control->upgrade(Interface, From, To, Asked);
    if (Done.errorCode() == ENOENT)
      continue; // This process has no such interface or implementation.
    if (!Done) {
      std::fprintf(Err, "k42 swap: %s (%u): upgrade failed: %s\n",
                   S->Name.c_str(), S->Pid, text(Done).c_str());
      return 1;
    }
    Known = true;
    std::fprintf(Out,
                 "k42 swap: %s: %u object(s) of %s will become %s at their "
                 "next use\n",
                 S->Name.c_str(), Asked, Interface.c_str(), To.c_str());
  }
  if (!Known) {
    std::fprintf(Err,
                 "k42 swap: no process has implementations '%s' and '%s' of "
                 "%s\n",
                 From.c_str(), To.c_str(), Interface.c_str());
    return 1;
  }
  return 0;
}

} // namespace

int runSwapCommand(const std::vector<std::string> &Args, std::FILE *Out,
                   std::FILE *Err) {
  std::string Socket = KernelLink::defaultSocketPath();
  std::vector<std::string> Words;
  for (size_t I = 0; I < Args.size(); ++I) {
    if (Args[I] == "--socket" && I + 1 < Args.size())
      Socket = Args[++I];
    else if (Args[I] == "-h" || Args[I] == "--help") {
      std::fputs(Usage, Out);
      return 0;
    } else
      Words.push_back(Args[I]);
  }
  bool Listing = Words.empty() || (Words.size() == 1 && Words[0] == "list");
  bool Upgrading = !Words.empty() && Words[0] == "--upgrade";
  if (!Listing && !(Upgrading && Words.size() == 4) &&
      !(!Upgrading && Words.size() == 2)) {
    std::fputs(Usage, Err);
    return 2;
  }
  Result<std::unique_ptr<KernelLink>> Link =
      KernelLink::connect("k42-swap", Socket);
  if (!Link) {
    std::fprintf(Err, "k42 swap: no K42 system at %s: %s\n", Socket.c_str(),
                 text(Link.status()).c_str());
    return 1;
  }
  Result<std::vector<std::unique_ptr<Server>>> Servers = servers(**Link);
  if (!Servers) {
    std::fprintf(Err, "k42 swap: cannot list the system's processes: %s\n",
                 text(Servers.status()).c_str());
    return 1;
  }
  if (Upgrading)
    return upgrade(*Servers, Words[1], Words[2], Words[3], Out, Err);
  std::vector<Object> Objects;
  for (auto &S : *Servers)
    if (Status Listed = objectsOf(*S, Objects); !Listed)
      std::fprintf(Err, "k42 swap: %s (%u) did not list its objects: %s\n",
                   S->Name.c_str(), S->Pid, text(Listed).c_str());
  if (Listing)
    return list(Objects, Out);
  return swapOne(Objects, Words[0], Words[1], Out, Err);
}

} // namespace k42::swaptool
