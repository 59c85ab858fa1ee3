//===- test/unit/HostFileSystemTest.cpp - hostfs stays inside ROOT --------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// hostfs over a scratch host directory, beside a "secret" file outside
/// ROOT: no '..', relative or absolute symlink, or trailing trick reaches
/// the secret (each either fails or is handed back to the client as a
/// restart); a read-only hostfs refuses every change with EROFS; reads and
/// directory listings match the host.
///
//===----------------------------------------------------------------------===//

#include "HostFileSystem.h"
#include "File.k42.h"
#include "FileSystem.k42.h"
#include "OpenFileTable.h"

#include <k42/ipc/InProcTransport.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <set>
#include <unistd.h>

using namespace k42;
using namespace k42::fs;
using k42::hostfs::HostFileSystem;
namespace stdfs = std::filesystem;

namespace {

/// An open's bytes (WalkData): asked for only where a test says so.
std::vector<uint8_t> OpenData;

class HostFileSystemTest : public ::testing::Test {
protected:
  void SetUp() override {
    char Template[] = "/tmp/k42-hostfs-XXXXXX";
    ASSERT_NE(mkdtemp(Template), nullptr);
    Scratch = Template;
    Root = Scratch + "/root";
    stdfs::create_directories(Root + "/sub/deep");
    std::ofstream(Scratch + "/secret") << "SECRET";
    std::ofstream(Root + "/sub/file") << "inside";
    stdfs::create_symlink("../../secret", Root + "/sub/esc");
    stdfs::create_symlink("/etc/passwd", Root + "/abs");
    stdfs::create_symlink("sub/file", Root + "/good");
    stdfs::create_symlink("..", Root + "/up");
  }
  void TearDown() override { stdfs::remove_all(Scratch); }

  /// A hostfs over Root, read-only or not, for badge uid 0.
  struct Served {
    Served(const std::string &Root, bool ReadOnly)
        : Files(Via.handles()),
          Fs(std::move(*HostFileSystem::create(Files, Root, ReadOnly))), X(*Fs),
          Stub(*StubFileSystem::bind(
              Via, *Via.exportObject(X, MetaFileSystem::Rights::all))) {}
    /// Opens \p Path and reads it whole; "restart: <path>" for a restart.
    std::string read(std::string_view Path, Status &S) {
      ObjectHandle H;
      FileAttr A;
      std::string Restart;
      S = Stub.open(Path, O_RDONLY, 0, WalkSealed, H, A, OpenData, Restart);
      if (!S)
        return "";
      if (S.value() != Done)
        return "restart: " + Restart;
      StubFile F = *StubFile::bind(Via, H);
      std::vector<uint8_t> D;
      S = F.pread(0, 1000, D);
      (void)F.close();
      return std::string(D.begin(), D.end());
    }
    InProcTransport Via;
    OpenFileTable Files;
    std::unique_ptr<HostFileSystem> Fs;
    XFileSystem X;
    StubFileSystem Stub;
  };

  std::string Scratch, Root;
};

TEST_F(HostFileSystemTest, NoPathReachesOutsideRoot) {
  Served H(Root, /*ReadOnly=*/true);
  Status S;
  EXPECT_EQ(H.read("sub/file", S), "inside");
  EXPECT_EQ(H.read("good", S), "inside");
  EXPECT_EQ(H.read("sub/deep/../../sub/./file", S), "inside");
  // Every way out comes back as a restart in K42's name space, never as
  // the host file beside ROOT.
  for (const char *Escape :
       {"../secret", "sub/../../secret", "sub/esc", "sub/deep/../esc",
        "up/secret", "up/root/sub/file", "abs"}) {
    std::string Got = H.read(Escape, S);
    EXPECT_TRUE(S.isOk()) << Escape;
    EXPECT_EQ(Got.find("SECRET"), std::string::npos) << Escape;
    EXPECT_EQ(Got.rfind("restart: ", 0), 0u) << Escape << " -> " << Got;
  }
  std::string Restart;
  FileAttr A;
  ObjectHandle Handle;
  EXPECT_EQ(H.Stub.stat("sub/esc", WalkSealed, A, Restart).value(),
            RestartFirst);
  EXPECT_EQ(Restart, "../secret");
  EXPECT_EQ(H.Stub.stat("abs", WalkSealed, A, Restart).value(), RestartFirst);
  EXPECT_EQ(Restart, "/etc/passwd");
  // Without following, the link itself is inside and may be read.
  ASSERT_TRUE(H.Stub.stat("sub/esc", WalkSealed | WalkNoFollow, A, Restart));
  EXPECT_TRUE(S_ISLNK(A.Mode));
  std::string Target;
  ASSERT_TRUE(H.Stub.readlink("sub/esc", WalkSealed, Target, Restart));
  EXPECT_EQ(Target, "../../secret");
  EXPECT_EQ(H.Stub
                .open("sub/esc", O_RDONLY | O_NOFOLLOW, 0, WalkSealed, Handle,
                      A, OpenData, Restart)
                .errorCode(),
            ELOOP);
  // Names that are not one component never reach openat.
  EXPECT_EQ(H.Stub.stat(std::string("sub\0file", 8), WalkSealed, A, Restart)
                .errorCode(),
            EINVAL);
  EXPECT_EQ(H.Stub.stat("sub/" + std::string(300, 'x'), WalkSealed, A, Restart)
                .errorCode(),
            ENAMETOOLONG);
  EXPECT_EQ(H.Stub.stat("nothing", WalkSealed, A, Restart).errorCode(), ENOENT);
}

TEST_F(HostFileSystemTest, ReadOnlyRefusesEveryChange) {
  Served H(Root, /*ReadOnly=*/true);
  std::string Restart;
  ObjectHandle Handle;
  FileAttr A;
  auto Err = [](Status S) { return S ? 0 : S.errorCode(); };
  EXPECT_EQ(Err(H.Stub.open("sub/file", O_WRONLY, 0, WalkSealed, Handle, A,
                            OpenData, Restart)),
            EROFS);
  // A directory opened for writing is EISDIR before EROFS, as on Linux.
  EXPECT_EQ(Err(H.Stub.open("sub", O_WRONLY, 0, WalkSealed, Handle, A, OpenData,
                            Restart)),
            EISDIR);
  EXPECT_EQ(Err(H.Stub.open("new", O_RDONLY | O_CREAT, 0644, WalkSealed, Handle,
                            A, OpenData, Restart)),
            EROFS);
  EXPECT_EQ(Err(H.Stub.mkdir("d", 0755, WalkSealed, Restart)), EROFS);
  EXPECT_EQ(Err(H.Stub.unlink("sub/file", WalkSealed, Restart)), EROFS);
  EXPECT_EQ(Err(H.Stub.rmdir("sub/deep", WalkSealed, Restart)), EROFS);
  EXPECT_EQ(Err(H.Stub.rename("sub/file", "x", 0, WalkSealed, Restart)), EROFS);
  EXPECT_EQ(Err(H.Stub.symlink("t", "l", WalkSealed, Restart)), EROFS);
  EXPECT_EQ(Err(H.Stub.chmod("sub/file", 0777, WalkSealed, Restart)), EROFS);
  EXPECT_EQ(Err(H.Stub.truncate("sub/file", 0, WalkSealed, Restart)), EROFS);
  EXPECT_TRUE(stdfs::exists(Root + "/sub/file"));
  EXPECT_FALSE(stdfs::exists(Root + "/d"));
  EXPECT_EQ(stdfs::file_size(Root + "/sub/file"), 6u);
}

TEST_F(HostFileSystemTest, WritableWritesInsideAndListsLikeTheHost) {
  Served H(Root, /*ReadOnly=*/false);
  std::string Restart;
  ObjectHandle Handle;
  FileAttr A;
  ASSERT_TRUE(H.Stub.mkdir("made", 0755, WalkSealed, Restart));
  ASSERT_TRUE(H.Stub.open("made/f", O_WRONLY | O_CREAT | O_TRUNC, 0644,
                          WalkSealed, Handle, A, OpenData, Restart));
  StubFile F = *StubFile::bind(H.Via, Handle);
  const uint8_t Text[] = {'h', 'i'};
  uint64_t End;
  ASSERT_TRUE(F.pwrite(0, Text, 0, End));
  ASSERT_TRUE(F.close());
  std::ifstream In(Root + "/made/f");
  std::string Got;
  In >> Got;
  EXPECT_EQ(Got, "hi");
  // A create through an escaping symlink is handed back, not done outside.
  Status S = H.Stub.open("sub/esc", O_WRONLY | O_CREAT, 0644, WalkSealed,
                         Handle, A, OpenData, Restart);
  EXPECT_EQ(S.value(), RestartFirst);
  std::ifstream Secret(Scratch + "/secret");
  Secret >> Got;
  EXPECT_EQ(Got, "SECRET");
  // readdir gives what the host has.
  ASSERT_TRUE(H.Stub.open("sub", O_RDONLY | O_DIRECTORY, 0, WalkSealed, Handle,
                          A, OpenData, Restart));
  StubFile Dir = *StubFile::bind(H.Via, Handle);
  std::set<std::string> Names;
  for (uint64_t Cookie = 0;;) {
    std::vector<uint8_t> Buf;
    uint64_t Next;
    S = Dir.readdir(Cookie, 64, Buf, Next);
    ASSERT_TRUE(S);
    if (S.value() == 0)
      break;
    for (size_t At = 0; At < Buf.size();) {
      uint16_t Len;
      std::memcpy(&Len, &Buf[At + 16], 2);
      Names.insert(reinterpret_cast<char *>(&Buf[At + 19]));
      At += Len;
    }
    Cookie = Next;
  }
  EXPECT_EQ(Names, (std::set<std::string>{".", "..", "deep", "esc", "file"}));
}

TEST_F(HostFileSystemTest, RefusesEveryLease) {
  // The host may change its files behind hostfs: no client may hold one as
  // its own copy (servers/fs/README.md, leases).
  Served H(Root, /*ReadOnly=*/false);
  ObjectHandle Handle;
  FileAttr A;
  A.Lease = 7;
  std::string Restart;
  Status S = H.Stub.open("sub/file", O_RDWR | O_TRUNC, 0,
                         WalkSealed | WalkLease, Handle, A, OpenData, Restart);
  ASSERT_TRUE(S && S.value() == Done);
  EXPECT_TRUE(S_ISREG(A.Mode));
  EXPECT_EQ(A.Lease, 0u);
}

TEST_F(HostFileSystemTest, NoHandleForAClientThatReadsTheHostFile) {
  // WalkNoHandle: a read-only mount authorises and names a regular file
  // (the walk's stat) and keeps nothing for it; anything else is an
  // ordinary open.
  Served H(Root, /*ReadOnly=*/true);
  ObjectHandle Handle;
  FileAttr A;
  std::string Restart;
  Status S = H.Stub.open("good", O_RDONLY, 0, WalkSealed | WalkNoHandle, Handle,
                         A, OpenData, Restart);
  ASSERT_TRUE(S && S.value() == Done);
  EXPECT_FALSE(Handle.isValid());
  struct stat St;
  ASSERT_EQ(::stat((Root + "/sub/file").c_str(), &St), 0);
  EXPECT_EQ(A.Ino, St.st_ino);
  EXPECT_EQ(A.Dev, St.st_dev);
  EXPECT_EQ(A.Size, 6);
  // Still every check of an open: a missing file, a change, a way out.
  EXPECT_EQ(H.Stub
                .open("none", O_RDONLY, 0, WalkSealed | WalkNoHandle, Handle, A,
                      OpenData, Restart)
                .errorCode(),
            ENOENT);
  EXPECT_EQ(H.Stub
                .open("sub/file", O_RDWR, 0, WalkSealed | WalkNoHandle, Handle,
                      A, OpenData, Restart)
                .errorCode(),
            EROFS);
  S = H.Stub.open("sub/esc", O_RDONLY, 0, WalkSealed | WalkNoHandle, Handle, A,
                  OpenData, Restart);
  ASSERT_TRUE(S);
  EXPECT_EQ(S.value(), RestartFirst);
  // A directory gets a handle.
  ASSERT_TRUE(H.Stub.open("sub", O_RDONLY, 0, WalkSealed | WalkNoHandle, Handle,
                          A, OpenData, Restart));
  EXPECT_TRUE(Handle.isValid());
  // A writable mount makes a handle: its files may change under a copy.
  Served W(Root, /*ReadOnly=*/false);
  ASSERT_TRUE(W.Stub.open("sub/file", O_RDONLY, 0, WalkSealed | WalkNoHandle,
                          Handle, A, OpenData, Restart));
  EXPECT_TRUE(Handle.isValid());
}

} // namespace
