//===- test/unit/EventsImpl.h - Both ends of the notification tests -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// TickerImpl sends ticks through whatever notifier its lookup gives for
/// the caller; Recorder receives them, checks their order as they come and
/// can hold the receiving thread back (to fill the ring on purpose).
///
//===----------------------------------------------------------------------===//

#ifndef K42_TEST_UNIT_EVENTSIMPL_H
#define K42_TEST_UNIT_EVENTSIMPL_H

#include "Events.k42.h"

#include <k42/ipc/NotifySender.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace eventtest {

class TickerImpl : public Ticker {
public:
  using Lookup = std::function<std::shared_ptr<k42::Transport>(
      const k42::Badge &Caller)>;
  explicit TickerImpl(Lookup Notifier) : Notifier(std::move(Notifier)) {}

  k42::Status watch(const k42::Badge &Caller, k42::ObjectHandle Receiver,
                    uint32_t Count, bool Retry, uint32_t &Sent) override {
    std::shared_ptr<k42::Transport> Via = Notifier(Caller);
    if (!Via)
      return k42::Status::error(ENOENT);
    k42::Result<StubEvents> Stub = StubEvents::bind(*Via, Receiver);
    if (!Stub)
      return Stub.status();
    Sent = 0;
    for (uint64_t Seq = 1; Seq <= Count; ++Seq) {
      std::string Note = "tick " + std::to_string(Seq);
      k42::Status S = Stub->tick(Seq, Note);
      while (Retry && S.errorCode() == k42::errc::RingFull) {
        std::this_thread::sleep_for(std::chrono::microseconds(50));
        S = Stub->tick(Seq, Note);
      }
      if (S)
        ++Sent;
      else if (S.errorCode() != k42::errc::RingFull)
        return S;
    }
    return k42::Status::ok();
  }

private:
  Lookup Notifier;
};

class Recorder : public Events {
public:
  void tick(uint64_t Seq, std::string_view Note) override {
    std::unique_lock<std::mutex> Guard(Lock);
    Changed.wait(Guard, [&] { return !Held; });
    // In order means each tick is later than the one before; with skips
    // allowed (a full ring), not necessarily the next one.
    if (Seq <= Last || Note != "tick " + std::to_string(Seq))
      ++OutOfOrder;
    Last = Seq;
    ++Received;
    Changed.notify_all();
  }

  /// Waits (up to ten seconds) until \p Count ticks have arrived.
  bool waitFor(uint64_t Count) {
    std::unique_lock<std::mutex> Guard(Lock);
    return Changed.wait_for(Guard, std::chrono::seconds(10),
                            [&] { return Received >= Count; });
  }

  void hold(bool On) {
    std::lock_guard<std::mutex> Guard(Lock);
    Held = On;
    Changed.notify_all();
  }

  uint64_t received() {
    std::lock_guard<std::mutex> Guard(Lock);
    return Received;
  }
  uint64_t outOfOrder() {
    std::lock_guard<std::mutex> Guard(Lock);
    return OutOfOrder;
  }
  uint64_t last() {
    std::lock_guard<std::mutex> Guard(Lock);
    return Last;
  }

private:
  std::mutex Lock;
  std::condition_variable Changed;
  bool Held = false;
  uint64_t Received = 0;
  uint64_t OutOfOrder = 0;
  uint64_t Last = 0;
};

} // namespace eventtest

#endif // K42_TEST_UNIT_EVENTSIMPL_H
