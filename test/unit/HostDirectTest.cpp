//===- test/unit/HostDirectTest.cpp - Read-only files from the host -------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/HostDirect.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

using namespace k42;
using namespace k42::personality;

namespace {

std::string join(const char *Dir, const char *Rest, size_t Capacity = 4096) {
  char Out[4096];
  long E = HostDirect::join(Dir, Rest, std::strlen(Rest), Out, Capacity);
  return E < 0 ? "ask: " + std::to_string(E) : std::string(Out);
}

TEST(HostDirectTest, JoinsTheMountsHostDirectoryAndTheRest) {
  EXPECT_EQ(join("/usr/lib", "x86_64-linux-gnu/libc.so.6"),
            "/usr/lib/x86_64-linux-gnu/libc.so.6");
  EXPECT_EQ(join("/usr", ""), "/usr");
  EXPECT_EQ(join("/usr", "/"), "/usr");
  EXPECT_EQ(join("/", "etc/passwd"), "/etc/passwd");
  EXPECT_EQ(join("/", ""), "/");
  EXPECT_EQ(join("/usr", "share/"), "/usr/share/");
  // Names that only start with dots are names.
  EXPECT_EQ(join("/etc", "..data/.x/..."), "/etc/..data/.x/...");
}

TEST(HostDirectTest, DotDotAboveTheRootAndOverlongPathsGoToTheServer) {
  std::string Ask = "ask: " + std::to_string(HostDirect::AskServer);
  // A '..' above the mount's root climbs out of it, where K42's names are
  // not the host's.
  EXPECT_EQ(join("/usr", ".."), Ask);
  EXPECT_EQ(join("/usr", "../etc/passwd"), Ask);
  EXPECT_EQ(join("/usr", "lib/../../tmp/x"), Ask);
  EXPECT_EQ(join("/usr", "lib/gcc/../../../usr/lib"), Ask);
  // Below the root it stays in the mount: the host's '..' is the walk's.
  EXPECT_EQ(join("/usr", "lib/.."), "/usr/lib/..");
  EXPECT_EQ(join("/usr", "lib/gcc/x86_64-linux-gnu/12/../../../crti.o"),
            "/usr/lib/gcc/x86_64-linux-gnu/12/../../../crti.o");
  EXPECT_EQ(join("/usr", "a/../b/../c/"), "/usr/a/../b/../c/");
  EXPECT_EQ(join("/usr", "lib/x", 10), Ask);
  EXPECT_EQ(join("/usr", "lib/x", 12), "/usr/lib/x");
}

class HostDirectFiles : public ::testing::Test {
protected:
  void SetUp() override {
    char Template[] = "/tmp/k42-hostdirect-XXXXXX";
    ASSERT_NE(mkdtemp(Template), nullptr);
    Dir = Template;
    File = Dir + "/file";
    int Fd = ::open(File.c_str(), O_CREAT | O_WRONLY, 0644);
    ASSERT_GE(Fd, 0);
    ASSERT_EQ(::write(Fd, "hello", 5), 5);
    ::close(Fd);
    ASSERT_EQ(::mkdir((Dir + "/sub").c_str(), 0755), 0);
    ASSERT_EQ(::symlink("file", (Dir + "/link").c_str()), 0);
    ASSERT_EQ(::symlink(".", (Dir + "/self").c_str()), 0);
  }
  void TearDown() override {
    std::string Rm = "rm -rf '" + Dir + "'";
    ASSERT_EQ(std::system(Rm.c_str()), 0);
  }
  fs::FileAttr attrOf(const std::string &Path) {
    struct stat St;
    EXPECT_EQ(::stat(Path.c_str(), &St), 0);
    return fs::fromStat(St);
  }
  std::string Dir, File;
};

TEST_F(HostDirectFiles, LookupIsExactOnlyWithoutSymlinks) {
  fs::FileAttr A;
  ASSERT_EQ(HostDirect::lookup(File.c_str(), true, A), 0);
  EXPECT_EQ(A.Ino, attrOf(File).Ino);
  EXPECT_EQ(A.Size, 5);
  // Missing, with no symlink on the way: the host's ENOENT is the answer.
  EXPECT_EQ(HostDirect::lookup((Dir + "/none").c_str(), true, A), -ENOENT);
  EXPECT_EQ(HostDirect::lookup((Dir + "/sub/none").c_str(), true, A), -ENOENT);
  // A symlink anywhere: resolved in K42's name space (followLink).
  EXPECT_EQ(HostDirect::lookup((Dir + "/link").c_str(), true, A), -ELOOP);
  EXPECT_EQ(HostDirect::lookup((Dir + "/self/none").c_str(), true, A), -ELOOP);
  // lstat's last symlink is the link itself.
  ASSERT_EQ(HostDirect::lookup((Dir + "/link").c_str(), false, A), 0);
  EXPECT_TRUE(S_ISLNK(A.Mode));
  // A file used as a directory is for the server to answer.
  EXPECT_EQ(HostDirect::lookup((File + "/x").c_str(), true, A),
            HostDirect::AskServer);
}

TEST_F(HostDirectFiles, ReadlinkIsExactOnlyWithoutSymlinksOnTheWay) {
  char Text[64];
  // The last component's link, cut to the room as Linux cuts it.
  EXPECT_EQ(HostDirect::readlink((Dir + "/link").c_str(), Text, sizeof(Text)),
            4);
  EXPECT_EQ(std::string(Text, 4), "file");
  EXPECT_EQ(HostDirect::readlink((Dir + "/link").c_str(), Text, 2), 2);
  EXPECT_EQ(std::string(Text, 2), "fi");
  EXPECT_EQ(HostDirect::readlink((Dir + "/self").c_str(), Text, sizeof(Text)),
            1);
  // Not a link: EINVAL; missing: ENOENT; a link on the way: followLink's.
  EXPECT_EQ(HostDirect::readlink(File.c_str(), Text, sizeof(Text)), -EINVAL);
  EXPECT_EQ(HostDirect::readlink((Dir + "/sub").c_str(), Text, sizeof(Text)),
            -EINVAL);
  EXPECT_EQ(HostDirect::readlink((Dir + "/none").c_str(), Text, sizeof(Text)),
            -ENOENT);
  EXPECT_EQ(
      HostDirect::readlink((Dir + "/self/link").c_str(), Text, sizeof(Text)),
      -ELOOP);
  // '..' below a directory is the physical parent.
  EXPECT_EQ(
      HostDirect::readlink((Dir + "/sub/../link").c_str(), Text, sizeof(Text)),
      4);
  // A file used as a directory is for the server to answer.
  EXPECT_EQ(HostDirect::readlink((File + "/x").c_str(), Text, sizeof(Text)),
            HostDirect::AskServer);
}

TEST_F(HostDirectFiles, FollowLinkRestartsAsTheServerWould) {
  ASSERT_EQ(::mkdir((Dir + "/sub/deep").c_str(), 0755), 0);
  ASSERT_EQ(::symlink("/etc/k42-abs", (Dir + "/sub/abs").c_str()), 0);
  ASSERT_EQ(::symlink("../file", (Dir + "/sub/up").c_str()), 0);
  auto Follow = [&](const std::string &Rest) {
    // The mount: K42's /m is this host directory.
    std::string Host = Dir + "/" + Rest;
    char Path[4096], Next[4096];
    std::strcpy(Path, Host.c_str());
    long E = HostDirect::followLink(Path, Dir.size(), "/m", Next, sizeof(Next));
    EXPECT_STREQ(Path, Host.c_str()); // left as it was
    return E < 0 ? "ask: " + std::to_string(E) : std::string(Next);
  };
  // Relative: from the link's directory in the mount's K42 path.
  EXPECT_EQ(Follow("link"), "/m/file");
  EXPECT_EQ(Follow("self/sub/x"), "/m/./sub/x");
  EXPECT_EQ(Follow("sub/up"), "/m/sub/../file");
  // Absolute: from K42's root, the rest after it.
  EXPECT_EQ(Follow("sub/abs/more/"), "/etc/k42-abs/more/");
  // The first symlink only; none, or a file on the way: the server's.
  std::string Ask = "ask: " + std::to_string(HostDirect::AskServer);
  EXPECT_EQ(Follow("sub/deep"), Ask);
  EXPECT_EQ(Follow("file/x"), Ask);
  EXPECT_EQ(Follow("none/link"), Ask);
  // No room for the result.
  char Path[4096], Small[8];
  std::strcpy(Path, (Dir + "/sub/abs").c_str());
  EXPECT_EQ(
      HostDirect::followLink(Path, Dir.size(), "/m", Small, sizeof(Small)),
      HostDirect::AskServer);
}

TEST_F(HostDirectFiles, OpenTakesOnlyTheFileTheServerNamed) {
  fs::FileAttr Expect = attrOf(File);
  long Fd = HostDirect::open(File.c_str(), O_RDONLY | O_CLOEXEC, Expect);
  ASSERT_GE(Fd, 0);
  char Buf[8] = {};
  EXPECT_EQ(::pread(int(Fd), Buf, sizeof(Buf), 0), 5);
  EXPECT_STREQ(Buf, "hello");
  EXPECT_EQ(::fcntl(int(Fd), F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
  EXPECT_EQ(::fcntl(int(Fd), F_GETFL) & O_ACCMODE, O_RDONLY);
  ::close(int(Fd));
  // Another file at the path (replaced on the host since the server
  // answered): nothing is left open and the server is asked.
  fs::FileAttr Other = Expect;
  Other.Ino += 1;
  int Before = ::dup(0);
  ::close(Before);
  EXPECT_EQ(HostDirect::open(File.c_str(), O_RDONLY, Other),
            HostDirect::AskServer);
  int After = ::dup(0);
  ::close(After);
  EXPECT_EQ(After, Before);
  // Not a regular file.
  EXPECT_EQ(
      HostDirect::open((Dir + "/sub").c_str(), O_RDONLY, attrOf(Dir + "/sub")),
      HostDirect::AskServer);
}

/// The lowest free descriptor now: what a leak would move.
int lowestFree() {
  int Fd = ::dup(0);
  ::close(Fd);
  return Fd;
}

TEST_F(HostDirectFiles, OpenReadIsTheLookupAndTheOpenInOne) {
  int Before = lowestFree();
  fs::FileAttr A;
  long Fd = HostDirect::openRead(File.c_str(), O_RDONLY | O_CLOEXEC, A);
  ASSERT_GE(Fd, 0);
  EXPECT_EQ(Fd, Before);
  EXPECT_EQ(A.Ino, attrOf(File).Ino);
  EXPECT_EQ(A.Size, 5);
  char Buf[8] = {};
  EXPECT_EQ(::pread(int(Fd), Buf, sizeof(Buf), 0), 5);
  EXPECT_STREQ(Buf, "hello");
  // The program's flags exactly: the probe's O_NONBLOCK is gone, its
  // close-on-exec kept, as a native open of the same flags has them.
  int Native = ::open(File.c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(Native, 0);
  EXPECT_EQ(::fcntl(int(Fd), F_GETFL), ::fcntl(Native, F_GETFL));
  EXPECT_EQ(::fcntl(int(Fd), F_GETFL) & O_NONBLOCK, 0);
  EXPECT_EQ(::fcntl(int(Fd), F_GETFD), FD_CLOEXEC);
  ::close(Native);
  ::close(int(Fd));
  // Asked for: O_NONBLOCK and O_APPEND stay, close-on-exec was not.
  Fd = HostDirect::openRead(File.c_str(), O_RDONLY | O_NONBLOCK | O_APPEND, A);
  ASSERT_GE(Fd, 0);
  Native = ::open(File.c_str(), O_RDONLY | O_NONBLOCK | O_APPEND);
  ASSERT_GE(Native, 0);
  EXPECT_EQ(::fcntl(int(Fd), F_GETFL), ::fcntl(Native, F_GETFL));
  EXPECT_EQ(::fcntl(int(Fd), F_GETFD), 0);
  ::close(Native);
  ::close(int(Fd));
  // A directory: said so, with its attributes, nothing left open; with
  // O_DIRECTORY too.
  EXPECT_EQ(HostDirect::openRead((Dir + "/sub").c_str(), O_RDONLY, A),
            HostDirect::Directory);
  EXPECT_EQ(A.Ino, attrOf(Dir + "/sub").Ino);
  EXPECT_EQ(HostDirect::openRead((Dir + "/sub").c_str(),
                                 O_RDONLY | O_DIRECTORY | O_CLOEXEC, A),
            HostDirect::Directory);
  // Missing with no symlink on the way: exact.
  EXPECT_EQ(HostDirect::openRead((Dir + "/none").c_str(), O_RDONLY, A),
            -ENOENT);
  EXPECT_EQ(HostDirect::openRead((Dir + "/sub/none").c_str(), O_RDONLY, A),
            -ENOENT);
  // A symlink anywhere, the last component too: followLink's.
  EXPECT_EQ(HostDirect::openRead((Dir + "/link").c_str(), O_RDONLY, A), -ELOOP);
  EXPECT_EQ(HostDirect::openRead((Dir + "/self/file").c_str(), O_RDONLY, A),
            -ELOOP);
  // The server's to answer: a regular file where only a directory will
  // do, a file used as a directory.
  EXPECT_EQ(HostDirect::openRead(File.c_str(), O_RDONLY | O_DIRECTORY, A),
            HostDirect::AskServer);
  EXPECT_EQ(HostDirect::openRead((File + "/x").c_str(), O_RDONLY, A),
            HostDirect::AskServer);
  EXPECT_EQ(lowestFree(), Before);
}

TEST_F(HostDirectFiles, OpenReadOfAFifoNeitherBlocksNorKeepsIt) {
  // No writer: a plain open for reading would wait for one forever.
  std::string Fifo = Dir + "/fifo";
  ASSERT_EQ(::mkfifo(Fifo.c_str(), 0644), 0);
  int Before = lowestFree();
  fs::FileAttr A;
  EXPECT_EQ(HostDirect::openRead(Fifo.c_str(), O_RDONLY, A),
            HostDirect::AskServer);
  EXPECT_EQ(HostDirect::openRead(Fifo.c_str(), O_RDONLY | O_CLOEXEC, A),
            HostDirect::AskServer);
  EXPECT_EQ(lowestFree(), Before);
}

TEST_F(HostDirectFiles, RootIsCheckedAndNamedCanonically) {
  char Out[4096];
  ASSERT_EQ(HostDirect::rootOf((Dir + "/self").c_str(), attrOf(Dir), Out,
                               sizeof(Out)),
            0);
  char Real[4096];
  ASSERT_NE(::realpath(Dir.c_str(), Real), nullptr);
  EXPECT_STREQ(Out, Real);
  // A directory that is not the server's root.
  EXPECT_EQ(
      HostDirect::rootOf((Dir + "/sub").c_str(), attrOf(Dir), Out, sizeof(Out)),
      HostDirect::AskServer);
  EXPECT_EQ(HostDirect::rootOf((Dir + "/none").c_str(), attrOf(Dir), Out,
                               sizeof(Out)),
            HostDirect::AskServer);
  // No room for the name.
  EXPECT_EQ(HostDirect::rootOf(Dir.c_str(), attrOf(Dir), Out, 4),
            HostDirect::AskServer);
}

TEST_F(HostDirectFiles, SameRootIsWhatRootOfWouldSay) {
  char Real[4096];
  ASSERT_NE(::realpath(Dir.c_str(), Real), nullptr);
  std::string Mount = Dir + "/self";
  fs::FileAttr Root = attrOf(Dir);
  ASSERT_EQ(HostDirect::sameRoot(Mount.c_str(), Real, Root), 0);
  // A symlink to the root is not its name (rootOf's has none).
  std::string Through = std::string(Real) + "/self";
  EXPECT_EQ(HostDirect::sameRoot(Mount.c_str(), Through.c_str(), Root),
            HostDirect::AskServer);
  // Another directory, a file, a relative or missing name.
  std::string Other = std::string(Real) + "/sub";
  EXPECT_EQ(HostDirect::sameRoot(Mount.c_str(), Other.c_str(), Root),
            HostDirect::AskServer);
  std::string AFile = std::string(Real) + "/file";
  EXPECT_EQ(HostDirect::sameRoot(Mount.c_str(), AFile.c_str(), Root),
            HostDirect::AskServer);
  EXPECT_EQ(HostDirect::sameRoot(Mount.c_str(), "tmp", Root),
            HostDirect::AskServer);
  EXPECT_EQ(HostDirect::sameRoot(Mount.c_str(), "", Root),
            HostDirect::AskServer);
  // The mount's path led elsewhere since (a link that changed), or nowhere.
  ASSERT_EQ(::unlink(Mount.c_str()), 0);
  ASSERT_EQ(::symlink("sub", Mount.c_str()), 0);
  EXPECT_EQ(HostDirect::sameRoot(Mount.c_str(), Real, Root),
            HostDirect::AskServer);
  ASSERT_EQ(::unlink(Mount.c_str()), 0);
  EXPECT_EQ(HostDirect::sameRoot(Mount.c_str(), Real, Root),
            HostDirect::AskServer);
  // The root itself.
  EXPECT_EQ(HostDirect::sameRoot("/", "/", attrOf("/")), 0);
}

} // namespace
