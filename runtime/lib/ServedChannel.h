//===- runtime/lib/ServedChannel.h - One channel a pool serves --*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// What a ServerPool's workers need of one channel: the mapped channel, the
/// client's badge, the handle table, and the checks and dispatch of one
/// request. A ChannelServer owns one and shares it with the pool; the
/// pool's sleeping workers may keep it (and so the mapping their futex
/// waits name) a moment after the ChannelServer is gone, but never call
/// into the handle table after stop() returned.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_LIB_SERVEDCHANNEL_H
#define K42_RUNTIME_LIB_SERVEDCHANNEL_H

#include "k42/ipc/Badge.h"
#include "k42/ipc/Channel.h"
#include "k42/ipc/ChannelServer.h"
#include "k42/ipc/HandleTable.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <sched.h>

namespace k42 {

class ServerPool;

/// One channel served by a ServerPool.
class ServedChannel {
public:
  ServedChannel(std::shared_ptr<Channel> Chan, Badge Client, HandleTable &Table,
                ChannelServerOptions Options);

  ChannelHeader &header() const { return Chan->header(); }

  /// Serves every request waiting in the slots in use, telling \p Pool
  /// before each (ServerPool::claimed) and after it (ServerPool::done).
  /// Nothing once stopping() began. Whether it served one.
  bool serveWaiting(ServerPool &Pool);

  /// How many requests wait in the slots in use, counting up to \p Max.
  unsigned waiting(unsigned Max) const;

  /// Refuses calls from now on and waits for those being served.
  void stop();

  /// At most how many pause instructions a worker that just served this
  /// channel waits awake for a next request before it sleeps.
  int spinsAfterCall() const;

  /// Whether the client's calls come apart (ChannelHeader::CallsApart):
  /// then the pool spins less while that does not pay.
  bool callsApart() const {
    return header().CallsApart.load(std::memory_order_relaxed) != 0;
  }

  const std::shared_ptr<Channel> &channel() const { return Chan; }

private:
  void serve(ChannelSlot &Slot);
  /// The processor to serve a call from \p Slot for, moving there first
  /// if the options say so.
  uint32_t processorFor(const ChannelSlot &Slot);
  /// The processors this process may run on, as it started serving.
  static const cpu_set_t &processAffinity();

  std::shared_ptr<Channel> Chan;
  Badge Client;
  HandleTable &Table;
  ChannelServerOptions Options;
  /// The processors this process may run on: a caller's processor
  /// outside them is not believed.
  const cpu_set_t Allowed;
  std::atomic<bool> Stopping{false};
  /// Workers inside serveWaiting(); also the futex stop() waits on.
  std::atomic<uint32_t> Inside{0};
};

} // namespace k42

#endif // K42_RUNTIME_LIB_SERVEDCHANNEL_H
