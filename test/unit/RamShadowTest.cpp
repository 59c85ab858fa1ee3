//===- test/unit/RamShadowTest.cpp - inotify through ramfs's stand-ins ----===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// A watched ramfs file's host stand-in (servers/ramfs/RamShadow.h): the
// host's inotify reports what ramfs did to the file, one stand-in per file
// however often it is watched, a directory's mirrors its entries, the
// lease goes at the watch, and the stand-ins' folder goes with the file
// system.
//
//===----------------------------------------------------------------------===//

#include "File.k42.h"
#include "RamFileSystem.h"

#include <k42/ipc/InProcTransport.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <poll.h>
#include <string>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

using namespace k42;
using namespace k42::fs;
using namespace k42::ramfs;

namespace {

const Badge Root{10, 0, 0, 1};
const Badge Other{20, 1000, 1000, 2};

/// An in-process ramfs whose stand-ins go into a folder of the test's.
struct RamShadowTest : ::testing::Test {
  void SetUp() override {
    char Template[] = "/tmp/k42-ramshadow-test-XXXXXX";
    ASSERT_NE(::mkdtemp(Template), nullptr);
    Base = Template;
    ::setenv("K42_RAMFS_WATCH_DIR", Base.c_str(), 1);
    Files = std::make_unique<OpenFileTable>(Via.handles());
    Fs = std::make_unique<RamFileSystem>(*Files);
    In = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    ASSERT_GE(In, 0);
  }
  void TearDown() override {
    ::close(In);
    Fs.reset();
    Files.reset();
    ::unsetenv("K42_RAMFS_WATCH_DIR");
    (void)::rmdir(Base.c_str());
  }

  /// Makes \p Path (mode \p Mode) as root.
  void make(std::string_view Path, uint32_t Mode = 0644) {
    ObjectHandle H;
    FileAttr Attr;
    std::vector<uint8_t> Data;
    std::string Restart;
    ASSERT_TRUE(Fs->open(Root, Path, O_WRONLY | O_CREAT, Mode, WalkSealed, H,
                         Attr, Data, Restart));
    Files->forget(Root.Pid);
  }
  /// The host path FileSystem::watch names for \p Path, or the error.
  Status watch(const Badge &Who, std::string_view Path, std::string &Host) {
    std::string Restart;
    return Fs->watch(Who, Path, WalkSealed, Host, Restart);
  }
  /// The masks queued on the test's instance now.
  std::vector<uint32_t> events() {
    std::vector<uint32_t> Masks;
    alignas(inotify_event) char Buffer[4096];
    for (;;) {
      ssize_t Got = ::read(In, Buffer, sizeof(Buffer));
      if (Got <= 0)
        return Masks;
      for (char *E = Buffer; E < Buffer + Got;) {
        auto *Ev = reinterpret_cast<inotify_event *>(E);
        Masks.push_back(Ev->mask);
        E += sizeof(*Ev) + Ev->len;
      }
    }
  }

  std::string Base;
  InProcTransport Via{Badge{}};
  std::unique_ptr<OpenFileTable> Files;
  std::unique_ptr<RamFileSystem> Fs;
  int In = -1;
};

TEST_F(RamShadowTest, TheHostReportsWhatRamfsDidToTheFile) {
  make("f");
  std::string Host;
  ASSERT_TRUE(watch(Root, "f", Host));
  ASSERT_EQ(Host.rfind(Base + "/k42-ramfs-watch-", 0), 0u) << Host;
  int Wd = ::inotify_add_watch(In, Host.c_str(), IN_ALL_EVENTS);
  ASSERT_GE(Wd, 0);
  std::string Again;
  ASSERT_TRUE(watch(Root, "f", Again));
  EXPECT_EQ(Again, Host) << "one stand-in per file";

  std::string Restart;
  ASSERT_TRUE(Fs->truncate(Root, "f", 10, WalkSealed, Restart));
  EXPECT_EQ(events(), std::vector<uint32_t>{IN_MODIFY});
  ASSERT_TRUE(Fs->chmod(Root, "f", 0600, WalkSealed, Restart));
  EXPECT_EQ(events(), std::vector<uint32_t>{IN_ATTRIB});
  FileTimes Atime{0, UTIME_NOW, 0, UTIME_OMIT};
  ASSERT_TRUE(Fs->utimens(Root, "f", Atime, WalkSealed, Restart));
  EXPECT_EQ(events(), std::vector<uint32_t>{IN_ACCESS});
  ASSERT_TRUE(Fs->link(Root, "f", "g", WalkSealed, Restart));
  EXPECT_EQ(events(), std::vector<uint32_t>{IN_ATTRIB});
  ASSERT_TRUE(Fs->rename(Root, "f", "h", 0, WalkSealed, Restart));
  EXPECT_EQ(events(), std::vector<uint32_t>{IN_MOVE_SELF});
  // Opened, then its names go: the file lives on while it is open.
  ObjectHandle H;
  FileAttr Attr;
  std::vector<uint8_t> Data;
  ASSERT_TRUE(
      Fs->open(Root, "h", O_RDONLY, 0, WalkSealed, H, Attr, Data, Restart));
  EXPECT_EQ(events(), std::vector<uint32_t>{IN_OPEN});
  ASSERT_TRUE(Fs->unlink(Root, "g", WalkSealed, Restart));
  ASSERT_TRUE(Fs->unlink(Root, "h", WalkSealed, Restart));
  EXPECT_EQ(events(), (std::vector<uint32_t>{IN_ATTRIB}))
      << "two link count changes, merged as the host merges them";
  Files->forget(Root.Pid);
  EXPECT_EQ(events(), (std::vector<uint32_t>{IN_CLOSE_NOWRITE, IN_DELETE_SELF,
                                             IN_IGNORED}));
}

TEST_F(RamShadowTest, AWatchAsksReadPermission) {
  make("secret", 0600);
  std::string Host;
  Status S = watch(Other, "secret", Host);
  EXPECT_EQ(S.errorCode(), EACCES);
  EXPECT_EQ(watch(Root, "missing", Host).errorCode(), ENOENT);
}

// A watched directory's stand-in mirrors its entries by name, and what is
// done to them there is done to the mirror: the host reports it to the
// directory's watchers with the names, in Linux's order.
TEST_F(RamShadowTest, ADirectorysStandInMirrorsItsEntries) {
  std::string Restart;
  ASSERT_TRUE(Fs->mkdir(Root, "d", 0755, WalkSealed, Restart));
  make("d/old");
  ASSERT_TRUE(Fs->mkdir(Root, "d/sub", 0755, WalkSealed, Restart));
  std::string Host;
  ASSERT_TRUE(watch(Root, "d", Host));
  struct stat St;
  ASSERT_EQ(::stat((Host + "/old").c_str(), &St), 0);
  EXPECT_TRUE(S_ISREG(St.st_mode));
  ASSERT_EQ(::stat((Host + "/sub").c_str(), &St), 0);
  EXPECT_TRUE(S_ISDIR(St.st_mode));
  ASSERT_GE(::inotify_add_watch(In, Host.c_str(), IN_ALL_EVENTS), 0);

  ASSERT_TRUE(Fs->rename(Root, "d/old", "d/new", 0, WalkSealed, Restart));
  EXPECT_EQ(events(), (std::vector<uint32_t>{IN_MOVED_FROM, IN_MOVED_TO}));
  ASSERT_TRUE(Fs->chmod(Root, "d/new", 0600, WalkSealed, Restart));
  EXPECT_EQ(events(), std::vector<uint32_t>{IN_ATTRIB}) << "a file's, by name";
  ASSERT_TRUE(Fs->rename(Root, "d/new", "out", 0, WalkSealed, Restart));
  EXPECT_EQ(events(), std::vector<uint32_t>{IN_MOVED_FROM});
  ASSERT_TRUE(Fs->rename(Root, "out", "d/back", 0, WalkSealed, Restart));
  EXPECT_EQ(events(), std::vector<uint32_t>{IN_MOVED_TO});
  ASSERT_TRUE(Fs->unlink(Root, "d/back", WalkSealed, Restart));
  EXPECT_EQ(events(), std::vector<uint32_t>{IN_DELETE});
  ASSERT_TRUE(Fs->rmdir(Root, "d/sub", WalkSealed, Restart));
  EXPECT_EQ(events(), std::vector<uint32_t>{IN_DELETE | IN_ISDIR});
  ASSERT_TRUE(Fs->rmdir(Root, "d", WalkSealed, Restart));
  EXPECT_EQ(events(), (std::vector<uint32_t>{IN_DELETE_SELF, IN_IGNORED}));
  EXPECT_NE(::stat(Host.c_str(), &St), 0) << "the mirror went with it";
}

TEST_F(RamShadowTest, AWatchedFileIsLeasedToNobody) {
  make("f");
  ObjectHandle H;
  FileAttr Attr;
  std::vector<uint8_t> Data;
  std::string Restart;
  ASSERT_TRUE(Fs->open(Other, "f", O_RDONLY, 0, WalkSealed | WalkLease, H, Attr,
                       Data, Restart));
  uint64_t Ino = Attr.Ino;
  EXPECT_NE(Attr.Lease, 0u) << "alone, before the watch";
  std::string Host;
  ASSERT_TRUE(watch(Root, "f", Host));
  EXPECT_EQ(Fs->leases().lease(Ino), 0u) << "taken back at the watch";
  ASSERT_TRUE(Fs->open(Other, "f", O_RDONLY, 0, WalkSealed | WalkLease, H, Attr,
                       Data, Restart));
  EXPECT_EQ(Attr.Lease, 0u) << "and never granted again";
}

TEST_F(RamShadowTest, TheFolderGoesWithTheFileSystem) {
  make("f");
  std::string Host;
  ASSERT_TRUE(watch(Root, "f", Host));
  std::string Folder = Host.substr(0, Host.rfind('/'));
  struct stat St;
  ASSERT_EQ(::stat(Folder.c_str(), &St), 0);
  EXPECT_EQ(St.st_mode & 0777, 0711u) << "searchable, not listable";
  Fs.reset();
  Files.reset();
  EXPECT_NE(::stat(Folder.c_str(), &St), 0);
  EXPECT_NE(::stat(Host.c_str(), &St), 0);
}

} // namespace
