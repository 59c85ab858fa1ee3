//===- servers/ramfs/OpenKeys.cpp - Open files named by a key -------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "OpenKeys.h"

#include <fcntl.h>
#include <sys/random.h>

using namespace k42::ramfs;

namespace {

/// Whether an open with \p Access may be made from one with \p Had: the
/// same or less (O_PATH asks nothing; O_RDWR has both).
bool within(uint32_t Access, uint32_t Had) {
  if (Access & O_PATH)
    return true;
  if (Had & O_PATH)
    return false;
  uint32_t Want = Access & O_ACCMODE, Have = Had & O_ACCMODE;
  return Want == Have || Have == O_RDWR;
}

/// 64 random bits, never 0 (no key).
uint64_t randomKey() {
  uint64_t Key = 0;
  while (Key == 0)
    if (::getrandom(&Key, sizeof(Key), 0) != ssize_t(sizeof(Key)))
      Key = 0;
  return Key;
}

} // namespace

uint64_t OpenKeys::add(std::shared_ptr<RamInode> Node, uint32_t Access) {
  std::lock_guard<std::mutex> Guard(Lock);
  for (;;) {
    uint64_t Key = randomKey();
    if (Keys.try_emplace(Key, Entry{std::move(Node), Access, 1}).second)
      return Key;
  }
}

std::shared_ptr<RamInode> OpenKeys::hold(uint64_t Key, uint32_t Access,
                                         bool &Denied) {
  Denied = false;
  std::lock_guard<std::mutex> Guard(Lock);
  auto It = Keys.find(Key);
  if (It == Keys.end())
    return nullptr;
  if (!within(Access, It->second.Access)) {
    Denied = true;
    return nullptr;
  }
  ++It->second.Holds;
  return It->second.Node;
}

void OpenKeys::drop(uint64_t Key) {
  std::lock_guard<std::mutex> Guard(Lock);
  auto It = Keys.find(Key);
  if (It != Keys.end() && --It->second.Holds == 0)
    Keys.erase(It);
}

size_t OpenKeys::size() {
  std::lock_guard<std::mutex> Guard(Lock);
  return Keys.size();
}
