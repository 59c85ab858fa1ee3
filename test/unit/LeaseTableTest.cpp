//===- test/unit/LeaseTableTest.cpp - ramfs single-client leases ----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// ramfs's leases (paper 4.5): granted only to a lone client that asks,
/// refused while another client has the file open, revoked (the holder
/// told before the conflicting call returns) by another client's open,
/// truncate, unlink or rename, never by the holder's own calls, and gone
/// with the holder's last open or the holder itself. First the table, then
/// the same through RamFileSystem's calls with two badges.
///
//===----------------------------------------------------------------------===//

#include "LeaseTable.h"
#include "File.k42.h"
#include "RamFileSystem.h"

#include <k42/ipc/InProcTransport.h>

#include <gtest/gtest.h>

#include <fcntl.h>
#include <map>
#include <string>
#include <vector>

using namespace k42;
using namespace k42::fs;
using namespace k42::ramfs;

namespace {

/// An open's bytes (WalkData): asked for only where a test says so.
std::vector<uint8_t> OpenData;

const Badge A{10, 0, 0, 1};
const Badge B{20, 0, 0, 3};

/// A table that records whom it told, and of which lease.
struct Told {
  std::vector<std::pair<ProcessId, uint32_t>> Notes;
  LeaseTable Table{[this](const Badge &Holder, uint32_t Lease) {
    Notes.emplace_back(Holder.Pid, Lease);
    return true;
  }};
};

TEST(LeaseTableTest, GrantedToALoneClientAndRefusedWithAnother) {
  Told T;
  uint32_t L = T.Table.opened(1, A, true);
  EXPECT_NE(L, 0u);
  EXPECT_EQ(T.Table.lease(1), L);
  // The holder's own second open (or a program after its exec) keeps it.
  EXPECT_EQ(T.Table.opened(1, A, true), L);
  EXPECT_EQ(T.Table.opened(1, A, false), 0u);
  EXPECT_EQ(T.Table.lease(1), L);
  EXPECT_TRUE(T.Notes.empty());
  // Another file, already open by B: A is refused.
  EXPECT_EQ(T.Table.opened(2, B, false), 0u);
  EXPECT_EQ(T.Table.opened(2, A, true), 0u);
  EXPECT_EQ(T.Table.lease(2), 0u);
  EXPECT_EQ(T.Table.openers(2), 2u);
  // Nobody asked for one: none.
  EXPECT_EQ(T.Table.opened(3, A, false), 0u);
  EXPECT_EQ(T.Table.lease(3), 0u);
}

// An O_PATH open (a shell's current directory, held so) reads and writes
// nothing: it neither revokes a lease nor keeps one from being granted,
// but its process is told of renames like any opener's.
TEST(LeaseTableTest, AnOPathOpenIsToldOfRenamesButLeavesLeasesAlone) {
  Told T;
  EXPECT_EQ(T.Table.opened(1, B, false, /*PathOnly=*/true), 0u);
  uint32_t L = T.Table.opened(1, A, true);
  EXPECT_NE(L, 0u) << "granted beside an O_PATH open";
  EXPECT_EQ(T.Table.opened(1, B, false, /*PathOnly=*/true), 0u);
  EXPECT_EQ(T.Table.lease(1), L) << "and not revoked by one";
  EXPECT_TRUE(T.Notes.empty());
  EXPECT_EQ(T.Table.openers(1), 2u);
  std::vector<ProcessId> Told;
  T.Table.tellOpeners(1, Told);
  EXPECT_EQ(Told.size(), 2u);
  EXPECT_EQ(T.Table.lease(1), 0u) << "a told holder's lease goes";
  T.Table.closed(1, B.Pid, true);
  T.Table.closed(1, B.Pid, true);
  EXPECT_EQ(T.Table.openers(1), 1u);
  T.Table.closed(1, A.Pid);
  EXPECT_EQ(T.Table.openers(1), 0u);
}

TEST(LeaseTableTest, AnotherClientsOpenRevokesBeforeItReturns) {
  Told T;
  uint32_t L = T.Table.opened(1, A, true);
  ASSERT_NE(L, 0u);
  // B asks for one too: A's is revoked and B, not alone, gets none.
  EXPECT_EQ(T.Table.opened(1, B, true), 0u);
  ASSERT_EQ(T.Notes.size(), 1u);
  EXPECT_EQ(T.Notes[0], std::make_pair(A.Pid, L));
  EXPECT_EQ(T.Table.lease(1), 0u);
  EXPECT_EQ(T.Table.revocations(), 1u);
  // Nothing left to revoke: a third open tells nobody.
  EXPECT_EQ(T.Table.opened(1, Badge{30, 0, 0, 1}, false), 0u);
  EXPECT_EQ(T.Notes.size(), 1u);
}

TEST(LeaseTableTest, ChangesByPathRevokeOnlyForAnotherClient) {
  Told T;
  uint32_t L = T.Table.opened(1, A, true);
  ASSERT_NE(L, 0u);
  T.Table.changed(1, A); // The holder's own truncate, rename, unlink.
  EXPECT_TRUE(T.Notes.empty());
  EXPECT_EQ(T.Table.lease(1), L);
  T.Table.changed(1, B);
  ASSERT_EQ(T.Notes.size(), 1u);
  EXPECT_EQ(T.Notes[0], std::make_pair(A.Pid, L));
  EXPECT_EQ(T.Table.lease(1), 0u);
  T.Table.changed(1, B);
  T.Table.changed(99, B); // A file nobody has open.
  EXPECT_EQ(T.Notes.size(), 1u);
}

TEST(LeaseTableTest, AMappedFileLosesItsLeaseWhoeverHoldsIt) {
  Told T;
  T.Table.revoke(1); // Nobody has it open.
  uint32_t L = T.Table.opened(1, A, true);
  ASSERT_NE(L, 0u);
  // Stores through a mapping never pass the server: even the holder's
  // own copy goes.
  T.Table.revoke(1);
  ASSERT_EQ(T.Notes.size(), 1u);
  EXPECT_EQ(T.Notes[0], std::make_pair(A.Pid, L));
  EXPECT_EQ(T.Table.lease(1), 0u);
  T.Table.revoke(1);
  EXPECT_EQ(T.Notes.size(), 1u);
  EXPECT_EQ(T.Table.revocations(), 1u);
}

TEST(LeaseTableTest, GoesWithTheHoldersLastOpenAndWithTheHolder) {
  Told T;
  uint32_t L = T.Table.opened(1, A, true);
  ASSERT_EQ(T.Table.opened(1, A, false), 0u);
  T.Table.closed(1, A.Pid);
  EXPECT_EQ(T.Table.lease(1), L); // One open left.
  T.Table.closed(1, A.Pid);
  EXPECT_EQ(T.Table.lease(1), 0u);
  EXPECT_EQ(T.Table.openers(1), 0u);
  // The holder dies holding two files; B then opens without a revocation
  // and may have the lease itself.
  ASSERT_NE(T.Table.opened(1, A, true), 0u);
  ASSERT_NE(T.Table.opened(2, A, true), 0u);
  T.Table.forget(A.Pid);
  EXPECT_EQ(T.Table.lease(1), 0u);
  EXPECT_EQ(T.Table.lease(2), 0u);
  EXPECT_NE(T.Table.opened(1, B, true), 0u);
  EXPECT_TRUE(T.Notes.empty());
  // A close that arrives after forget changes nothing.
  T.Table.closed(1, A.Pid);
  EXPECT_EQ(T.Table.openers(1), 1u);
}

TEST(LeaseTableTest, AHolderThatCannotBeToldLosesItAnyway) {
  LeaseTable Table([](const Badge &, uint32_t) { return false; });
  ASSERT_NE(Table.opened(1, A, true), 0u);
  EXPECT_EQ(Table.opened(1, B, false), 0u);
  EXPECT_EQ(Table.lease(1), 0u);
  EXPECT_EQ(Table.revocations(), 1u);
}

/// ramfs with the open-file table's notifications counted per process.
struct Ram {
  Ram() : Files(Via.handles()), Fs(Files) {
    Files.setNotify([this](const Badge &To) {
      ++Told[To.Pid];
      return true;
    });
  }
  /// Opens \p Path for \p Who; the lease granted (0 for none).
  uint32_t open(const Badge &Who, uint32_t Flags, uint32_t Walk = WalkLease,
                std::string_view Path = "f") {
    ObjectHandle H;
    FileAttr Attr;
    std::string Restart;
    Status S = Fs.open(Who, Path, Flags | O_CREAT, 0644, WalkSealed | Walk, H,
                       Attr, OpenData, Restart);
    EXPECT_TRUE(S && S.value() == Done) << S.message();
    Ino = Attr.Ino;
    return Attr.Lease;
  }

  InProcTransport Via{Badge{}};
  OpenFileTable Files;
  RamFileSystem Fs;
  std::map<ProcessId, int> Told;
  uint64_t Ino = 0;
  std::string Restart;
};

TEST(RamfsLeaseTest, OpenForAnotherClientRevokesTheHoldersLease) {
  Ram R;
  uint32_t L = R.open(A, O_RDWR | O_TRUNC);
  ASSERT_NE(L, 0u);
  EXPECT_EQ(R.open(A, O_RDWR | O_TRUNC), L)
      << "the holder's own open keeps its lease";
  EXPECT_EQ(R.Fs.leases().lease(R.Ino), L);
  EXPECT_EQ(R.Told[A.Pid], 0);
  // A read-only open by B revokes A's lease before it is answered.
  EXPECT_EQ(R.open(B, O_RDONLY, 0), 0u);
  EXPECT_EQ(R.Told[A.Pid], 1);
  EXPECT_EQ(R.Fs.leases().lease(R.Ino), 0u);
  // With B's open still there, A is refused a new one.
  EXPECT_EQ(R.open(A, O_RDWR | O_TRUNC), 0u);
  EXPECT_EQ(R.Told[B.Pid], 0);
}

TEST(RamfsLeaseTest, ClientsThatAskGetOneReadersOfDirectoriesToo) {
  Ram R;
  // A reader's lease: its client answers fstat from the open's attributes.
  EXPECT_NE(R.open(A, O_RDONLY), 0u);
  EXPECT_EQ(R.open(A, O_RDWR, 0), 0u) << "not asked for";
  ASSERT_TRUE(R.Fs.mkdir(A, "d", 0755, WalkSealed, R.Restart));
  ObjectHandle H;
  FileAttr Attr;
  ASSERT_TRUE(R.Fs.open(A, "d", O_RDONLY, 0, WalkSealed | WalkLease, H, Attr,
                        OpenData, R.Restart));
  EXPECT_NE(Attr.Lease, 0u);
  // A second client opening the file takes it away and gets none.
  EXPECT_EQ(R.open(B, O_RDONLY), 0u);
  EXPECT_EQ(R.Told[A.Pid], 1);
}

TEST(RamfsLeaseTest, ASmallFileComesWholeWithItsOnlyReadersOpen) {
  Ram R;
  ObjectHandle H;
  FileAttr Attr;
  std::vector<uint8_t> Data;
  auto Open = [&](const Badge &Who, uint32_t Flags, uint32_t Walk,
                  std::string_view Path = "f") {
    Data.assign(3, 'x'); // an answer without bytes empties it
    EXPECT_TRUE(R.Fs.open(Who, Path, Flags, 0644, WalkSealed | Walk, H, Attr,
                          Data, R.Restart));
    return std::string(Data.begin(), Data.end());
  };
  // Written by A, closed with the handle's end (the table forgets A).
  EXPECT_EQ(Open(A, O_WRONLY | O_CREAT | O_TRUNC, WalkLease | WalkData), "")
      << "a writer gets no bytes";
  ASSERT_TRUE(R.Fs.truncate(A, "f", 5, WalkSealed, R.Restart));
  R.Files.forget(A.Pid);
  // The access time is older than the modification time: a read moves it.
  ASSERT_TRUE(
      R.Fs.utimens(A, "f", FileTimes{1, 0, 2, 0}, WalkSealed, R.Restart));
  EXPECT_EQ(Open(B, O_RDONLY, WalkLease), "") << "not asked for";
  R.Files.forget(B.Pid);
  EXPECT_EQ(Open(B, O_RDONLY, WalkLease | WalkData), std::string(5, '\0'));
  EXPECT_NE(Attr.Lease, 0u);
  EXPECT_GT(Attr.AtimeSec, 2) << "the bytes are read";
  // Another reader takes the lease away and gets no bytes.
  EXPECT_EQ(Open(A, O_RDONLY, WalkLease | WalkData), "");
  EXPECT_EQ(Attr.Lease, 0u);
  R.Files.forget(A.Pid);
  R.Files.forget(B.Pid);
  // Nor does a file larger than OpenDataMax.
  ASSERT_TRUE(R.Fs.truncate(A, "f", OpenDataMax + 1, WalkSealed, R.Restart));
  EXPECT_EQ(Open(B, O_RDONLY, WalkLease | WalkData), "");
  EXPECT_NE(Attr.Lease, 0u);
}

TEST(RamfsLeaseTest, ChangesOfAReadersAttributesByAnotherClientRevoke) {
  Ram R;
  auto Leased = [&](const char *Path) {
    ObjectHandle H;
    FileAttr Attr;
    EXPECT_TRUE(R.Fs.open(A, Path, O_RDONLY, 0, WalkSealed | WalkLease, H, Attr,
                          OpenData, R.Restart));
    return Attr.Lease;
  };
  (void)R.open(A, O_RDWR | O_TRUNC, 0); // makes "f", not leased
  ASSERT_NE(Leased("f"), 0u);
  // The holder's own changes keep it (its client accounts for them).
  ASSERT_TRUE(R.Fs.chmod(A, "f", 0600, WalkSealed, R.Restart));
  EXPECT_EQ(R.Told[A.Pid], 0);
  int Told = 0;
  ASSERT_TRUE(R.Fs.chmod(B, "f", 0644, WalkSealed, R.Restart));
  EXPECT_EQ(R.Told[A.Pid], ++Told) << "chmod";
  ASSERT_NE(Leased("f"), 0u);
  FileTimes Now{};
  Now.AtimeNsec = Now.MtimeNsec = UTIME_NOW;
  ASSERT_TRUE(R.Fs.utimens(B, "f", Now, WalkSealed, R.Restart));
  EXPECT_EQ(R.Told[A.Pid], ++Told) << "utimens";
  ASSERT_NE(Leased("f"), 0u);
  ASSERT_TRUE(R.Fs.link(B, "f", "f2", WalkSealed, R.Restart));
  EXPECT_EQ(R.Told[A.Pid], ++Told) << "link";
  ASSERT_NE(Leased("f"), 0u);
  ASSERT_TRUE(R.Fs.chown(B, "f", NoOwner, NoOwner, WalkSealed, R.Restart));
  EXPECT_EQ(R.Told[A.Pid], ++Told) << "chown";
  // A directory's entries are its attributes: making, removing or
  // renaming one in it revokes a reader's lease on it.
  ASSERT_TRUE(R.Fs.mkdir(A, "d", 0777, WalkSealed, R.Restart));
  ASSERT_NE(Leased("d"), 0u);
  ASSERT_TRUE(R.Fs.mkdir(B, "d/sub", 0755, WalkSealed, R.Restart));
  EXPECT_EQ(R.Told[A.Pid], ++Told) << "mkdir in it";
  ASSERT_NE(Leased("d"), 0u);
  ASSERT_TRUE(R.Fs.rename(B, "d/sub", "d/sub2", 0, WalkSealed, R.Restart));
  EXPECT_EQ(R.Told[A.Pid], ++Told) << "rename in it";
  ASSERT_NE(Leased("d"), 0u);
  ASSERT_TRUE(R.Fs.rmdir(B, "d/sub2", WalkSealed, R.Restart));
  EXPECT_EQ(R.Told[A.Pid], ++Told) << "rmdir in it";
  EXPECT_EQ(R.Told[B.Pid], 0);
}

TEST(RamfsLeaseTest, TruncateUnlinkAndRenameByAnotherClientRevoke) {
  Ram R;
  ASSERT_NE(R.open(A, O_RDWR | O_TRUNC), 0u);
  ASSERT_TRUE(R.Fs.truncate(A, "f", 3, WalkSealed, R.Restart));
  EXPECT_EQ(R.Told[A.Pid], 0) << "the holder's own truncate";
  ASSERT_TRUE(R.Fs.truncate(B, "f", 1, WalkSealed, R.Restart));
  EXPECT_EQ(R.Told[A.Pid], 1);

  ASSERT_NE(R.open(A, O_RDWR | O_TRUNC, WalkLease, "g"), 0u);
  ASSERT_TRUE(R.Fs.rename(B, "g", "h", 0, WalkSealed, R.Restart));
  EXPECT_EQ(R.Told[A.Pid], 2);

  // Renamed over: the file replaced loses its lease too.
  ASSERT_NE(R.open(A, O_RDWR | O_TRUNC, WalkLease, "k"), 0u);
  ASSERT_TRUE(R.Fs.rename(B, "h", "k", 0, WalkSealed, R.Restart));
  EXPECT_EQ(R.Told[A.Pid], 3);

  ASSERT_NE(R.open(A, O_RDWR | O_TRUNC, WalkLease, "u"), 0u);
  ASSERT_TRUE(R.Fs.unlink(B, "u", WalkSealed, R.Restart));
  EXPECT_EQ(R.Told[A.Pid], 4);
  EXPECT_EQ(R.Told[B.Pid], 0);
}

TEST(RamfsLeaseTest, MappingRevokesTheLeaseAndNoneIsGrantedAfter) {
  Ram R;
  // The holder is the transport's own client, so that it may call its
  // handle.
  const Badge Own{};
  ObjectHandle H;
  FileAttr Attr;
  ASSERT_TRUE(R.Fs.open(Own, "f", O_RDWR | O_CREAT | O_TRUNC, 0644,
                        WalkSealed | WalkLease, H, Attr, OpenData, R.Restart));
  ASSERT_NE(Attr.Lease, 0u);
  Result<StubFile> F = StubFile::bind(R.Via, H);
  ASSERT_TRUE(F);
  int32_t Fd = -1;
  uint64_t MemIno = 0;
  ASSERT_TRUE(F->memory(Fd, MemIno));
  EXPECT_GE(Fd, 0);
  EXPECT_NE(MemIno, 0u);
  // The holder itself is told: its copy would miss stores through the map.
  EXPECT_EQ(R.Told[Own.Pid], 1);
  EXPECT_EQ(R.Fs.leases().lease(Attr.Ino), 0u);
  // Its bytes stay in the memfd: no lease for anyone from now on.
  EXPECT_EQ(R.open(Own, O_RDWR | O_TRUNC), 0u);
  R.Files.forget(Own.Pid);
  EXPECT_EQ(R.Fs.leases().openers(Attr.Ino), 0u);
  EXPECT_EQ(R.open(B, O_RDWR | O_TRUNC), 0u)
      << "B is alone, yet the file is mapped";
  // A file never mapped is still leased.
  EXPECT_NE(R.open(B, O_RDWR | O_TRUNC, WalkLease, "g"), 0u);
}

TEST(RamfsLeaseTest, AGoneHoldersLeaseIsDroppedWithItsFiles) {
  Ram R;
  ASSERT_NE(R.open(A, O_RDWR | O_TRUNC), 0u);
  // What the server does when the kernel says A is gone (OnGone).
  R.Files.forget(A.Pid);
  EXPECT_EQ(R.Fs.leases().lease(R.Ino), 0u);
  EXPECT_EQ(R.Fs.leases().openers(R.Ino), 0u);
  // B is answered at once, told nothing, and may hold the lease itself.
  EXPECT_NE(R.open(B, O_RDWR | O_TRUNC), 0u);
  EXPECT_EQ(R.Told[A.Pid], 0);
}

} // namespace

namespace {

// A descriptor's file by its open's key (FileSystem::reopen): another
// process reaches the very file the open found, renamed and unlinked
// since, with the open's access, and more only where the file's mode
// allows it the caller (a /proc/self/fd link opened for another access,
// as Linux allows); a key nobody was given is ESTALE, and a key goes with
// the last open file made with it.
TEST(RamfsReopenTest, AnOpensKeyReachesItsFileAfterRenameAndUnlink) {
  Ram R;
  ObjectHandle H;
  FileAttr Attr;
  std::vector<uint8_t> Data;
  std::string Restart;
  ASSERT_TRUE(R.Fs.open(A, "f", O_RDONLY | O_CREAT, 0644, WalkSealed, H, Attr,
                        Data, Restart));
  uint64_t Key = Attr.OpenKey, Ino = Attr.Ino;
  ASSERT_NE(Key, 0u);
  ASSERT_TRUE(R.Fs.rename(A, "f", "g", 0, WalkSealed, Restart));
  ASSERT_TRUE(R.Fs.unlink(A, "g", WalkSealed, Restart));
  ObjectHandle H2, H3;
  FileAttr A2, A3;
  ASSERT_TRUE(R.Fs.reopen(B, Key, O_RDONLY, H2, A2));
  EXPECT_EQ(A2.Ino, Ino) << "the file the open found";
  EXPECT_EQ(A2.Nlink, 0u) << "unlinked";
  EXPECT_EQ(A2.OpenKey, Key);
  EXPECT_TRUE(R.Fs.reopen(B, Key, O_PATH, H3, A3)) << "O_PATH asks nothing";
  EXPECT_TRUE(R.Fs.reopen(B, Key, O_RDWR, H3, A3))
      << "more than the open's access: root's, by the file's mode";
  const Badge Other{40, 1000, 1000, 5};
  Status More = R.Fs.reopen(Other, Key, O_RDWR, H3, A3);
  EXPECT_FALSE(More);
  EXPECT_EQ(More.errorCode(), EACCES) << "0644 root's: no write for 1000";
  EXPECT_TRUE(R.Fs.reopen(Other, Key, O_RDONLY, H3, A3)) << "the open's own";
  Status Unknown = R.Fs.reopen(B, Key ^ 1, O_RDONLY, H3, A3);
  EXPECT_EQ(Unknown.errorCode(), ESTALE);
  // The first opener gone, the reopens hold the key; with them gone too,
  // the key is.
  R.Files.forget(Other.Pid);
  R.Files.forget(A.Pid);
  EXPECT_EQ(R.Fs.openKeys().size(), 1u);
  ASSERT_TRUE(R.Fs.reopen(A, Key, O_RDONLY, H3, A3));
  R.Files.forget(A.Pid);
  R.Files.forget(B.Pid);
  EXPECT_EQ(R.Fs.openKeys().size(), 0u);
  EXPECT_EQ(R.Fs.reopen(B, Key, O_RDONLY, H3, A3).errorCode(), ESTALE);
  // Every open has a key of its own.
  ASSERT_TRUE(R.Fs.open(A, "h", O_RDWR | O_CREAT, 0644, WalkSealed, H, Attr,
                        Data, Restart));
  uint64_t First = Attr.OpenKey;
  ASSERT_TRUE(R.Fs.open(A, "h", O_RDWR, 0, WalkSealed, H, Attr, Data, Restart));
  EXPECT_NE(Attr.OpenKey, First);
}

} // namespace

namespace {
// A directory moved, itself or with one above it: every process holding
// one of the moved directories open is told once, before the rename
// returns, and File::path says where its directory is now (a client's
// descriptor then follows it, as a Linux dentry does); a file's is the
// name it was opened by, followed the same way; a removed one's is gone.
TEST(RamfsDirPathTest, AMovedDirectorysHoldersAreToldAndItsPathFollows) {
  Ram R;
  ASSERT_TRUE(R.Fs.mkdir(A, "d", 0755, WalkSealed, R.Restart));
  ASSERT_TRUE(R.Fs.mkdir(A, "d/e", 0755, WalkSealed, R.Restart));
  ASSERT_TRUE(R.Fs.mkdir(A, "other", 0755, WalkSealed, R.Restart));
  // The transport's own client holds d/e (so that it may call it), B d,
  // and A only the unmoved folder.
  const Badge Own{};
  ObjectHandle Deep, Top, Else;
  FileAttr Attr;
  ASSERT_TRUE(R.Fs.open(Own, "d/e", O_RDONLY | O_DIRECTORY, 0, WalkSealed, Deep,
                        Attr, OpenData, R.Restart));
  ASSERT_TRUE(R.Fs.open(B, "d", O_RDONLY | O_DIRECTORY, 0, WalkSealed, Top,
                        Attr, OpenData, R.Restart));
  ASSERT_TRUE(R.Fs.open(A, "other", O_RDONLY | O_DIRECTORY, 0, WalkSealed, Else,
                        Attr, OpenData, R.Restart));
  ASSERT_TRUE(R.Fs.rename(A, "d", "other/moved", 0, WalkSealed, R.Restart));
  EXPECT_EQ(R.Told[Own.Pid], 1) << "its folder's folder moved";
  EXPECT_EQ(R.Told[B.Pid], 1) << "its folder moved";
  EXPECT_EQ(R.Told[A.Pid], 0) << "nothing it holds moved";
  Result<StubFile> F = StubFile::bind(R.Via, Deep);
  ASSERT_TRUE(F);
  std::string Path;
  ASSERT_TRUE(F->path(Path));
  EXPECT_EQ(Path, "other/moved/e");
  // A file's: the name it was opened by, renamed since; its holder told.
  ObjectHandle File;
  ASSERT_TRUE(R.Fs.open(Own, "other/moved/e/f", O_RDWR | O_CREAT, 0644,
                        WalkSealed, File, Attr, OpenData, R.Restart));
  Result<StubFile> G = StubFile::bind(R.Via, File);
  ASSERT_TRUE(G);
  ASSERT_TRUE(G->path(Path));
  EXPECT_EQ(Path, "other/moved/e/f");
  ASSERT_TRUE(
      R.Fs.link(Own, "other/moved/e/f", "other/hard", WalkSealed, R.Restart));
  ASSERT_TRUE(R.Fs.rename(Own, "other/moved/e/f", "other/moved/g", 0,
                          WalkSealed, R.Restart));
  EXPECT_EQ(R.Told[Own.Pid], 2);
  ASSERT_TRUE(G->path(Path));
  EXPECT_EQ(Path, "other/moved/g") << "the name it was opened by, moved";
  // Once that name is gone, none (its other name is not the one it was
  // opened by); a directory removed: none.
  ASSERT_TRUE(R.Fs.unlink(Own, "other/moved/g", WalkSealed, R.Restart));
  EXPECT_EQ(G->path(Path).errorCode(), ENOENT);
  ASSERT_TRUE(R.Fs.rmdir(Own, "other/moved/e", WalkSealed, R.Restart));
  EXPECT_EQ(F->path(Path).errorCode(), ENOENT);
  R.Files.forget(Own.Pid);
  R.Files.forget(A.Pid);
  R.Files.forget(B.Pid);
}
} // namespace
