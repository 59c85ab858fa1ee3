//===- test/unit/MountCacheTest.cpp - The client's mount table ------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The mount-point table and its client cache: longest-prefix matching on
/// component boundaries, refreshing only when the version changed, the
/// path arithmetic of restarts, and FsClient following restarts across two
/// in-process ramfs mounts (symlinks out of a mount, '..' above a mount
/// root, EXDEV, ELOOP).
///
//===----------------------------------------------------------------------===//

#include "MountCache.h"
#include "FileSystem.k42.h"
#include "FsClient.h"
#include "MountTable.h"
#include "OpenFileTable.h"
#include "RamFileSystem.h"

#include <k42/ipc/InProcTransport.h>

#include <gtest/gtest.h>

#include <fcntl.h>

using namespace k42;
using namespace k42::fs;

namespace {

constexpr Badge RamA{1, 0, 0, 0}, RamB{2, 0, 0, 0};

std::unique_ptr<MountCache> cacheOf(name::MountTable &Table) {
  return std::make_unique<MountCache>(
      [&](uint64_t &V) { return Table.version(V); },
      [&](std::vector<name::MountEntry> &E, uint64_t &V) {
        return Table.list(E, V);
      });
}

TEST(MountCacheTest, LongestPrefixOnComponentBoundaries) {
  name::MountTable Table;
  ASSERT_TRUE(Table.mount("/", "/fs/root", 0, RamA));
  ASSERT_TRUE(Table.mount("/usr", "/fs/usr", name::MountReadOnly, RamB));
  ASSERT_TRUE(Table.mount("/usr/local", "/fs/local", 0, RamA));
  EXPECT_EQ(Table.mount("/usr", "/fs/x", 0, RamA).errorCode(), EBUSY);
  EXPECT_EQ(Table.mount("/a/../b", "/fs/x", 0, RamA).errorCode(), EINVAL);
  EXPECT_EQ(Table.mount("/a/", "/fs/x", 0, RamA).errorCode(), EINVAL);
  auto Cache = cacheOf(Table);
  ASSERT_TRUE(Cache->refresh());
  Mount M;
  std::string Rest;
  ASSERT_TRUE(Cache->match("/usr/bin/ls", M, Rest));
  EXPECT_EQ(M.Path, "/usr");
  EXPECT_EQ(Rest, "bin/ls");
  EXPECT_EQ(M.Server, RamB.Pid);
  EXPECT_TRUE(M.Flags & name::MountReadOnly);
  EXPECT_FALSE(M.Sealed); // /usr/local lies below it.
  ASSERT_TRUE(Cache->match("/usrx/y", M, Rest));
  EXPECT_EQ(M.Path, "/");
  EXPECT_EQ(Rest, "usrx/y");
  ASSERT_TRUE(Cache->match("/usr/local", M, Rest));
  EXPECT_EQ(M.Path, "/usr/local");
  EXPECT_EQ(Rest, "");
  EXPECT_TRUE(M.Sealed);
  ASSERT_TRUE(Cache->match("/usr/", M, Rest));
  EXPECT_EQ(M.Path, "/usr");
  EXPECT_EQ(Rest, "/");
}

TEST(MountCacheTest, FetchesOnlyWhenTheVersionChanged) {
  name::MountTable Table;
  ASSERT_TRUE(Table.mount("/", "/fs/root", 0, RamA));
  auto Cache = cacheOf(Table);
  ASSERT_TRUE(Cache->refresh());
  ASSERT_TRUE(Cache->refresh());
  ASSERT_TRUE(Cache->refresh());
  EXPECT_EQ(Cache->fetches(), 1u);
  Mount M;
  std::string Rest;
  ASSERT_TRUE(Cache->match("/mnt/x", M, Rest));
  EXPECT_EQ(M.Path, "/");
  ASSERT_TRUE(Table.mount("/mnt", "/fs/mnt", 0, RamB));
  ASSERT_TRUE(Cache->refresh());
  EXPECT_EQ(Cache->fetches(), 2u);
  ASSERT_TRUE(Cache->match("/mnt/x", M, Rest));
  EXPECT_EQ(M.Path, "/mnt");
  // A server that dies takes its mounts with it.
  Table.forget(RamB.Pid);
  ASSERT_TRUE(Cache->refresh());
  ASSERT_TRUE(Cache->match("/mnt/x", M, Rest));
  EXPECT_EQ(M.Path, "/");
  EXPECT_EQ(Table.unmount("/", RamB).errorCode(), EPERM);
}

TEST(MountCacheTest, PathArithmetic) {
  EXPECT_EQ(MountCache::normalize("/"), "/");
  EXPECT_EQ(MountCache::normalize("//a/./b//"), "/a/b/");
  EXPECT_EQ(MountCache::normalize("/a/b/."), "/a/b/");
  EXPECT_EQ(MountCache::normalize("/a/../b"), "/a/../b");
  EXPECT_EQ(MountCache::restartPath("/usr", "../etc/x"), "/etc/x");
  EXPECT_EQ(MountCache::restartPath("/usr", "../../../etc"), "/etc");
  EXPECT_EQ(MountCache::restartPath("/usr/local", "bin/../x"),
            "/usr/local/bin/../x");
  EXPECT_EQ(MountCache::restartPath("/usr", "/etc//passwd"), "/etc/passwd");
  EXPECT_EQ(MountCache::restartPath("/usr", "."), "/usr");
  EXPECT_EQ(MountCache::restartPath("/", "../"), "/");
}

/// Two ramfs instances, mounted at / and /mnt, reached in-process.
struct TwoMounts {
  TwoMounts()
      : Via(Badge{9, 0, 0, 0}), Files(Via.handles()), Root(Files), Mnt(Files),
        XRoot(Root), XMnt(Mnt) {
    RootHandle = *Via.exportObject(XRoot, MetaFileSystem::Rights::all);
    MntHandle = *Via.exportObject(XMnt, MetaFileSystem::Rights::all);
    EXPECT_TRUE(Table.mount("/", "/fs/root", 0, RamA));
    EXPECT_TRUE(Table.mount("/mnt", "/fs/mnt", 0, RamB));
    Client = std::make_unique<FsClient>(
        cacheOf(Table),
        [this](uint32_t Server, std::string_view) -> Result<FsConnection> {
          ++Connects;
          std::shared_ptr<Transport> T(&Via, [](Transport *) {});
          return FsConnection{T, Server == RamA.Pid ? RootHandle : MntHandle};
        });
    std::string Restart; // The mount point, in the root file system.
    EXPECT_TRUE(Root.mkdir(Badge{}, "mnt", 0755, WalkSealed, Restart));
  }

  InProcTransport Via;
  OpenFileTable Files;
  ramfs::RamFileSystem Root, Mnt;
  XFileSystem XRoot, XMnt;
  ObjectHandle RootHandle, MntHandle;
  name::MountTable Table;
  std::unique_ptr<FsClient> Client;
  int Connects = 0;
};

std::string readAll(FsClient &C, std::string_view Path) {
  Result<OpenedFile> F = C.open(Path, O_RDONLY);
  if (!F)
    return "error: " + std::string(F.status().message());
  std::vector<uint8_t> D;
  (void)F->File.pread(0, 1000, D);
  (void)F->File.close();
  return std::string(D.begin(), D.end());
}

TEST(MountCacheTest, FsClientFollowsRestartsAcrossMounts) {
  TwoMounts T;
  FsClient &C = *T.Client;
  Result<OpenedFile> F = C.open("/mnt/inner", O_WRONLY | O_CREAT, 0644);
  ASSERT_TRUE(F);
  const uint8_t Text[] = {'i', 'n'};
  uint64_t End;
  ASSERT_TRUE(F->File.pwrite(0, Text, 0, End));
  ASSERT_TRUE(F->File.close());
  FileAttr A;
  // The file is in the second ramfs, not in the first's /mnt directory.
  std::string Restart;
  EXPECT_EQ(
      T.Root.stat(Badge{}, "mnt/inner", WalkSealed, A, Restart).errorCode(),
      ENOENT);
  EXPECT_EQ(readAll(C, "/mnt/inner"), "in");
  // '..' above the mount root, and back down into it.
  EXPECT_EQ(readAll(C, "/mnt/../mnt/./inner"), "in");
  // An absolute symlink in / into /mnt, and a relative one in /mnt out.
  ASSERT_TRUE(C.symlink("/mnt/inner", "/abs"));
  EXPECT_EQ(readAll(C, "/abs"), "in");
  ASSERT_TRUE(C.mkdir("/d"));
  ASSERT_TRUE(C.symlink("../mnt", "/d/rel")); // Unsealed /: a restart.
  EXPECT_EQ(readAll(C, "/d/rel/inner"), "in");
  ASSERT_TRUE(C.symlink("../d/rel/inner", "/mnt/back"));
  EXPECT_EQ(readAll(C, "/mnt/back"), "in");
  ASSERT_TRUE(C.stat("/mnt/back", A, /*Follow=*/false));
  EXPECT_TRUE(S_ISLNK(A.Mode));
  // Loops across mounts end in ELOOP; renames across mounts in EXDEV.
  ASSERT_TRUE(C.symlink("/mnt/l2", "/l1"));
  ASSERT_TRUE(C.symlink("/l1", "/mnt/l2"));
  EXPECT_EQ(C.stat("/l1", A).errorCode(), ELOOP);
  EXPECT_EQ(C.rename("/mnt/inner", "/inner").errorCode(), EXDEV);
  EXPECT_EQ(C.rename("/abs", "/d/rel/moved").errorCode(), EXDEV);
  ASSERT_TRUE(C.rename("/mnt/inner", "/d/rel/renamed"));
  EXPECT_EQ(readAll(C, "/mnt/renamed"), "in");
  // Bad paths.
  EXPECT_EQ(C.stat("relative", A).errorCode(), EINVAL);
  EXPECT_EQ(C.stat("", A).errorCode(), ENOENT);
  EXPECT_EQ(C.stat("/" + std::string(5000, 'x'), A).errorCode(), ENAMETOOLONG);
  // One connection per mount, made once.
  EXPECT_EQ(T.Connects, 2);
}

} // namespace
