//===- k42/personality/PipeRing.h - A pipe's shared buffer -----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The memory of one K42 pipe: a ring of bytes and its state in a memfd
/// that every process holding an end maps MAP_SHARED, so data moves from
/// the writer's buffer to the reader's with one copy each way and no
/// server on the path (the pipe server only made it and watches its ends).
/// Readers and writers sleep on Seq, a futex in the shared page bumped on
/// every change; the pipe server sets WritersGone and ReadersGone when the
/// host has closed the last descriptor of an end (exit and SIGKILL
/// included) and wakes the sleepers. The byte arithmetic is here, free of
/// system calls, so the unit test drives it directly.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_PIPERING_H
#define K42_PERSONALITY_PIPERING_H

#include "k42/personality/GateLock.h"

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace k42::personality {

/// One pipe's shared state and bytes (the memfd's contents).
class PipeRing {
public:
  /// Tells a pipe's memory from any other memfd.
  static constexpr uint64_t MagicValue = 0x4b3432'50495045ull;
  /// Linux's default capacity, and the largest F_SETPIPE_SZ takes
  /// (/proc/sys/fs/pipe-max-size's default).
  static constexpr uint32_t DefaultCapacity = 65536;
  static constexpr uint32_t MaxCapacity = 1u << 20;
  /// Writes up to PIPE_BUF bytes are never interleaved with others.
  static constexpr uint32_t AtomicMax = 4096;
  /// Where the bytes start, and the memfd's size (pages are allocated on
  /// first touch, so an unused capacity costs nothing).
  static constexpr size_t DataOffset = 4096;
  static constexpr size_t Bytes = DataOffset + MaxCapacity;

  /// Copies between the ring and a caller's buffer: 0 or a negated errno
  /// (UserMemory::copyIn/copyOut in the personality, memcpy in tests).
  using CopyFn = long (*)(void *To, const void *From, size_t Length);

  uint64_t Magic;
  /// Serialises Head, Tail and the bytes between processes.
  GateLock Lock;
  /// The futex sleepers wait on: bumped after every change.
  std::atomic<uint32_t> Seq;
  /// Threads asleep on Seq (a change wakes only when there are some).
  std::atomic<uint32_t> Sleepers;
  /// Records a writer without the personality sent that the pipe server
  /// has taken from an end's placeholder but not yet put here
  /// (HostWriterPump): a writer that must come after them waits for 0.
  std::atomic<uint32_t> PumpPending;
  /// Set by the pipe server once every descriptor of an end is closed.
  std::atomic<uint32_t> WritersGone;
  std::atomic<uint32_t> ReadersGone;
  /// Bytes the ring holds at most (a power of two, <= MaxCapacity).
  uint32_t Capacity;
  /// Each end's open file description status flags (O_NONBLOCK), shared
  /// like a description's.
  std::atomic<uint32_t> ReadFlags;
  std::atomic<uint32_t> WriteFlags;
  /// Where a program after exec finds the memfd again
  /// (/proc/ServerPid/fd/ServerFd); set by the pipe server.
  std::atomic<int32_t> ServerPid;
  std::atomic<int32_t> ServerFd;
  /// The pipe server's number for the pipe.
  std::atomic<uint64_t> Id;
  /// Open descriptions of each side (a read-write one counts on both),
  /// kept by the pipe server: WritersGone is Writers == 0. A named pipe's
  /// opens wait on them (PipeClient::join).
  std::atomic<uint32_t> Readers;
  std::atomic<uint32_t> Writers;
  /// Opens of each side ever made: a FIFO's blocking open waits until the
  /// other side's count moves (an opener that came and went counts).
  std::atomic<uint32_t> ReaderOpens;
  std::atomic<uint32_t> WriterOpens;
  /// Status flags of the descriptions opened after the first two (by
  /// /proc/self/fd/N, or a FIFO's name), each in the slot the pipe server
  /// gave it until its last descriptor closes.
  static constexpr int Slots = 64;
  std::atomic<uint32_t> SlotFlags[Slots];
  /// Bytes ever read and written: Tail - Head are in the ring.
  uint64_t Head;
  uint64_t Tail;

  char *data() { return reinterpret_cast<char *>(this) + DataOffset; }

  /// Sets up zeroed memory as an empty pipe.
  void init() {
    Capacity = DefaultCapacity;
    Head = Tail = 0;
    Magic = MagicValue;
  }
  uint64_t used() const { return Tail - Head; }
  uint64_t space() const { return Capacity - used(); }
  /// How many bytes of a write of \p Length, \p Done of them in already,
  /// go in now (lock held): one of at most PIPE_BUF bytes all at once or
  /// none, a larger one as much as there is room for.
  size_t fits(size_t Length, size_t Done) const {
    uint64_t Space = space();
    if (Length <= AtomicMax)
      return Space >= Length ? Length : 0;
    size_t Rest = Length - Done;
    return Rest < Space ? Rest : size_t(Space);
  }

  /// Appends \p Length bytes (at most space()) from \p From. Lock held.
  long put(const char *From, size_t Length, CopyFn Copy) {
    size_t At = size_t(Tail & (Capacity - 1));
    size_t First = Length < Capacity - At ? Length : Capacity - At;
    if (long E = Copy(data() + At, From, First); E < 0)
      return E;
    if (First < Length)
      if (long E = Copy(data(), From + First, Length - First); E < 0)
        return E;
    Tail += Length;
    return 0;
  }
  /// Takes \p Length bytes (at most used()) into \p To. Lock held.
  long get(char *To, size_t Length, CopyFn Copy) {
    size_t At = size_t(Head & (Capacity - 1));
    size_t First = Length < Capacity - At ? Length : Capacity - At;
    if (long E = Copy(To, data() + At, First); E < 0)
      return E;
    if (First < Length)
      if (long E = Copy(To + First, data(), Length - First); E < 0)
        return E;
    Head += Length;
    return 0;
  }
  /// F_SETPIPE_SZ: \p Want rounded up to a power of two of at least a page;
  /// the new capacity, -EINVAL past MaxCapacity, -EBUSY if the bytes held
  /// would not fit. The held bytes move to the ring's start. Lock held.
  long resize(uint64_t Want) {
    if (Want > MaxCapacity)
      return -EINVALValue;
    uint32_t New = 4096;
    while (New < Want)
      New <<= 1;
    if (used() > New)
      return -EBUSYValue;
    // Rotate the held bytes to offset 0 (three reversals, in place).
    char *D = data();
    size_t Start = size_t(Head & (Capacity - 1));
    reverse(D, D + Start);
    reverse(D + Start, D + Capacity);
    reverse(D, D + Capacity);
    Tail = used();
    Head = 0;
    Capacity = New;
    return New;
  }

  /// The errnos resize() answers (no <cerrno> in this header's users' way).
  static constexpr long EINVALValue = 22;
  static constexpr long EBUSYValue = 16;

private:
  static void reverse(char *B, char *E) {
    while (B < E && B < --E) {
      char T = *B;
      *B++ = *E;
      *E = T;
    }
  }
};

static_assert(sizeof(PipeRing) <= PipeRing::DataOffset,
              "the ring's state fits before its bytes");

} // namespace k42::personality

#endif // K42_PERSONALITY_PIPERING_H
