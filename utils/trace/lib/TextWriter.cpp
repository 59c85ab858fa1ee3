//===- utils/trace/lib/TextWriter.cpp - The dump as text ------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "TextWriter.h"

namespace k42::tracetool {

void writeText(std::ostream &OS, const TraceSnapshot &Snapshot) {
  OS << "# k42-trace: " << Snapshot.events().size() << " event(s) from "
     << Snapshot.processes() << " process(es)\n";
  OS << "# lost: " << Snapshot.totalLost()
     << " event(s) refused by full rings (";
  for (size_t I = 0; I < Snapshot.lost().size(); ++I)
    OS << (I ? ", " : "") << "ring " << I << ": " << Snapshot.lost()[I];
  OS << ")\n";
  if (Snapshot.unfinishedRings())
    OS << "# unfinished: " << Snapshot.unfinishedRings()
       << " ring(s) hold an event still being written; it stays for the "
          "next dump\n";
  for (const TraceRecord &R : Snapshot.events()) {
    OS << R.Fields.Timestamp << " cpu=" << R.Fields.Processor
       << " pid=" << R.Fields.K42Pid << " host=" << R.Fields.HostPid
       << " tid=" << R.Fields.Tid << " " << eventName(R);
    if (!R.Payload.empty())
      OS << " " << payloadText(R);
    OS << "\n";
  }
}

} // namespace k42::tracetool
