//===- utils/trace/lib/TraceCommand.cpp - k42-trace commands --------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "TraceCommand.h"

#include "CallSpans.h"
#include "JsonWriter.h"
#include "MethodSummary.h"
#include "TextWriter.h"
#include "TraceSnapshot.h"

#include "k42/kernel/KernelLink.h"
#include "k42/trace/Trace.h"
#include "k42/trace/TraceRegion.h"

#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <iostream>
#include <string>
#include <sys/file.h>
#include <unistd.h>

namespace k42::tracetool {
namespace {

int usage() {
  std::fprintf(stderr,
               "usage: k42-trace [--socket PATH | --region FILE] "
               "start|stop|status\n"
               "       k42-trace [...] dump [--json FILE] [--no-summary]\n"
               "       k42-trace [...] mark TEXT [--count N]\n");
  return 2;
}

Result<trace::TraceRegion> openRegion(const std::string &Path) {
  Result<trace::TraceRegion> Region = trace::TraceRegion::open(Path);
  if (!Region)
    std::fprintf(stderr, "k42-trace: no trace region at %s: %s\n", Path.c_str(),
                 std::string(Region.status().message()).c_str());
  return Region;
}

int dump(const std::string &Path, const std::string &JsonPath, bool Summary) {
  Result<trace::TraceRegion> Region = openRegion(Path);
  if (!Region)
    return 1;
  // One reader at a time: two dumps would consume each other's events.
  int LockFd = ::open(Path.c_str(), O_RDONLY | O_CLOEXEC);
  if (LockFd < 0 || flock(LockFd, LOCK_EX) != 0) {
    std::perror("k42-trace: lock");
    return 1;
  }
  TraceSnapshot Snapshot = TraceSnapshot::take(*Region);
  close(LockFd);
  std::vector<CallSpan> Spans = matchCalls(Snapshot.events());
  writeText(std::cout, Snapshot);
  if (Summary)
    writeSummary(std::cout, summarize(Spans));
  if (!JsonPath.empty()) {
    std::ofstream Json(JsonPath);
    writeChromeJson(Json, Snapshot, Spans);
    if (!Json.flush()) {
      std::fprintf(stderr, "k42-trace: cannot write %s\n", JsonPath.c_str());
      return 1;
    }
    std::cout << "# json: " << JsonPath << "\n";
  }
  return 0;
}

} // namespace

int runTraceCommand(int Argc, char **Argv) {
  std::string Region;
  std::string Command;
  std::string JsonPath;
  std::string Text;
  bool Summary = true;
  unsigned long Count = 1;
  for (int I = 1; I < Argc; ++I) {
    std::string Arg = Argv[I];
    if (Arg == "--socket" && I + 1 < Argc)
      Region = trace::regionPathFor(Argv[++I]);
    else if (Arg == "--region" && I + 1 < Argc)
      Region = Argv[++I];
    else if (Arg == "--json" && I + 1 < Argc)
      JsonPath = Argv[++I];
    else if (Arg == "--no-summary")
      Summary = false;
    else if (Arg == "--count" && I + 1 < Argc)
      Count = std::strtoul(Argv[++I], nullptr, 0);
    else if (Command.empty() && Arg.size() && Arg[0] != '-')
      Command = Arg;
    else if (Command == "mark" && Text.empty())
      Text = Arg;
    else
      return usage();
  }
  if (Region.empty())
    Region = trace::regionPathFor(kernel::KernelLink::defaultSocketPath());

  if (Command == "start" || Command == "stop") {
    Result<trace::TraceRegion> R = openRegion(Region);
    if (!R)
      return 1;
    R->header().Enabled.store(Command == "start", std::memory_order_relaxed);
    std::printf("k42-trace: tracing %s (%s)\n",
                Command == "start" ? "on" : "off", Region.c_str());
    return 0;
  }
  if (Command == "status") {
    Result<trace::TraceRegion> R = openRegion(Region);
    if (!R)
      return 1;
    const trace::RegionHeader &H = R->header();
    uint64_t Used = 0;
    for (uint32_t I = 0; I < H.Rings; ++I)
      Used += R->ring(I).used();
    std::printf("k42-trace: tracing %s, %u ring(s) of %llu bytes, %llu bytes "
                "waiting for a dump (%s)\n",
                H.Enabled.load() ? "on" : "off", H.Rings,
                static_cast<unsigned long long>(H.RingBytes),
                static_cast<unsigned long long>(Used), Region.c_str());
    return 0;
  }
  if (Command == "dump")
    return dump(Region, JsonPath, Summary);
  if (Command == "mark") {
    if (Status S = trace::attach(Region); !S) {
      std::fprintf(stderr, "k42-trace: no trace region at %s: %s\n",
                   Region.c_str(), std::string(S.message()).c_str());
      return 1;
    }
    for (unsigned long I = 0; I < Count; ++I)
      trace::event(trace::Major::Mark, 1,
                   Count == 1 ? Text : Text + " " + std::to_string(I));
    return 0;
  }
  return usage();
}

} // namespace k42::tracetool
