//===- runtime/include/k42/trace/Trace.h - Trace events ---------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The one trace facility of the kernel, servers and clients (K42's
/// traceEvent): always compiled in, switched on and off at run time with
/// `utils/k42 trace start|stop`. An event site costs one load of the
/// region's enabled word and a branch while tracing is off; while it is on,
/// the event (major/minor id, K42 pid, thread, processor, CLOCK_MONOTONIC
/// timestamp, a small payload) goes into the ring of the caller's processor
/// without a lock.
///
/// A process maps its system's region when it connects to the kernel
/// (KernelLink::connect), or on its first event otherwise
/// (`$K42_KERNEL_SOCKET.trace`).
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_TRACE_TRACE_H
#define K42_RUNTIME_TRACE_TRACE_H

#include "k42/ipc/Status.h"
#include "k42/trace/TraceLayout.h"

#include <atomic>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace k42::trace {

namespace detail {
/// The word event sites test: the region's enabled word once mapped; before
/// that a word that says "try to map it" (so the first event does), and
/// after a failed attempt one that stays zero. Never null.
extern std::atomic<const std::atomic<uint32_t> *> EnabledWord;

/// The out-of-line part of an event: map the region if not yet tried,
/// check the real word, write.
void record(Major M, uint16_t Minor, std::span<const uint8_t> Payload);
} // namespace detail

/// Whether an event now would be recorded (or the region is still to be
/// found). Two loads from memory every thread has cached.
inline bool enabled() {
  return detail::EnabledWord.load(std::memory_order_relaxed)
             ->load(std::memory_order_relaxed) != 0;
}

/// Records an event with a byte payload (cut at MaxPayloadBytes).
inline void event(Major M, uint16_t Minor,
                  std::span<const uint8_t> Payload = {}) {
  if (enabled()) [[unlikely]]
    detail::record(M, Minor, Payload);
}

/// Records an event whose payload is text (a method name, a mark).
inline void event(Major M, uint16_t Minor, std::string_view Text) {
  if (enabled()) [[unlikely]]
    detail::record(
        M, Minor,
        {reinterpret_cast<const uint8_t *>(Text.data()), Text.size()});
}

/// Maps the region at \p Path for this process's events from now on,
/// whether or not an earlier attempt failed.
Status attach(const std::string &Path);

/// Says which K42 pid this process's events carry (KernelLink::connect
/// calls it once the kernel has said).
void setK42Pid(uint32_t Pid);

} // namespace k42::trace

#endif // K42_RUNTIME_TRACE_TRACE_H
