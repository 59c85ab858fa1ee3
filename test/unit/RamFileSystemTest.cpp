//===- test/unit/RamFileSystemTest.cpp - ramfs tree semantics -------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// ramfs through its generated stubs over an in-process transport: path
/// walks, '..', symlinks and their restarts, rename and rmdir rules, a file
/// unlinked while open, permissions from the badge, readdir cookies, and
/// many threads at once.
///
//===----------------------------------------------------------------------===//

#include "RamFileSystem.h"
#include "File.k42.h"
#include "FileSystem.k42.h"
#include "OpenFileTable.h"

#include <k42/ipc/InProcTransport.h>

#include <gtest/gtest.h>

#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <set>
#include <sys/mman.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

using namespace k42;
using namespace k42::fs;

namespace {

/// An open's bytes (WalkData): asked for only where a test says so.
std::vector<uint8_t> OpenData;

/// A ramfs served in-process to a caller with badge \p Who.
struct Ram {
  explicit Ram(Badge Who = Badge{7, 0, 0, 0})
      : Via(Who), Files(Via.handles()), Fs(Files), X(Fs),
        Stub(*StubFileSystem::bind(
            Via, *Via.exportObject(X, MetaFileSystem::Rights::all))) {}

  Status open(std::string_view Path, uint32_t Flags, StubFile *Out = nullptr,
              uint32_t Walk = WalkSealed) {
    ObjectHandle H;
    FileAttr A;
    std::string Restart;
    Status S = Stub.open(Path, Flags, 0644, Walk, H, A, OpenData, Restart);
    if (S && S.value() == Done && Out)
      *Out = *StubFile::bind(Via, H);
    return S;
  }
  Status write(std::string_view Path, std::string_view Text) {
    StubFile F = *StubFile::bind(Via, ObjectHandle{});
    if (Status S = open(Path, O_WRONLY | O_CREAT | O_TRUNC, &F); !S)
      return S;
    uint64_t End;
    std::span<const uint8_t> D(reinterpret_cast<const uint8_t *>(Text.data()),
                               Text.size());
    if (Status S = F.pwrite(0, D, 0, End); !S)
      return S;
    return F.close();
  }
  int err(Status S) { return S ? 0 : S.errorCode(); }

  InProcTransport Via;
  OpenFileTable Files;
  ramfs::RamFileSystem Fs;
  XFileSystem X;
  StubFileSystem Stub;
  std::string Restart;
};

std::string text(const std::vector<uint8_t> &D) {
  return std::string(D.begin(), D.end());
}

TEST(RamFileSystemTest, WalksDotDotAndHandsBackWhatLeavesTheMount) {
  Ram R;
  FileAttr A;
  ASSERT_TRUE(R.Stub.mkdir("a", 0755, WalkSealed, R.Restart));
  ASSERT_TRUE(R.Stub.mkdir("a/b", 0755, WalkSealed, R.Restart));
  ASSERT_TRUE(R.write("a/b/f", "data"));
  Status S = R.Stub.stat("a/./b/../b//f", WalkSealed, A, R.Restart);
  ASSERT_TRUE(S);
  EXPECT_EQ(S.value(), Done);
  EXPECT_EQ(A.Size, 4);
  EXPECT_TRUE(S_ISREG(A.Mode));
  // '..' above the mount root: the client resolves the rest.
  S = R.Stub.stat("a/../../etc/x", WalkSealed, A, R.Restart);
  EXPECT_EQ(S.value(), RestartFirst);
  EXPECT_EQ(R.Restart, "../etc/x");
  // Unsealed (another mount lies below): every '..' comes back, with the
  // directories walked so far.
  S = R.Stub.stat("a/b/../b/f", 0, A, R.Restart);
  EXPECT_EQ(S.value(), RestartFirst);
  EXPECT_EQ(R.Restart, "a/b/f");
  // Errors on the way.
  EXPECT_EQ(R.err(R.Stub.stat("a/b/f/x", WalkSealed, A, R.Restart)), ENOTDIR);
  EXPECT_EQ(R.err(R.Stub.stat("a/b/f/", WalkSealed, A, R.Restart)), ENOTDIR);
  EXPECT_EQ(R.err(R.Stub.stat("a/nothing/f", WalkSealed, A, R.Restart)),
            ENOENT);
  EXPECT_EQ(R.err(R.Stub.stat(std::string(256, 'n'), WalkSealed, A, R.Restart)),
            ENAMETOOLONG);
  EXPECT_EQ(R.err(R.Stub.mkdir("a", 0755, WalkSealed, R.Restart)), EEXIST);
  EXPECT_EQ(R.err(R.open("a/b/f", O_WRONLY | O_CREAT | O_EXCL)), EEXIST);
  EXPECT_EQ(R.err(R.open("a/b", O_WRONLY)), EISDIR);
  EXPECT_EQ(R.err(R.open("a/b/f", O_RDONLY | O_DIRECTORY)), ENOTDIR);
}

TEST(RamFileSystemTest, SymlinksFollowInsideLoopAndRestartOutside) {
  Ram R;
  FileAttr A;
  ASSERT_TRUE(R.Stub.mkdir("d", 0755, WalkSealed, R.Restart));
  ASSERT_TRUE(R.write("d/f", "x"));
  ASSERT_TRUE(R.Stub.symlink("d/f", "rel", WalkSealed, R.Restart));
  ASSERT_TRUE(R.Stub.symlink("/etc/passwd", "abs", WalkSealed, R.Restart));
  ASSERT_TRUE(R.Stub.symlink("../../up", "d/out", WalkSealed, R.Restart));
  ASSERT_TRUE(R.Stub.symlink("../d/f", "d/in", WalkSealed, R.Restart));
  ASSERT_TRUE(R.Stub.symlink("loop2", "loop1", WalkSealed, R.Restart));
  ASSERT_TRUE(R.Stub.symlink("loop1", "loop2", WalkSealed, R.Restart));

  Status S = R.Stub.stat("rel", WalkSealed, A, R.Restart);
  EXPECT_EQ(S.value(), Done);
  EXPECT_TRUE(S_ISREG(A.Mode));
  S = R.Stub.stat("rel", WalkSealed | WalkNoFollow, A, R.Restart);
  EXPECT_TRUE(S_ISLNK(A.Mode));
  std::string Target;
  ASSERT_TRUE(R.Stub.readlink("abs", WalkSealed, Target, R.Restart));
  EXPECT_EQ(Target, "/etc/passwd");
  EXPECT_EQ(R.Stub.stat("abs/x", WalkSealed, A, R.Restart).value(),
            RestartFirst);
  EXPECT_EQ(R.Restart, "/etc/passwd/x");
  // A relative link that climbs out of the root goes back too.
  EXPECT_EQ(R.Stub.stat("d/out/z", WalkSealed, A, R.Restart).value(),
            RestartFirst);
  EXPECT_EQ(R.Restart, "../up/z");
  // One that climbs and comes back down stays inside.
  EXPECT_EQ(R.Stub.stat("d/in", WalkSealed, A, R.Restart).value(), Done);
  EXPECT_EQ(R.err(R.Stub.stat("loop1", WalkSealed, A, R.Restart)), ELOOP);
  EXPECT_EQ(R.err(R.open("rel", O_RDONLY | O_NOFOLLOW)), ELOOP);
  EXPECT_EQ(R.err(R.Stub.readlink("d/f", WalkSealed, Target, R.Restart)),
            EINVAL);
}

TEST(RamFileSystemTest, RenameAndRmdirRules) {
  Ram R;
  FileAttr A;
  ASSERT_TRUE(R.write("one", "1"));
  ASSERT_TRUE(R.write("two", "22"));
  ASSERT_TRUE(R.Stub.rename("one", "two", 0, WalkSealed, R.Restart));
  ASSERT_TRUE(R.Stub.stat("two", WalkSealed, A, R.Restart));
  EXPECT_EQ(A.Size, 1);
  EXPECT_EQ(R.err(R.Stub.stat("one", WalkSealed, A, R.Restart)), ENOENT);
  ASSERT_TRUE(R.write("three", "3"));
  EXPECT_EQ(R.err(R.Stub.rename("three", "two", RenameNoReplace, WalkSealed,
                                R.Restart)),
            EEXIST);

  ASSERT_TRUE(R.Stub.mkdir("d", 0755, WalkSealed, R.Restart));
  ASSERT_TRUE(R.Stub.mkdir("e", 0755, WalkSealed, R.Restart));
  ASSERT_TRUE(R.write("e/f", ""));
  EXPECT_EQ(R.err(R.Stub.rmdir("e", WalkSealed, R.Restart)), ENOTEMPTY);
  EXPECT_EQ(R.err(R.Stub.rename("d", "e", 0, WalkSealed, R.Restart)),
            ENOTEMPTY);
  EXPECT_EQ(R.err(R.Stub.rename("d", "two", 0, WalkSealed, R.Restart)),
            ENOTDIR);
  EXPECT_EQ(R.err(R.Stub.rename("two", "d", 0, WalkSealed, R.Restart)), EISDIR);
  ASSERT_TRUE(R.Stub.mkdir("d/sub", 0755, WalkSealed, R.Restart));
  EXPECT_EQ(R.err(R.Stub.rename("d", "d/sub/x", 0, WalkSealed, R.Restart)),
            EINVAL);
  EXPECT_EQ(R.err(R.Stub.rmdir("two", WalkSealed, R.Restart)), ENOTDIR);
  EXPECT_EQ(R.err(R.Stub.unlink("d", WalkSealed, R.Restart)), EISDIR);
  EXPECT_EQ(R.err(R.Stub.rmdir("", WalkSealed, R.Restart)), EBUSY);
  // A directory moves with its contents, and '..' follows it.
  ASSERT_TRUE(R.Stub.rename("d", "e/moved", 0, WalkSealed, R.Restart));
  ASSERT_TRUE(R.Stub.stat("e/moved/sub/../../f", WalkSealed, A, R.Restart));
  ASSERT_TRUE(R.Stub.stat("e", WalkSealed, A, R.Restart));
  EXPECT_EQ(A.Nlink, 3u);
  ASSERT_TRUE(R.Stub.rmdir("e/moved/sub", WalkSealed, R.Restart));
  ASSERT_TRUE(R.Stub.rmdir("e/moved", WalkSealed, R.Restart));
  // Hard links count.
  ASSERT_TRUE(R.Stub.link("two", "e/alias", WalkSealed, R.Restart));
  ASSERT_TRUE(R.Stub.stat("two", WalkSealed, A, R.Restart));
  EXPECT_EQ(A.Nlink, 2u);
  EXPECT_EQ(R.err(R.Stub.link("e", "e2", WalkSealed, R.Restart)), EPERM);
}

TEST(RamFileSystemTest, AFileUnlinkedWhileOpenStaysReadable) {
  Ram R;
  ASSERT_TRUE(R.write("doomed", "still here"));
  StubFile F = *StubFile::bind(R.Via, ObjectHandle{});
  ASSERT_TRUE(R.open("doomed", O_RDWR, &F));
  ASSERT_TRUE(R.Stub.unlink("doomed", WalkSealed, R.Restart));
  FileAttr A;
  EXPECT_EQ(R.err(R.Stub.stat("doomed", WalkSealed, A, R.Restart)), ENOENT);
  std::vector<uint8_t> D;
  ASSERT_TRUE(F.pread(0, 100, D));
  EXPECT_EQ(text(D), "still here");
  ASSERT_TRUE(F.stat(A));
  EXPECT_EQ(A.Nlink, 0u);
  uint64_t End;
  const uint8_t More[] = {'!'};
  ASSERT_TRUE(F.pwrite(0, More, WriteAppend, End));
  EXPECT_EQ(End, 11u);
  EXPECT_EQ(R.Files.size(), 1u);
  ASSERT_TRUE(F.close());
  EXPECT_EQ(R.Files.size(), 0u);
  EXPECT_EQ(F.pread(0, 1, D).errorCode(), errc::StaleHandle);
}

TEST(RamFileSystemTest, PermissionsComeFromTheBadgeAndRightsFromTheOpen) {
  Ram Root;
  ASSERT_TRUE(Root.Stub.mkdir("home", 0755, WalkSealed, Root.Restart));
  ASSERT_TRUE(Root.write("secret", "s"));
  ASSERT_TRUE(Root.Stub.chmod("secret", 0600, WalkSealed, Root.Restart));
  // The same tree, called by uid 1000.
  InProcTransport User(Badge{8, 1000, 1000, 0});
  OpenFileTable UserFiles(User.handles());
  XFileSystem X(Root.Fs);
  StubFileSystem Stub = *StubFileSystem::bind(
      User, *User.exportObject(X, MetaFileSystem::Rights::all));
  std::string Restart;
  EXPECT_EQ(Stub.mkdir("home/me", 0755, WalkSealed, Restart).errorCode(),
            EACCES);
  ObjectHandle H;
  FileAttr A;
  EXPECT_EQ(
      Stub.open("secret", O_RDONLY, 0, WalkSealed, H, A, OpenData, Restart)
          .errorCode(),
      EACCES);
  EXPECT_EQ(Stub.chmod("secret", 0777, WalkSealed, Restart).errorCode(), EPERM);
  ASSERT_TRUE(Root.Stub.chmod("home", 0777, WalkSealed, Root.Restart));
  ASSERT_TRUE(Stub.mkdir("home/me", 0700, WalkSealed, Restart));
  ASSERT_TRUE(Stub.stat("home/me", WalkSealed, A, Restart));
  EXPECT_EQ(A.Uid, 1000u);
  EXPECT_EQ(A.Gid, 1000u);
  // A read-only open gives a handle without the write right.
  StubFile F = *StubFile::bind(Root.Via, ObjectHandle{});
  ASSERT_TRUE(Root.open("secret", O_RDONLY, &F));
  uint64_t End;
  const uint8_t B[] = {'x'};
  EXPECT_EQ(F.pwrite(0, B, 0, End).errorCode(), errc::PermissionDenied);
  EXPECT_EQ(F.truncate(0).errorCode(), errc::PermissionDenied);
}

TEST(RamFileSystemTest, FifosAreNamesWithATypeAndNoData) {
  Ram R;
  FileAttr A;
  ASSERT_TRUE(R.Stub.mkdir("d", 0755, WalkSealed, R.Restart));
  ASSERT_TRUE(R.Stub.mknod("d/ff", S_IFIFO | 0640, WalkSealed, R.Restart));
  ASSERT_TRUE(R.Stub.stat("d/ff", WalkSealed, A, R.Restart));
  EXPECT_TRUE(S_ISFIFO(A.Mode));
  EXPECT_EQ(A.Mode & 07777, 0640u);
  EXPECT_EQ(A.Size, 0);
  EXPECT_EQ(A.Uid, 0u); // the badge's uid
  EXPECT_EQ(
      R.Stub.mknod("d/ff", S_IFIFO | 0600, WalkSealed, R.Restart).errorCode(),
      EEXIST);
  // FIFOs and sockets (a bind's name); devices as on a file system
  // without mknod. A socket is never opened: ENXIO, O_PATH aside.
  EXPECT_EQ(
      R.Stub.mknod("d/c", S_IFCHR | 0600, WalkSealed, R.Restart).errorCode(),
      EPERM);
  ASSERT_TRUE(R.Stub.mknod("d/s", S_IFSOCK | 0600, WalkSealed, R.Restart));
  ASSERT_TRUE(R.Stub.stat("d/s", WalkSealed, A, R.Restart));
  EXPECT_TRUE(S_ISSOCK(A.Mode));
  EXPECT_EQ(A.Mode & 07777, 0600u);
  {
    ObjectHandle S;
    std::string Restart;
    EXPECT_EQ(R.Stub.open("d/s", O_RDWR, 0, WalkSealed, S, A, OpenData, Restart)
                  .errorCode(),
              ENXIO);
    EXPECT_TRUE(
        R.Stub.open("d/s", O_PATH, 0, WalkSealed, S, A, OpenData, Restart));
    EXPECT_TRUE(S_ISSOCK(A.Mode));
  }
  EXPECT_EQ(R.Stub.mknod("none/ff", S_IFIFO | 0600, WalkSealed, R.Restart)
                .errorCode(),
            ENOENT);
  EXPECT_EQ(
      R.Stub.mknod("d/ff2/", S_IFIFO | 0600, WalkSealed, R.Restart).errorCode(),
      ENOENT);
  // An open answers the FIFO's attributes (the personality then joins a
  // pipe); O_TRUNC leaves it be, O_DIRECTORY is ENOTDIR.
  ObjectHandle H;
  std::string Restart;
  ASSERT_TRUE(R.Stub.open("d/ff", O_WRONLY | O_TRUNC, 0, WalkSealed | WalkLease,
                          H, A, OpenData, Restart));
  EXPECT_TRUE(S_ISFIFO(A.Mode));
  EXPECT_EQ(A.Lease, 0u);
  EXPECT_EQ(R.err(R.open("d/ff", O_RDONLY | O_DIRECTORY)), ENOTDIR);
  // readdir calls it a FIFO.
  StubFile Dir = *StubFile::bind(R.Via, ObjectHandle{});
  ASSERT_TRUE(R.open("d", O_RDONLY | O_DIRECTORY, &Dir));
  std::vector<uint8_t> Buf;
  uint64_t Next;
  ASSERT_TRUE(Dir.readdir(0, 4096, Buf, Next));
  unsigned char Type = 0;
  for (size_t At = 0; At < Buf.size();) {
    uint16_t Len;
    std::memcpy(&Len, &Buf[At + 16], 2);
    if (std::strcmp(reinterpret_cast<char *>(&Buf[At + 19]), "ff") == 0)
      Type = Buf[At + 18];
    At += Len;
  }
  EXPECT_EQ(Type, DT_FIFO);
  // Another user may not make one in a folder it cannot write.
  InProcTransport User(Badge{8, 1000, 1000, 0});
  OpenFileTable UserFiles(User.handles());
  XFileSystem X(R.Fs);
  StubFileSystem Stub = *StubFileSystem::bind(
      User, *User.exportObject(X, MetaFileSystem::Rights::all));
  EXPECT_EQ(
      Stub.mknod("d/mine", S_IFIFO | 0600, WalkSealed, Restart).errorCode(),
      EACCES);
  ASSERT_TRUE(R.Stub.unlink("d/ff", WalkSealed, R.Restart));
  EXPECT_EQ(R.Stub.stat("d/ff", WalkSealed, A, R.Restart).errorCode(), ENOENT);
}

TEST(RamFileSystemTest, MemoryIsAMemfdOfRegularFilesOnly) {
  Ram R;
  ASSERT_TRUE(R.write("f", "mapped bytes"));
  StubFile F = *StubFile::bind(R.Via, ObjectHandle{});
  ASSERT_TRUE(R.open("f", O_RDWR, &F));
  int32_t Fd = -1;
  uint64_t Ino = 0;
  ASSERT_TRUE(F.memory(Fd, Ino));
  // What a client does with the answer: the descriptor by its /proc name,
  // checked by inode, mapped.
  std::string Name = "/proc/self/fd/" + std::to_string(Fd);
  int Mem = ::open(Name.c_str(), O_RDWR | O_CLOEXEC);
  ASSERT_GE(Mem, 0);
  struct stat St;
  ASSERT_EQ(::fstat(Mem, &St), 0);
  EXPECT_EQ(uint64_t(St.st_ino), Ino);
  auto *Map = static_cast<char *>(
      ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, Mem, 0));
  ::close(Mem);
  ASSERT_NE(Map, MAP_FAILED);
  EXPECT_EQ(std::string(Map, 12), "mapped bytes");
  std::memcpy(Map, "MAPPED", 6);
  std::vector<uint8_t> D;
  ASSERT_TRUE(F.pread(0, 100, D));
  EXPECT_EQ(text(D), "MAPPED bytes");
  uint64_t End;
  const uint8_t More[] = {'!'};
  ASSERT_TRUE(F.pwrite(0, More, WriteAppend, End));
  EXPECT_EQ(Map[12], '!');
  FileAttr A;
  ASSERT_TRUE(F.stat(A));
  EXPECT_EQ(A.Size, 13);
  // Another open of the same file: the same memfd.
  StubFile G = *StubFile::bind(R.Via, ObjectHandle{});
  ASSERT_TRUE(R.open("f", O_RDONLY, &G));
  int32_t Fd2 = -1;
  uint64_t Ino2 = 0;
  ASSERT_TRUE(G.memory(Fd2, Ino2));
  EXPECT_EQ(Fd2, Fd);
  EXPECT_EQ(Ino2, Ino);
  // O_TRUNC through the server empties the mapped pages too.
  ASSERT_TRUE(R.open("f", O_WRONLY | O_TRUNC));
  ASSERT_TRUE(F.stat(A));
  EXPECT_EQ(A.Size, 0);
  ::munmap(Map, 4096);

  // Hostile asks: a directory, a FIFO, a write-only handle, a closed one.
  ASSERT_TRUE(R.Stub.mkdir("d", 0755, WalkSealed, R.Restart));
  StubFile Dir = *StubFile::bind(R.Via, ObjectHandle{});
  ASSERT_TRUE(R.open("d", O_RDONLY | O_DIRECTORY, &Dir));
  EXPECT_EQ(R.err(Dir.memory(Fd, Ino)), ENODEV);
  ASSERT_TRUE(R.Stub.mknod("p", S_IFIFO | 0600, WalkSealed, R.Restart));
  StubFile Fifo = *StubFile::bind(R.Via, ObjectHandle{});
  ASSERT_TRUE(R.open("p", O_RDONLY, &Fifo));
  EXPECT_EQ(R.err(Fifo.memory(Fd, Ino)), ENODEV);
  StubFile W = *StubFile::bind(R.Via, ObjectHandle{});
  ASSERT_TRUE(R.open("f", O_WRONLY, &W));
  EXPECT_EQ(W.memory(Fd, Ino).errorCode(), errc::PermissionDenied);
  ASSERT_TRUE(G.close());
  EXPECT_EQ(G.memory(Fd, Ino).errorCode(), errc::StaleHandle);
  // A handle another process opened is not this caller's to use.
  ObjectHandle Theirs;
  std::string Restart;
  ASSERT_TRUE(R.Fs.open(Badge{8, 0, 0, 0}, "f", O_RDONLY, 0, WalkSealed, Theirs,
                        A, OpenData, Restart));
  Result<StubFile> Other = StubFile::bind(R.Via, Theirs);
  EXPECT_TRUE(!Other || !Other->memory(Fd, Ino));
  // The server goes on.
  ASSERT_TRUE(F.pread(0, 100, D));
  EXPECT_EQ(D.size(), 0u);
}

TEST(RamFileSystemTest, ReaddirCookiesSurviveChanges) {
  Ram R;
  ASSERT_TRUE(R.Stub.mkdir("d", 0755, WalkSealed, R.Restart));
  for (int I = 0; I < 50; ++I)
    ASSERT_TRUE(R.write("d/f" + std::to_string(I), ""));
  StubFile Dir = *StubFile::bind(R.Via, ObjectHandle{});
  ASSERT_TRUE(R.open("d", O_RDONLY | O_DIRECTORY, &Dir));
  std::set<std::string> Seen;
  uint64_t Cookie = 0;
  bool Removed = false;
  for (;;) {
    std::vector<uint8_t> Buf;
    uint64_t Next;
    Status S = Dir.readdir(Cookie, 256, Buf, Next);
    ASSERT_TRUE(S);
    if (S.value() == 0)
      break;
    for (size_t At = 0; At < Buf.size();) {
      uint16_t Len;
      std::memcpy(&Len, &Buf[At + 16], 2);
      ASSERT_TRUE(Seen.insert(reinterpret_cast<char *>(&Buf[At + 19])).second);
      At += Len;
    }
    Cookie = Next;
    if (!Removed) { // A change in the middle: no entry twice, none lost.
      ASSERT_TRUE(R.Stub.unlink("d/f0", WalkSealed, R.Restart));
      Removed = true;
    }
  }
  EXPECT_TRUE(Seen.count(".") && Seen.count(".."));
  EXPECT_TRUE(Seen.count("f49"));
  EXPECT_GE(Seen.size(), 51u);
  std::vector<uint8_t> Buf;
  uint64_t Next;
  EXPECT_EQ(Dir.readdir(0, 8, Buf, Next).errorCode(), EINVAL);
}

TEST(RamFileSystemTest, ManyThreadsAtOnce) {
  Ram R;
  ASSERT_TRUE(R.Stub.mkdir("t", 0755, WalkSealed, R.Restart));
  std::vector<std::thread> Threads;
  std::atomic<int> Failures{0};
  for (int T = 0; T < 4; ++T)
    Threads.emplace_back([&, T] {
      for (int I = 0; I < 100; ++I) {
        std::string Name = "t/" + std::to_string(T) + "-" + std::to_string(I);
        std::string Restart;
        FileAttr A;
        if (!R.write(Name, Name) ||
            !R.Stub.stat(Name, WalkSealed, A, Restart) ||
            A.Size != int64_t(Name.size()) ||
            (I % 2 && !R.Stub.unlink(Name, WalkSealed, Restart)))
          ++Failures;
      }
    });
  for (std::thread &T : Threads)
    T.join();
  EXPECT_EQ(Failures.load(), 0);
  FileAttr A;
  ASSERT_TRUE(R.Stub.stat("t/3-98", WalkSealed, A, R.Restart));
  EXPECT_EQ(R.err(R.Stub.stat("t/3-99", WalkSealed, A, R.Restart)), ENOENT);
}

} // namespace
