//===- runtime/include/k42/ipc/Processor.h - Whose processor ----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The processor a thread is working for. In K42 a server runs a call on
/// its caller's processor, so per-processor state the server touches (a
/// clustered object's representative, a per-processor free list) is the
/// caller's processor's. Hosted on Linux, a server's worker may run on
/// another processor than its caller; while it serves a call, this names
/// the caller's processor anyway, so per-processor structures keep K42's
/// meaning.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_IPC_PROCESSOR_H
#define K42_RUNTIME_IPC_PROCESSOR_H

#include <cstddef>
#include <cstdint>
#include <sched.h>
#include <sys/rseq.h>

namespace k42 {

namespace detail {
/// The processor this thread serves for, or -1 when it serves nobody.
[[gnu::tls_model("initial-exec")]] inline thread_local int64_t
    ServingProcessor = -1;

/// The processor this thread runs on: the kernel keeps it in the thread's
/// rseq area, which glibc registers, so reading it is one load; without
/// rseq, sched_getcpu().
inline uint32_t hostProcessor() {
  if (__rseq_size != 0) {
    auto *Area = reinterpret_cast<const volatile struct rseq *>(
        static_cast<char *>(__builtin_thread_pointer()) + __rseq_offset);
    int32_t Cpu = int32_t(Area->cpu_id);
    if (Cpu >= 0)
      return uint32_t(Cpu);
  }
  int Cpu = sched_getcpu();
  return Cpu < 0 ? 0 : uint32_t(Cpu);
}
} // namespace detail

/// The caller's processor while this thread serves a call from another
/// process; otherwise the processor this thread runs on. On every
/// clustered-object call's path, hence inline.
inline uint32_t currentProcessor() {
  int64_t Serving = detail::ServingProcessor;
  return Serving >= 0 ? uint32_t(Serving) : detail::hostProcessor();
}

/// Makes currentProcessor() answer \p Processor on this thread while it
/// lives (transports put one around each dispatch).
class ProcessorScope {
public:
  explicit ProcessorScope(uint32_t Processor);
  ~ProcessorScope();
  ProcessorScope(const ProcessorScope &) = delete;
  ProcessorScope &operator=(const ProcessorScope &) = delete;

private:
  int64_t Saved;
};

} // namespace k42

#endif // K42_RUNTIME_IPC_PROCESSOR_H
