//===- test/unit/MountsViewTest.cpp - The mount table a program reads -----===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// MountsView::compose: a host's mountinfo and K42's table made into the
/// namespace's (K42's root first, a host directory's mount as a bind of
/// its file system, read-only; the host's mounts a K42 path reaches, at
/// the path it reaches them by; the host's hidden under K42's names),
/// parents before children, names escaped, and the mounts format's
/// options; which paths name a table.
///
//===----------------------------------------------------------------------===//

#include "k42/personality/MountsView.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <string>
#include <vector>

using k42::personality::MountsView;

namespace {

const char HostInfo[] =
    "22 27 0:21 / /proc rw,relatime - proc proc rw\n"
    "27 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw,discard\n"
    "24 27 0:6 / /dev rw,relatime - devtmpfs devtmpfs rw,mode=755\n"
    "26 24 0:24 / /dev/pts rw,relatime - devpts devpts rw,mode=600\n"
    "29 27 0:40 / /usr/local rw - tmpfs tmpfs rw\n"
    "30 27 0:41 / /tmp rw - tmpfs tmpfs rw\n"
    "31 27 0:42 / /srv/with\\040space ro - tmpfs none ro\n"
    "not a mountinfo line\n";

const MountsView::K42Mount Mounts[] = {
    {"/usr", "/fs/usr", true, "/usr", 0, 0, nullptr},
    {"/", "/fs/root", false, nullptr, 75, 66, "ramfs"},
    {"/scratch", "/fs/scratch", false, nullptr, 75, 67, "ramfs"},
};

/// Host folders K42's root lacks ("tmp" and "usr" are K42's).
const char *const Tops[] = {"proc", "dev", "srv", "my dir"};

std::string compose(MountsView::Format Which, size_t Capacity = 1 << 16) {
  MountsView::Inputs In{HostInfo, sizeof(HostInfo) - 1, Mounts, 3, Tops, 4};
  std::string Out(Capacity, '\0');
  long N = MountsView::compose(In, Which, Out.data(), Out.size());
  if (N < 0)
    return "error " + std::to_string(-N);
  Out.resize(size_t(N));
  return Out;
}

TEST(MountsViewTest, MountInfoIsK42sNamespace) {
  EXPECT_EQ(compose(MountsView::Format::MountInfo),
            // K42's root, its own parent; its mounts under it.
            "42000000 42000000 75:66 / / rw - ramfs k42:/fs/root rw\n"
            // A host directory's mount: a read-only bind of its file
            // system (the host's optional fields are not the bind's).
            "42000001 42000000 254:0 /usr /usr ro,relatime - ext4 /dev/vda "
            "rw,discard\n"
            "42000002 42000000 75:67 / /scratch rw - ramfs k42:/fs/scratch "
            "rw\n"
            // Host folders at the host's root with no mount of their own:
            // binds of the root's file system, their names escaped.
            "42000003 42000000 254:0 /srv /srv rw,relatime - ext4 /dev/vda "
            "rw,discard\n"
            "42000004 42000000 254:0 /my\\040dir /my\\040dir rw,relatime - "
            "ext4 /dev/vda rw,discard\n"
            // The host's own mounts under the names K42's root lacks.
            "22 42000000 0:21 / /proc rw,relatime - proc proc rw\n"
            "24 42000000 0:6 / /dev rw,relatime - devtmpfs devtmpfs "
            "rw,mode=755\n"
            "26 24 0:24 / /dev/pts rw,relatime - devpts devpts rw,mode=600\n"
            // Below /usr's host directory: where K42's /usr shows it.
            "29 42000001 0:40 / /usr/local rw - tmpfs tmpfs rw\n"
            // Below a host folder: its bind is its parent.
            "31 42000003 0:42 / /srv/with\\040space ro - tmpfs none ro\n");
}

TEST(MountsViewTest, MountsFormatJoinsTheOptions) {
  std::string Text = compose(MountsView::Format::Mounts);
  EXPECT_EQ(Text.substr(0, Text.find('\n') + 1),
            "k42:/fs/root / ramfs rw 0 0\n");
  // The mount's options, then the super block's past its "rw".
  EXPECT_NE(Text.find("/dev/vda /usr ext4 ro,relatime,discard 0 0\n"),
            std::string::npos);
  EXPECT_NE(Text.find("devtmpfs /dev devtmpfs rw,relatime,mode=755 0 0\n"),
            std::string::npos);
  EXPECT_NE(Text.find("none /srv/with\\040space tmpfs ro 0 0\n"),
            std::string::npos);
  // The host's root, and its /tmp under K42's name, are not K42's.
  EXPECT_EQ(Text.find("/dev/vda / "), std::string::npos);
  EXPECT_EQ(Text.find(" /tmp "), std::string::npos);
}

TEST(MountsViewTest, TooSmallABufferIsENOMEM) {
  EXPECT_EQ(compose(MountsView::Format::MountInfo, 100),
            "error " + std::to_string(ENOMEM));
}

TEST(MountsViewTest, NoHostTableLeavesK42sOwn) {
  const MountsView::K42Mount Root[] = {
      {"/", "/fs/root", false, nullptr, 75, 66, "ramfs"}};
  MountsView::Inputs In{"", 0, Root, 1, nullptr, 0};
  char Out[256];
  long N =
      MountsView::compose(In, MountsView::Format::Mounts, Out, sizeof(Out));
  EXPECT_EQ(std::string(Out, N > 0 ? size_t(N) : 0),
            "k42:/fs/root / ramfs rw 0 0\n");
}

TEST(MountsViewTest, WhichPathsNameATable) {
  MountsView::Format Which;
  EXPECT_TRUE(MountsView::names("/proc/mounts", 42, Which));
  EXPECT_EQ(Which, MountsView::Format::Mounts);
  EXPECT_TRUE(MountsView::names("/proc/self/mountinfo", 42, Which));
  EXPECT_EQ(Which, MountsView::Format::MountInfo);
  EXPECT_TRUE(MountsView::names("/proc/42/mounts", 42, Which));
  EXPECT_EQ(Which, MountsView::Format::Mounts);
  EXPECT_TRUE(MountsView::names("/proc/thread-self/mountinfo", 42, Which));
  // Another process's, and other files, are the host's.
  EXPECT_FALSE(MountsView::names("/proc/43/mounts", 42, Which));
  EXPECT_FALSE(MountsView::names("/proc/self/mountstats", 42, Which));
  EXPECT_FALSE(MountsView::names("/proc/self/mounts/x", 42, Which));
  EXPECT_FALSE(MountsView::names("/etc/mtab", 42, Which));
}

} // namespace
