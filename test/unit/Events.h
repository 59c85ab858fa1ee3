//===- test/unit/Events.h - Notifications from server to client -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Two interfaces for testing server -> client notifications: Events is
/// what a client exports to its server (one-way methods only), Ticker is
/// the server's object that sends them when asked.
///
//===----------------------------------------------------------------------===//

#ifndef K42_TEST_UNIT_EVENTS_H
#define K42_TEST_UNIT_EVENTS_H

#include <k42/idl.h>

#include <cstdint>
#include <string_view>

namespace eventtest {

class K42_EXPORT K42_RIGHTS(deliver) Events {
public:
  virtual ~Events() = default;
  /// Tick number \p Seq, with a note that repeats it.
  K42_ONEWAY K42_REQUIRES(deliver) virtual void tick(uint64_t Seq,
                                                     std::string_view Note) = 0;
};

class K42_EXPORT K42_RIGHTS(watch) Ticker {
public:
  virtual ~Ticker() = default;
  /// Sends ticks 1..Count to \p Receiver, an Events object the caller
  /// exported to this server. With \p Retry a full ring is waited out;
  /// without, that tick is skipped. \p Sent counts the ticks queued.
  K42_REQUIRES(watch)
  virtual k42::Status watch(K42_CALLER const k42::Badge &Caller,
                            k42::ObjectHandle Receiver, uint32_t Count,
                            bool Retry, uint32_t &Sent) = 0;
};

} // namespace eventtest

#endif // K42_TEST_UNIT_EVENTS_H
