//===- utils/trace/lib/JsonWriter.cpp - The dump as a timeline ------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "JsonWriter.h"

#include <cstdio>
#include <map>

namespace k42::tracetool {
namespace {

std::string quoted(const std::string &Text) {
  std::string Out = "\"";
  for (unsigned char C : Text) {
    if (C == '"' || C == '\\') {
      Out += '\\';
      Out += char(C);
    } else if (C < 0x20 || C > 0x7e) {
      char Escape[8];
      std::snprintf(Escape, sizeof(Escape), "\\u%04x", C);
      Out += Escape;
    } else {
      Out += char(C);
    }
  }
  return Out + "\"";
}

std::string micros(uint64_t Ns, uint64_t Origin) {
  char Text[32];
  std::snprintf(Text, sizeof(Text), "%.3f", double(Ns - Origin) / 1000.0);
  return Text;
}

} // namespace

void writeChromeJson(std::ostream &OS, const TraceSnapshot &Snapshot,
                     const std::vector<CallSpan> &Spans) {
  const std::vector<TraceRecord> &Events = Snapshot.events();
  uint64_t Origin = Events.empty() ? 0 : Events.front().Fields.Timestamp;
  std::vector<bool> InSpan(Events.size(), false);
  for (const CallSpan &S : Spans)
    InSpan[S.CallIndex] = InSpan[S.ReturnIndex] = true;

  OS << "{\"displayTimeUnit\":\"ns\",\"otherData\":{\"lost_events\":"
     << Snapshot.totalLost() << "},\"traceEvents\":[\n";
  bool First = true;
  auto Begin = [&] {
    OS << (First ? "" : ",\n");
    First = false;
  };
  // Name each process's track after its K42 pid.
  std::map<uint32_t, uint32_t> K42PidOf;
  for (const TraceRecord &R : Events)
    if (R.Fields.K42Pid || !K42PidOf.count(R.Fields.HostPid))
      K42PidOf[R.Fields.HostPid] = R.Fields.K42Pid;
  for (auto [Host, K42] : K42PidOf) {
    Begin();
    std::string Name = K42 ? "K42 pid " + std::to_string(K42) + " (host " +
                                 std::to_string(Host) + ")"
                           : "host pid " + std::to_string(Host);
    OS << "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":" << Host
       << ",\"args\":{\"name\":" << quoted(Name) << "}}";
  }
  for (const CallSpan &S : Spans) {
    const TraceRecord &R = Events[S.CallIndex];
    Begin();
    OS << "{\"name\":" << quoted(S.Method) << ",\"cat\":\"ppc\",\"ph\":\"X\""
       << ",\"ts\":" << micros(S.Begin, Origin)
       << ",\"dur\":" << micros(S.End, S.Begin)
       << ",\"pid\":" << R.Fields.HostPid << ",\"tid\":" << R.Fields.Tid
       << ",\"args\":{\"k42pid\":" << R.Fields.K42Pid
       << ",\"cpu\":" << R.Fields.Processor << "}}";
  }
  for (size_t I = 0; I < Events.size(); ++I) {
    if (InSpan[I])
      continue;
    const TraceRecord &R = Events[I];
    std::string Name = eventName(R);
    Begin();
    OS << "{\"name\":" << quoted(Name)
       << ",\"cat\":" << quoted(Name.substr(0, Name.find('.')))
       << ",\"ph\":\"i\",\"s\":\"t\""
       << ",\"ts\":" << micros(R.Fields.Timestamp, Origin)
       << ",\"pid\":" << R.Fields.HostPid << ",\"tid\":" << R.Fields.Tid
       << ",\"args\":{\"k42pid\":" << R.Fields.K42Pid
       << ",\"cpu\":" << R.Fields.Processor
       << ",\"payload\":" << quoted(payloadText(R)) << "}}";
  }
  OS << "\n]}\n";
}

} // namespace k42::tracetool
