//===- test/unit/MountTableTest.cpp - The mount table's watchers ----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// MountTable::watch: a watcher is told of every change of the table
/// (mount, unmount, a server's mounts forgotten) and of nothing else; a
/// watcher that can no longer be told, or whose process is gone, is
/// forgotten; watch answers the version as version() does.
///
//===----------------------------------------------------------------------===//

#include "MountTable.h"

#include <gtest/gtest.h>

#include <map>
#include <utility>
#include <vector>

using namespace k42;

namespace {

constexpr Badge Server{1, 0, 0, 0};

Badge watcher(ProcessId Pid, uint32_t Channel) {
  Badge B{};
  B.Pid = Pid;
  B.Channel = Channel;
  return B;
}

/// A table whose watchers are told by counting, per (process, channel).
struct Counted {
  name::MountTable Table;
  std::map<std::pair<ProcessId, uint32_t>, int> Told;
  /// Channels that are gone: telling them fails.
  std::map<std::pair<ProcessId, uint32_t>, bool> Closed;

  Counted() {
    Table.setNotify([this](const Badge &W) {
      if (Closed[{W.Pid, W.Channel}])
        return false;
      ++Told[{W.Pid, W.Channel}];
      return true;
    });
  }
  int told(ProcessId Pid, uint32_t Channel) { return Told[{Pid, Channel}]; }
};

TEST(MountTableTest, WatchAnswersTheVersion) {
  Counted C;
  uint64_t Before = 0, Watched = 0;
  ASSERT_TRUE(C.Table.version(Before));
  ASSERT_TRUE(C.Table.watch(Watched, watcher(7, 1)));
  EXPECT_EQ(Watched, Before);
  ASSERT_TRUE(C.Table.mount("/a", "/fs/a", 0, Server));
  ASSERT_TRUE(C.Table.watch(Watched, watcher(7, 1)));
  EXPECT_GT(Watched, Before);
}

TEST(MountTableTest, EveryChangeIsToldToEveryWatcher) {
  Counted C;
  uint64_t V;
  ASSERT_TRUE(C.Table.watch(V, watcher(7, 1)));
  ASSERT_TRUE(C.Table.watch(V, watcher(8, 3)));
  ASSERT_TRUE(C.Table.mount("/a", "/fs/a", 0, Server));
  EXPECT_EQ(C.told(7, 1), 1);
  EXPECT_EQ(C.told(8, 3), 1);
  ASSERT_TRUE(C.Table.unmount("/a", Server));
  EXPECT_EQ(C.told(7, 1), 2);
  ASSERT_TRUE(C.Table.mount("/b", "/fs/b", 0, Server));
  C.Table.forget(Server.Pid); // the server of /b is gone
  EXPECT_EQ(C.told(7, 1), 4);
  EXPECT_EQ(C.told(8, 3), 4);
}

TEST(MountTableTest, WhatChangesNothingIsNotTold) {
  Counted C;
  uint64_t V;
  ASSERT_TRUE(C.Table.watch(V, watcher(7, 1)));
  // Refused calls, reads, and a process with no mounts going away.
  EXPECT_FALSE(C.Table.mount("/a/../b", "/fs/x", 0, Server));
  EXPECT_FALSE(C.Table.unmount("/nothing", Server));
  std::vector<name::MountEntry> Entries;
  ASSERT_TRUE(C.Table.list(Entries, V));
  ASSERT_TRUE(C.Table.version(V));
  C.Table.forget(99);
  EXPECT_EQ(C.told(7, 1), 0);
}

TEST(MountTableTest, WatchersThatAreGoneAreForgotten) {
  Counted C;
  uint64_t V;
  ASSERT_TRUE(C.Table.watch(V, watcher(7, 1)));
  ASSERT_TRUE(C.Table.watch(V, watcher(8, 1)));
  ASSERT_TRUE(C.Table.watch(V, watcher(9, 1)));
  // 8's channel closed: the next change fails to reach it, and it is not
  // tried again.
  C.Closed[{8, 1}] = true;
  ASSERT_TRUE(C.Table.mount("/a", "/fs/a", 0, Server));
  C.Closed[{8, 1}] = false;
  // 9's process is gone.
  C.Table.forget(9);
  ASSERT_TRUE(C.Table.mount("/b", "/fs/b", 0, Server));
  EXPECT_EQ(C.told(7, 1), 2);
  EXPECT_EQ(C.told(8, 1), 0);
  EXPECT_EQ(C.told(9, 1), 1);
}

TEST(MountTableTest, WithoutANotifierWatchIsVersion) {
  name::MountTable Table;
  uint64_t V = 0, W = 0;
  ASSERT_TRUE(Table.version(V));
  ASSERT_TRUE(Table.watch(W, watcher(7, 1)));
  EXPECT_EQ(V, W);
  ASSERT_TRUE(Table.mount("/a", "/fs/a", 0, Server));
}

} // namespace
