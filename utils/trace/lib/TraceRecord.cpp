//===- utils/trace/lib/TraceRecord.cpp - One event, read out --------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "TraceRecord.h"

#include <cstdio>

namespace k42::tracetool {

using trace::Major;

std::string eventName(const TraceRecord &R) {
  uint16_t Minor = R.Fields.MinorId;
  switch (Major(R.Fields.MajorId)) {
  case Major::Kernel:
    switch (trace::KernelMinor(Minor)) {
    case trace::KernelMinor::Boot:
      return "kernel.boot";
    case trace::KernelMinor::Up:
      return "kernel.up";
    case trace::KernelMinor::Down:
      return "kernel.down";
    case trace::KernelMinor::Joined:
      return "kernel.joined";
    case trace::KernelMinor::Left:
      return "kernel.left";
    case trace::KernelMinor::Channel:
      return "kernel.channel";
    }
    return "kernel." + std::to_string(Minor);
  case Major::Link:
    switch (trace::LinkMinor(Minor)) {
    case trace::LinkMinor::Hello:
      return "link.hello";
    case trace::LinkMinor::Connect:
      return "link.connect";
    case trace::LinkMinor::Connected:
      return "link.connected";
    case trace::LinkMinor::NewClient:
      return "link.new-client";
    case trace::LinkMinor::ClientGone:
      return "link.client-gone";
    }
    return "link." + std::to_string(Minor);
  case Major::Ppc:
    if (Minor == uint16_t(trace::PpcMinor::Call))
      return "ppc.call";
    if (Minor == uint16_t(trace::PpcMinor::Return))
      return "ppc.return";
    return "ppc." + std::to_string(Minor);
  case Major::Mark:
    return "mark." + std::to_string(Minor);
  case Major::User:
    return "user." + std::to_string(Minor);
  case Major::Filler:
    break;
  }
  return "major" + std::to_string(R.Fields.MajorId) + "." +
         std::to_string(Minor);
}

std::string payloadText(const TraceRecord &R) {
  bool Printable = true;
  for (unsigned char C : R.Payload)
    if (C < 0x20 || C > 0x7e)
      Printable = false;
  if (Printable)
    return R.Payload;
  std::string Hex;
  char Byte[4];
  for (unsigned char C : R.Payload) {
    std::snprintf(Byte, sizeof(Byte), "%02x", C);
    Hex += Byte;
  }
  return "0x" + Hex;
}

bool isPpcCall(const TraceRecord &R) {
  return R.Fields.MajorId == uint16_t(Major::Ppc) &&
         R.Fields.MinorId == uint16_t(trace::PpcMinor::Call);
}

bool isPpcReturn(const TraceRecord &R) {
  return R.Fields.MajorId == uint16_t(Major::Ppc) &&
         R.Fields.MinorId == uint16_t(trace::PpcMinor::Return);
}

} // namespace k42::tracetool
