//===- runtime/include/k42/trace/TraceLayout.h - Trace memory ---*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The layout of the trace region every process of one K42 system maps: a
/// header page (the enabled word, the geometry), then one ring per
/// processor, each a header line and a power-of-two byte array of events.
/// Writers in any process reserve space in a ring with a compare-and-swap on
/// its head and never take a lock; the dump tool is the one reader.
///
/// An event is a 40-byte header and a payload, padded to 8 bytes. Its first
/// word, the commit word, is stored last (release): it holds a stamp made
/// from the event's position in the ring and the event's length, so a
/// reader tells a complete event (stamp matches the position it reads at)
/// from one still being written or from an older lap's bytes.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_TRACE_TRACELAYOUT_H
#define K42_RUNTIME_TRACE_TRACELAYOUT_H

#include <atomic>
#include <cstdint>

namespace k42::trace {

/// "K42TRACE" in little-endian order: the region's first word.
inline constexpr uint64_t RegionMagic = 0x4543415254323434ULL;
/// The layout version; a reader refuses any other.
inline constexpr uint32_t RegionVersion = 1;
/// The header page's size; rings start after it.
inline constexpr uint64_t RegionHeaderBytes = 4096;

/// Event classes (the "major" id); the minor id says what happened within.
enum class Major : uint16_t {
  /// Padding a writer leaves at the end of a ring when its event did not
  /// fit there; readers skip it.
  Filler = 0,
  /// The kernel process: boot, system up, shutdown.
  Kernel = 1,
  /// A process's link to the kernel: hello, connect, new client, gone.
  Link = 2,
  /// A PPC call served by a traced interface (stubc K42_TRACE): the payload
  /// is the method's name ("Interface::method").
  Ppc = 3,
  /// A free-text mark (k42-trace mark, scripts, tests).
  Mark = 4,
  /// Anything an application defines; the payload is its own.
  User = 100,
};

/// Minor ids of Major::Ppc.
enum class PpcMinor : uint16_t { Call = 1, Return = 2 };

/// Minor ids of Major::Link.
enum class LinkMinor : uint16_t {
  Hello = 1,
  Connect = 2,
  Connected = 3,
  NewClient = 4,
  ClientGone = 5
};

/// Minor ids of Major::Kernel. Joined and Left carry "<pid> <name>";
/// Channel carries "<client pid> -> <server pid> <path>".
enum class KernelMinor : uint16_t {
  Boot = 1,
  Up = 2,
  Down = 3,
  Joined = 4,
  Left = 5,
  Channel = 6
};

/// The region's first page.
struct RegionHeader {
  uint64_t Magic;
  uint32_t Version;
  /// How many rings follow (a writer uses processor % Rings).
  uint32_t Rings;
  /// Bytes of event space per ring (a power of two).
  uint64_t RingBytes;
  /// Bytes from the start of one ring's header to the next.
  uint64_t RingStride;
  /// Non-zero while tracing is on; the one word a disabled event reads.
  alignas(64) std::atomic<uint32_t> Enabled;
};

/// The control line of one ring.
struct RingHeader {
  /// Bytes ever reserved by writers (positions never wrap; offset =
  /// position % RingBytes).
  alignas(64) std::atomic<uint64_t> Head;
  /// Bytes the reader has consumed; writers may not pass Tail + RingBytes.
  alignas(64) std::atomic<uint64_t> Tail;
  /// Events refused because the ring was full.
  std::atomic<uint64_t> Lost;
};

/// Where an event's fields sit; the commit word comes first.
struct EventHeader {
  /// Stored last: (stamp << 32) | length in bytes. See commitWord().
  /// Filler may be this word alone (8 bytes).
  std::atomic<uint64_t> Commit;
  /// CLOCK_MONOTONIC in nanoseconds: the same clock in every process.
  uint64_t Timestamp;
  uint16_t MajorId;
  uint16_t MinorId;
  uint16_t Processor;
  uint16_t PayloadBytes;
  /// The K42 pid the kernel gave the process, 0 before it said hello.
  uint32_t K42Pid;
  uint32_t HostPid;
  uint32_t Tid;
  uint32_t Reserved;
};
static_assert(sizeof(EventHeader) == 40, "the event header is 40 bytes");

/// The largest payload an event carries; longer payloads are cut.
inline constexpr uint32_t MaxPayloadBytes = 1024;

/// In a commit word's length half: this is filler, skip Length bytes.
inline constexpr uint32_t FillerFlag = 0x80000000u;

/// The commit word of an event of \p Length bytes at ring position
/// \p Position: the stamp differs on every lap and is never zero, so a
/// zeroed ring or an older lap never looks complete.
inline uint64_t commitWord(uint64_t Position, uint32_t Length) {
  uint64_t Stamp = uint32_t(Position >> 3) + 1u;
  if (uint32_t(Stamp) == 0)
    Stamp = 1;
  return (Stamp << 32) | Length;
}

} // namespace k42::trace

#endif // K42_RUNTIME_TRACE_TRACELAYOUT_H
