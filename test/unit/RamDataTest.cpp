//===- test/unit/RamDataTest.cpp - A ramfs file's bytes -------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// RamData: bytes in the heap until the first map, then in a memfd whose
/// pages the server's reads, writes and truncates share with every
/// mapping of it.
///
//===----------------------------------------------------------------------===//

#include "RamData.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace k42;
using namespace k42::ramfs;

namespace {

std::span<const uint8_t> bytes(const char *Text) {
  return {reinterpret_cast<const uint8_t *>(Text), std::strlen(Text)};
}

std::string readAll(const RamData &D, uint64_t Offset, uint64_t Count) {
  std::vector<uint8_t> Out;
  Status S = D.read(Offset, Count, Out);
  EXPECT_TRUE(S);
  EXPECT_EQ(uint64_t(S.value()), Out.size());
  return std::string(Out.begin(), Out.end());
}

TEST(RamDataTest, HeapBytesUntilMapped) {
  RamData D;
  EXPECT_FALSE(D.mapped());
  EXPECT_EQ(D.memoryIno(), 0u);
  ASSERT_TRUE(D.write(0, bytes("hello")));
  ASSERT_TRUE(D.write(8, bytes("gap")));
  EXPECT_EQ(D.size(), 11u);
  EXPECT_EQ(readAll(D, 0, 100), std::string("hello\0\0\0gap", 11));
  EXPECT_EQ(readAll(D, 11, 5), "");
  EXPECT_EQ(readAll(D, 50, 5), "");
  ASSERT_TRUE(D.resize(4));
  EXPECT_EQ(readAll(D, 0, 100), "hell");
  EXPECT_FALSE(D.mapped());
}

// A hole of a page or more puts the bytes in the memfd, whose pages the
// host allocates only where written: a sparse file takes no space for its
// holes (the vector held them all), reads them as zeros, and is not
// counted as mapped (leases stay) until a client asks for the memfd.
TEST(RamDataTest, AHoleMovesTheBytesIntoASparseMemfd) {
  RamData D;
  ASSERT_TRUE(D.write(0, bytes("head")));
  ASSERT_TRUE(D.write(100, bytes("near")));
  EXPECT_EQ(D.memoryIno(), 0u) << "a hole under a page: the vector";
  EXPECT_EQ(D.blocks(), 8u);
  ASSERT_TRUE(D.resize(uint64_t(1) << 30));
  EXPECT_NE(D.memoryIno(), 0u) << "a gigabyte's hole: the memfd";
  EXPECT_FALSE(D.mapped());
  EXPECT_EQ(D.size(), uint64_t(1) << 30);
  EXPECT_EQ(D.blocks(), 8u) << "the first page only";
  EXPECT_EQ(readAll(D, 0, 4), "head");
  EXPECT_EQ(readAll(D, 500000000, 4), std::string(4, '\0'));
  ASSERT_TRUE(D.write(700000000, bytes("far")));
  EXPECT_EQ(D.blocks(), 16u);
  EXPECT_EQ(readAll(D, 700000000, 3), "far");
  uint64_t Ino = D.memoryIno();
  Status S = D.memory();
  ASSERT_TRUE(S) << S.message();
  EXPECT_TRUE(D.mapped());
  EXPECT_EQ(D.memoryIno(), Ino) << "the same memfd handed out";
  // A write far past the end of a small file: the same.
  RamData E;
  ASSERT_TRUE(E.write(0, bytes("x")));
  ASSERT_TRUE(E.write(1 << 20, bytes("y")));
  EXPECT_NE(E.memoryIno(), 0u);
  EXPECT_EQ(E.blocks(), 16u);
  EXPECT_EQ(readAll(E, 4096, 2), std::string(2, '\0'));
}

// lseek's SEEK_DATA and SEEK_HOLE: a file in the vector is all data; in
// the memfd, its unwritten pages are holes, as tmpfs says.
TEST(RamDataTest, SeekFindsDataAndHoles) {
  uint64_t Found = 0;
  RamData Small;
  ASSERT_TRUE(Small.write(0, bytes("hello")));
  ASSERT_TRUE(Small.seek(2, SEEK_DATA, Found));
  EXPECT_EQ(Found, 2u);
  ASSERT_TRUE(Small.seek(2, SEEK_HOLE, Found));
  EXPECT_EQ(Found, 5u) << "the end is a hole";
  EXPECT_EQ(Small.seek(5, SEEK_DATA, Found).errorCode(), ENXIO);
  EXPECT_EQ(Small.seek(0, SEEK_SET, Found).errorCode(), EINVAL);
  RamData Sparse;
  ASSERT_TRUE(Sparse.write(1 << 20, bytes("x")));
  ASSERT_NE(Sparse.memoryIno(), 0u);
  ASSERT_TRUE(Sparse.seek(0, SEEK_DATA, Found));
  EXPECT_EQ(Found, uint64_t(1) << 20);
  ASSERT_TRUE(Sparse.seek(0, SEEK_HOLE, Found));
  EXPECT_EQ(Found, 0u);
  ASSERT_TRUE(Sparse.seek(1 << 20, SEEK_HOLE, Found));
  EXPECT_EQ(Found, (uint64_t(1) << 20) + 1) << "the end, inside the page";
  EXPECT_EQ(Sparse.seek((1 << 20) + 1, SEEK_DATA, Found).errorCode(), ENXIO);
  // A hole that runs to the end: no data after it.
  ASSERT_TRUE(Sparse.resize(uint64_t(1) << 22));
  EXPECT_EQ(Sparse.seek((1 << 20) + 4096, SEEK_DATA, Found).errorCode(),
            ENXIO);
}

TEST(RamDataTest, TheFirstMapMovesTheBytesIntoOneMemfd) {
  RamData D;
  ASSERT_TRUE(D.write(0, bytes("moved into memory")));
  Status S = D.memory();
  ASSERT_TRUE(S) << S.message();
  int Fd = int(S.value());
  EXPECT_TRUE(D.mapped());
  struct stat St;
  ASSERT_EQ(::fstat(Fd, &St), 0);
  EXPECT_EQ(uint64_t(St.st_ino), D.memoryIno());
  EXPECT_EQ(St.st_size, 17);
  // The same memfd every time.
  Status Again = D.memory();
  ASSERT_TRUE(Again);
  EXPECT_EQ(Again.value(), S.value());
  char B[32] = {};
  ASSERT_EQ(::pread(Fd, B, sizeof B, 0), 17);
  EXPECT_STREQ(B, "moved into memory");
  EXPECT_EQ(readAll(D, 6, 4), "into");
}

TEST(RamDataTest, ReadsWritesAndTruncatesShareTheMappedPages) {
  RamData D;
  ASSERT_TRUE(D.write(0, bytes("0123456789")));
  Status S = D.memory();
  ASSERT_TRUE(S);
  int Fd = int(S.value());
  auto *Map = static_cast<char *>(
      ::mmap(nullptr, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, Fd, 0));
  ASSERT_NE(Map, MAP_FAILED);
  // A store through a mapping is what the server reads.
  std::memcpy(Map + 2, "AB", 2);
  EXPECT_EQ(readAll(D, 0, 10), "01AB456789");
  // A write through the server is what the mapping sees; growth too.
  ASSERT_TRUE(D.write(8, bytes("xyz")));
  EXPECT_EQ(D.size(), 11u);
  EXPECT_EQ(std::string(Map, 11), "01AB4567xyz");
  ASSERT_TRUE(D.resize(5000));
  EXPECT_EQ(Map[4999], 0);
  struct stat St;
  ASSERT_EQ(::fstat(Fd, &St), 0);
  EXPECT_EQ(St.st_size, 5000);
  ASSERT_TRUE(D.resize(3));
  EXPECT_EQ(readAll(D, 0, 100), "01A");
  ASSERT_EQ(::fstat(Fd, &St), 0);
  EXPECT_EQ(St.st_size, 3);
  ::munmap(Map, 8192);
}

TEST(RamDataTest, TheMemfdGoesWithTheData) {
  int Fd;
  {
    RamData D;
    ASSERT_TRUE(D.write(0, bytes("x")));
    Status S = D.memory();
    ASSERT_TRUE(S);
    Fd = int(S.value());
    EXPECT_NE(::fcntl(Fd, F_GETFD), -1);
    EXPECT_TRUE(::fcntl(Fd, F_GETFD) & FD_CLOEXEC);
  }
  EXPECT_EQ(::fcntl(Fd, F_GETFD), -1);
  EXPECT_EQ(errno, EBADF);
}

} // namespace
