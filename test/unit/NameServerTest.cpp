//===- test/unit/NameServerTest.cpp - The name table ----------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "NameServer.h"

#include <gtest/gtest.h>

namespace {

constexpr k42::Badge Hello{2, 0, 0, 0};
constexpr k42::Badge Intruder{3, 0, 0, 0};

TEST(NameServerTest, NamesBelongToTheProcessThatPublishedThem) {
  k42::name::NameServer Names;
  ASSERT_TRUE(Names.publish("/services/hello", Hello).isOk());
  EXPECT_TRUE(Names.publish("/services/hello", Hello).isOk());
  EXPECT_EQ(Names.publish("/services/hello", Intruder).errorCode(), EEXIST);
  EXPECT_EQ(Names.withdraw("/services/hello", Intruder).errorCode(), EPERM);

  uint32_t Server = 0;
  ASSERT_TRUE(Names.resolve("/services/hello", Server).isOk());
  EXPECT_EQ(Server, Hello.Pid);
  EXPECT_EQ(Names.resolve("/services/nothing", Server).errorCode(), ENOENT);

  ASSERT_TRUE(Names.withdraw("/services/hello", Hello).isOk());
  EXPECT_EQ(Names.resolve("/services/hello", Server).errorCode(), ENOENT);
}

TEST(NameServerTest, BadPathsAndDeadProcesses) {
  k42::name::NameServer Names;
  EXPECT_EQ(Names.publish("relative", Hello).errorCode(), EINVAL);
  EXPECT_EQ(Names.publish("/", Hello).errorCode(), EINVAL);
  EXPECT_EQ(Names.publish(std::string_view("/a\0b", 4), Hello).errorCode(),
            EINVAL);
  ASSERT_TRUE(Names.publish("/a", Hello).isOk());
  ASSERT_TRUE(Names.publish("/b", Hello).isOk());
  Names.forget(Hello.Pid);
  uint32_t Server;
  EXPECT_EQ(Names.resolve("/a", Server).errorCode(), ENOENT);
  EXPECT_EQ(Names.resolve("/b", Server).errorCode(), ENOENT);
}

} // namespace
