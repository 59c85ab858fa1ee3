//===- test/unit/PathWalkTest.cpp - A lookup, a name at a time ------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// PathWalk, the walking HostSymlinks and ResolveWalk share: the names in
/// turn ('.' and '..', the last one, a trailing slash), the folder
/// reached, a symlink's text spliced before what was left (relative from
/// the link's folder, a trailing slash kept), the 40-link limit, an empty
/// link, and the room a path may take.
///
//===----------------------------------------------------------------------===//

#include "k42/personality/PathWalk.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <memory>
#include <string>
#include <vector>

using k42::personality::PathComponent;
using k42::personality::PathWalk;

namespace {

/// Each name as "name", "name$" when last, "name/" when a slash follows.
std::vector<std::string> names(PathWalk &W) {
  std::vector<std::string> Out;
  PathComponent C;
  while (W.next(C)) {
    std::string N(C.Name, C.Length);
    if (C.Last)
      N += "$";
    if (C.slashAfter())
      N += "/";
    Out.push_back(N);
  }
  return Out;
}

TEST(PathWalkTest, NamesInTurn) {
  auto W = std::make_unique<PathWalk>();
  ASSERT_EQ(W->start("/", "a//./b/../c/"), 0);
  EXPECT_STREQ(W->at(), "/");
  EXPECT_TRUE(W->atRoot());
  std::vector<std::string> Want = {"a/", "./", "b/", "../", "c$/"};
  EXPECT_EQ(names(*W), Want);
  ASSERT_EQ(W->start("/", "///"), 0);
  EXPECT_TRUE(names(*W).empty());
}

TEST(PathWalkTest, DotsAndTheFolderReached) {
  auto W = std::make_unique<PathWalk>();
  ASSERT_EQ(W->start("/tmp/d/", "x"), 0);
  EXPECT_STREQ(W->at(), "/tmp/d"); // its trailing slash dropped
  PathComponent C;
  ASSERT_TRUE(W->next(C));
  EXPECT_FALSE(C.isDot());
  EXPECT_FALSE(C.isDotDot());
  ASSERT_EQ(W->enter(C), 0);
  EXPECT_STREQ(W->at(), "/tmp/d/x");
  W->leave();
  W->leave();
  W->leave();
  EXPECT_STREQ(W->at(), "/");
  W->leave(); // the root's ".." is the root
  EXPECT_STREQ(W->at(), "/");
  ASSERT_EQ(W->enter(C), 0);
  EXPECT_STREQ(W->at(), "/x");
  ASSERT_EQ(W->keepSlash(), 0);
  EXPECT_STREQ(W->at(), "/x/");
}

TEST(PathWalkTest, SymlinkTextBeforeWhatIsLeft) {
  auto W = std::make_unique<PathWalk>();
  ASSERT_EQ(W->start("/w", "link/rest/more"), 0);
  PathComponent C;
  ASSERT_TRUE(W->next(C));
  ASSERT_EQ(W->enter(C), 0);
  EXPECT_STREQ(W->at(), "/w/link");
  // The caller read the link: on from its folder.
  W->leave();
  const char Text[] = "../t";
  ASSERT_EQ(W->follow(C, Text, sizeof(Text) - 1), 0);
  std::vector<std::string> Want = {"../", "t/", "rest/", "more$"};
  EXPECT_EQ(names(*W), Want);
  EXPECT_STREQ(W->at(), "/w");
}

TEST(PathWalkTest, TrailingSlashAfterALastLinkStays) {
  auto W = std::make_unique<PathWalk>();
  ASSERT_EQ(W->start("/", "link/"), 0);
  PathComponent C;
  ASSERT_TRUE(W->next(C));
  EXPECT_TRUE(C.Last);
  EXPECT_TRUE(C.slashAfter());
  const char Text[] = "/abs/dir";
  ASSERT_EQ(W->follow(C, Text, sizeof(Text) - 1), 0);
  std::vector<std::string> Want = {"abs/", "dir$/"};
  EXPECT_EQ(names(*W), Want);
}

TEST(PathWalkTest, LinkLimitAndEmptyLinks) {
  auto W = std::make_unique<PathWalk>();
  ASSERT_EQ(W->start("/", "loop"), 0);
  PathComponent C;
  for (int I = 0; I < 40; ++I) {
    ASSERT_TRUE(W->next(C));
    ASSERT_EQ(W->follow(C, "loop", 4), 0) << I;
  }
  ASSERT_TRUE(W->next(C));
  EXPECT_EQ(W->follow(C, "loop", 4), -ELOOP);
  ASSERT_EQ(W->start("/", "empty"), 0); // a new walk counts anew
  ASSERT_TRUE(W->next(C));
  EXPECT_EQ(W->follow(C, "", 0), -ENOENT);
}

TEST(PathWalkTest, TooLong) {
  auto W = std::make_unique<PathWalk>();
  std::string Long(PathWalk::PathBytes, 'a');
  EXPECT_EQ(W->start(("/" + Long).c_str(), "x"), -ENAMETOOLONG);
  EXPECT_EQ(W->start("/", std::string(2 * PathWalk::PathBytes, 'b').c_str()),
            -ENAMETOOLONG);
  std::string Name(PathWalk::PathBytes - 2, 'c');
  ASSERT_EQ(W->start("/", (Name + "/d").c_str()), 0);
  PathComponent C;
  ASSERT_TRUE(W->next(C));
  ASSERT_EQ(W->enter(C), 0);
  ASSERT_TRUE(W->next(C));
  EXPECT_EQ(W->enter(C), -ENAMETOOLONG);
}

} // namespace
