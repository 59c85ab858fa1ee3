//===- servers/ramfs/OpenKeys.cpp - Open files named by a key -------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "OpenKeys.h"
#include "RamShadow.h"

#include <fcntl.h>
#include <sys/random.h>
#include <unistd.h>

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
  // A watched file's open opens its stand-in too, with the same access:
  // the host reports the open now and the close with the key's last hold.
  int Shadow = RamShadow::open(*Node, Access);
  std::lock_guard<std::mutex> Guard(Lock);
  for (;;) {
    uint64_t Key = randomKey();
    auto [It, Made] = Keys.try_emplace(Key);
    if (!Made)
      continue;
    It->second = Entry{std::move(Node), Access, 1, Shadow};
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
  Entry Gone;
  {
    std::lock_guard<std::mutex> Guard(Lock);
    auto It = Keys.find(Key);
    if (It == Keys.end() || --It->second.Holds != 0)
      return;
    Gone = std::move(It->second);
    Keys.erase(It);
  }
  // The stand-in's close before the inode may go with Gone.Node: the
  // host's IN_CLOSE_* comes before its IN_DELETE_SELF, as on Linux.
  if (Gone.Shadow >= 0)
    ::close(Gone.Shadow);
}

size_t OpenKeys::size() {
  std::lock_guard<std::mutex> Guard(Lock);
  return Keys.size();
}
