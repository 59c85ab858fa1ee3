//===- runtime/include/k42/trace/TraceRegion.h - The trace file -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The shared trace region of one K42 system: a file next to the kernel's
/// socket (`<socket>.trace`) that the kernel makes at boot, before any
/// server starts, and that every process maps. A file, not a memfd handed
/// out over the socket, so that the dump tool and processes that never
/// talk to the kernel find it by name.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_TRACE_TRACEREGION_H
#define K42_RUNTIME_TRACE_TRACEREGION_H

#include "k42/ipc/Result.h"
#include "k42/trace/TraceLayout.h"
#include "k42/trace/TraceRing.h"

#include <cstdint>
#include <string>

namespace k42::trace {

/// Where the system whose kernel listens at \p SocketPath keeps its trace.
std::string regionPathFor(const std::string &SocketPath);

/// A mapping of a trace region.
class TraceRegion {
public:
  /// Default geometry: 2 rings (processors) of 1 MiB each.
  static constexpr uint32_t DefaultRings = 2;
  static constexpr uint64_t DefaultRingBytes = 1u << 20;

  /// Makes a new, disabled region at \p Path (replacing any old file, whose
  /// old mappings stay valid but are no longer this system's). \p RingBytes
  /// is rounded up to a power of two of at least 4 KiB.
  static Result<TraceRegion> create(const std::string &Path, uint32_t Rings,
                                    uint64_t RingBytes);

  /// Maps the existing region at \p Path, checking its header.
  static Result<TraceRegion> open(const std::string &Path);

  TraceRegion(TraceRegion &&Other) noexcept;
  TraceRegion &operator=(TraceRegion &&Other) noexcept;
  TraceRegion(const TraceRegion &) = delete;
  TraceRegion &operator=(const TraceRegion &) = delete;
  ~TraceRegion();

  RegionHeader &header() const {
    return *reinterpret_cast<RegionHeader *>(Base);
  }
  uint32_t rings() const { return header().Rings; }
  /// Ring \p I (I < rings()).
  TraceRing ring(uint32_t I) const;

  /// Keeps the mapping alive after this object is gone (writers in a
  /// process hold on to it for the process's life, so a racing event never
  /// touches unmapped memory).
  void release() { Base = nullptr; }

private:
  TraceRegion(uint8_t *Base, uint64_t Size) : Base(Base), Size(Size) {}
  uint8_t *Base = nullptr;
  uint64_t Size = 0;
};

} // namespace k42::trace

#endif // K42_RUNTIME_TRACE_TRACEREGION_H
