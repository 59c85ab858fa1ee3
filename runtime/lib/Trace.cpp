//===- runtime/lib/Trace.cpp - Trace events -------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/trace/Trace.h"

#include "k42/ipc/Processor.h"
#include "k42/kernel/KernelLink.h"
#include "k42/trace/TraceRegion.h"

#include <ctime>
#include <mutex>
#include <pthread.h>
#include <unistd.h>

namespace k42::trace {
namespace {

/// Before the first event: non-zero, so that event reaches record() and
/// maps the region.
constinit std::atomic<uint32_t> NotYetMapped{1};
/// After a failed attempt: tracing stays off in this process.
constinit std::atomic<uint32_t> NoRegion{0};

/// The mapped region's header, or null. Mappings are never undone.
std::atomic<RegionHeader *> Mapped{nullptr};
std::atomic<uint32_t> K42Pid{0};
std::atomic<uint32_t> HostPid{0};
std::mutex AttachLock;

thread_local uint32_t ThreadId = 0;

uint32_t hostPid() {
  uint32_t Pid = HostPid.load(std::memory_order_relaxed);
  if (Pid == 0) {
    Pid = uint32_t(getpid());
    HostPid.store(Pid, std::memory_order_relaxed);
    static std::once_flag AtFork;
    std::call_once(AtFork, [] {
      pthread_atfork(nullptr, nullptr, [] {
        HostPid.store(0, std::memory_order_relaxed);
        K42Pid.store(0, std::memory_order_relaxed);
        ThreadId = 0;
      });
    });
  }
  return Pid;
}

Status attachLocked(const std::string &Path) {
  Result<TraceRegion> Region = TraceRegion::open(Path);
  if (!Region) {
    if (!Mapped.load(std::memory_order_relaxed))
      detail::EnabledWord.store(&NoRegion, std::memory_order_relaxed);
    return Region.status();
  }
  RegionHeader *Header = &Region->header();
  Region->release();
  Mapped.store(Header, std::memory_order_release);
  detail::EnabledWord.store(&Header->Enabled, std::memory_order_release);
  return Status::ok();
}

} // namespace

namespace detail {
constinit std::atomic<const std::atomic<uint32_t> *> EnabledWord{&NotYetMapped};

void record(Major M, uint16_t Minor, std::span<const uint8_t> Payload) {
  RegionHeader *Header = Mapped.load(std::memory_order_acquire);
  if (!Header) {
    {
      std::lock_guard<std::mutex> Guard(AttachLock);
      if (EnabledWord.load(std::memory_order_relaxed) == &NotYetMapped)
        (void)attachLocked(
            regionPathFor(kernel::KernelLink::defaultSocketPath()));
    }
    Header = Mapped.load(std::memory_order_acquire);
    if (!Header)
      return;
  }
  if (!Header->Enabled.load(std::memory_order_relaxed))
    return;
  timespec Now;
  clock_gettime(CLOCK_MONOTONIC, &Now);
  EventFields Fields;
  Fields.Timestamp = uint64_t(Now.tv_sec) * 1000000000u + uint64_t(Now.tv_nsec);
  Fields.MajorId = uint16_t(M);
  Fields.MinorId = Minor;
  uint32_t Processor = currentProcessor();
  Fields.Processor = uint16_t(Processor);
  Fields.K42Pid = K42Pid.load(std::memory_order_relaxed);
  Fields.HostPid = hostPid();
  if (ThreadId == 0)
    ThreadId = uint32_t(gettid());
  Fields.Tid = ThreadId;
  // The region stays mapped for the process's life; rebuild the ring view.
  auto *Base = reinterpret_cast<uint8_t *>(Header);
  uint8_t *Ring = Base + RegionHeaderBytes +
                  uint64_t(Processor % Header->Rings) * Header->RingStride;
  TraceRing(*reinterpret_cast<RingHeader *>(Ring),
            Ring + (Header->RingStride - Header->RingBytes), Header->RingBytes)
      .write(Fields, Payload);
}
} // namespace detail

Status attach(const std::string &Path) {
  std::lock_guard<std::mutex> Guard(AttachLock);
  return attachLocked(Path);
}

void setK42Pid(uint32_t Pid) { K42Pid.store(Pid, std::memory_order_relaxed); }

} // namespace k42::trace
