//===- test/unit/PPCPageTest.cpp - The page format ------------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include <k42/ipc/PPCReader.h>
#include <k42/ipc/PPCWriter.h>

#include <gtest/gtest.h>

#include <memory>
#include <span>
#include <string_view>
#include <vector>

namespace {

TEST(PPCPageTest, ValuesComeBackAtTheirAlignment) {
  auto Page = std::make_unique<k42::PPCPage>();
  k42::PPCWriter Out(*Page);
  Out.put<uint8_t>(0xab);
  Out.put<uint64_t>(0x0102030405060708ull);
  Out.putBool(true);
  Out.put<uint16_t>(0xbeef);
  ASSERT_TRUE(Out.finish().isOk());
  // 1 byte, pad to 8, 8 bytes, 1 byte, pad to 18, 2 bytes.
  EXPECT_EQ(Page->Length, 20u);

  k42::PPCReader In(*Page);
  uint8_t A = 0;
  uint64_t B = 0;
  bool C = false;
  uint16_t D = 0;
  ASSERT_TRUE(In.get(A) && In.get(B) && In.getBool(C) && In.get(D));
  EXPECT_EQ(A, 0xab);
  EXPECT_EQ(B, 0x0102030405060708ull);
  EXPECT_TRUE(C);
  EXPECT_EQ(D, 0xbeef);
  EXPECT_TRUE(In.atEnd());
  uint8_t Extra;
  EXPECT_FALSE(In.get(Extra));
  EXPECT_FALSE(In.ok());
}

TEST(PPCPageTest, ArraysAreCountedAndEightAligned) {
  auto Page = std::make_unique<k42::PPCPage>();
  k42::PPCWriter Out(*Page);
  const uint32_t Values[] = {1, 2, 3};
  Out.putArray(Values, 3, sizeof(uint32_t));
  Out.putArray("hi", 2, 1);
  ASSERT_TRUE(Out.finish().isOk());
  k42::PPCReader In(*Page);
  std::span<const uint32_t> View;
  std::string Text;
  ASSERT_TRUE(In.getSpan(View));
  ASSERT_TRUE(In.getString(Text));
  EXPECT_TRUE(In.atEnd());
  ASSERT_EQ(View.size(), 3u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(View.data()) % 8, 0u);
  EXPECT_EQ(View[2], 3u);
  EXPECT_EQ(Text, "hi");
}

TEST(PPCPageTest, OverflowIsStickyAndReported) {
  auto Page = std::make_unique<k42::PPCPage>();
  k42::PPCWriter Out(*Page);
  std::vector<char> Big(k42::PPCPage::PayloadCapacity, 'x');
  Out.putArray(Big.data(), Big.size(), 1);
  EXPECT_FALSE(Out.ok());
  Out.put<uint8_t>(1);
  EXPECT_EQ(Out.finish().errorCode(), k42::errc::TooBig);

  k42::PPCWriter Huge(*Page);
  EXPECT_FALSE(Huge.putCount(size_t(1) << 40, 1));
  EXPECT_EQ(Huge.finish().errorCode(), k42::errc::TooBig);
}

TEST(PPCPageTest, ReadersRejectMalformedPages) {
  auto Page = std::make_unique<k42::PPCPage>();
  // A length beyond the payload.
  Page->Length = k42::PPCPage::PayloadCapacity + 1;
  k42::PPCReader TooLong(*Page);
  EXPECT_FALSE(TooLong.ok());
  uint8_t Byte;
  EXPECT_FALSE(TooLong.get(Byte));

  // An array count that runs past the end.
  k42::PPCWriter Out(*Page);
  Out.put<uint32_t>(1000);
  ASSERT_TRUE(Out.finish().isOk());
  k42::PPCReader Short(*Page);
  std::string Text;
  EXPECT_FALSE(Short.getString(Text));

  // A bool that is neither 0 nor 1.
  k42::PPCWriter BoolOut(*Page);
  BoolOut.put<uint8_t>(2);
  ASSERT_TRUE(BoolOut.finish().isOk());
  k42::PPCReader BadBool(*Page);
  bool Flag;
  EXPECT_FALSE(BadBool.getBool(Flag));

  // A capacity no reply could hold.
  k42::PPCWriter CountOut(*Page);
  CountOut.put<uint32_t>(0xffffffff);
  ASSERT_TRUE(CountOut.finish().isOk());
  k42::PPCReader BadCount(*Page);
  uint32_t Count;
  EXPECT_FALSE(BadCount.getCount(Count, 2));

  // copyArray insists on the expected element count.
  k42::PPCWriter ArrayOut(*Page);
  const uint16_t Two[] = {1, 2};
  ArrayOut.putArray(Two, 2, 2);
  ASSERT_TRUE(ArrayOut.finish().isOk());
  k42::PPCReader Mismatch(*Page);
  uint16_t Three[3];
  EXPECT_FALSE(Mismatch.copyArray(Three, 3));
}

TEST(PPCPageTest, LargeArraysTravelOutOfLineOnce) {
  auto Page = std::make_unique<k42::PPCPage>();
  std::vector<std::byte> Window(k42::BulkWindow::Size);
  k42::BulkWindow Bulk = k42::BulkWindow::at(Window.data());

  // Small arrays stay in the page; large ones go to the area, where the
  // reader sees them in place.
  std::vector<uint32_t> Large(100000);
  for (size_t I = 0; I < Large.size(); ++I)
    Large[I] = uint32_t(I * 7);
  k42::PPCWriter Out(*Page, Bulk.Request);
  Out.putArray("tiny", 4, 1);
  Out.putArray(Large.data(), Large.size(), sizeof(uint32_t));
  ASSERT_TRUE(Out.finish().isOk());
  EXPECT_LT(Page->Length, 32u) << "the large array left only its count";
  EXPECT_GE(Out.bulkSize(), Large.size() * sizeof(uint32_t));

  k42::PPCReader In(*Page, Bulk.Request);
  std::string_view Tiny;
  std::span<const uint32_t> View;
  ASSERT_TRUE(In.getStringView(Tiny));
  ASSERT_TRUE(In.getSpan(View));
  EXPECT_TRUE(In.atEnd());
  EXPECT_EQ(Tiny, "tiny");
  ASSERT_EQ(View.size(), Large.size());
  EXPECT_EQ(View.back(), Large.back());
  EXPECT_GE(reinterpret_cast<const std::byte *>(View.data()),
            Bulk.Request.Base)
      << "read in place, not copied";

  // Without an area, the same array does not fit.
  k42::PPCWriter NoBulk(*Page);
  NoBulk.putArray(Large.data(), Large.size(), sizeof(uint32_t));
  EXPECT_EQ(NoBulk.finish().errorCode(), k42::errc::TooBig);

  // One direction carries at most its area, all arrays together.
  k42::PPCWriter Full(*Page, Bulk.Request);
  std::vector<uint8_t> Half(k42::BulkArea::Capacity / 2);
  Full.putArray(Half.data(), Half.size(), 1);
  Full.putArray(Half.data(), Half.size(), 1);
  EXPECT_TRUE(Full.ok());
  Full.putArray(Half.data(), 2000, 1);
  EXPECT_EQ(Full.finish().errorCode(), k42::errc::TooBig);
}

TEST(PPCPageTest, ReadersRejectHostileOutOfLineArrays) {
  auto Page = std::make_unique<k42::PPCPage>();
  std::vector<std::byte> Window(k42::BulkWindow::Size);
  k42::BulkWindow Bulk = k42::BulkWindow::at(Window.data());
  auto ReadWith = [&](uint32_t Count, uint32_t At, k42::BulkArea Area) {
    k42::PPCWriter Out(*Page);
    Out.put<uint32_t>(Count | k42::ArrayOutOfLine);
    Out.put<uint32_t>(At);
    EXPECT_TRUE(Out.finish().isOk());
    k42::PPCReader In(*Page, Area);
    std::span<const uint64_t> View;
    return In.getSpan(View) && In.atEnd();
  };
  EXPECT_TRUE(ReadWith(8, 64, Bulk.Request));
  EXPECT_TRUE(ReadWith(k42::BulkArea::Capacity / 8, 0, Bulk.Request));
  // Past the end of the area, by a byte or by wrapping around.
  EXPECT_FALSE(ReadWith(k42::BulkArea::Capacity / 8, 8, Bulk.Request));
  EXPECT_FALSE(ReadWith(1, k42::BulkArea::Capacity, Bulk.Request));
  EXPECT_FALSE(ReadWith(0x7fffffff, 0xfffffff8, Bulk.Request));
  // Misaligned, so elements would be read unaligned.
  EXPECT_FALSE(ReadWith(1, 4, Bulk.Request));
  // Out of line where the transport has no window (a one-way call).
  EXPECT_FALSE(ReadWith(1, 0, k42::BulkArea{}));
  // A count with no offset after it.
  k42::PPCWriter Out(*Page);
  Out.put<uint32_t>(1 | k42::ArrayOutOfLine);
  ASSERT_TRUE(Out.finish().isOk());
  k42::PPCReader In(*Page, Bulk.Request);
  std::string Text;
  EXPECT_FALSE(In.getString(Text));
}

} // namespace
