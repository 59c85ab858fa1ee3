//===- test/unit/HandleTableTest.cpp - Handles and rights -----------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include <k42/ipc/HandleTable.h>
#include <k42/ipc/XObject.h>

#include <gtest/gtest.h>

#include <vector>

namespace {

/// An X object that is never called: the table only stores it.
class InertX : public k42::XObject {
public:
  void dispatch(const k42::CallContext &, const k42::PPCPage &,
                k42::PPCPage &) override {}
  const k42::InterfaceInfo &interfaceInfo() const override { return Info; }

private:
  k42::InterfaceInfo Info{"inert", 1, 1, nullptr, 0, nullptr, 0, nullptr, 0};
};

constexpr k42::Badge Alice{10, 0, 0, 0};
constexpr k42::Badge Bob{11, 0, 0, 0};

TEST(HandleTableTest, InsertedHandlesResolveForTheirOwner) {
  k42::HandleTable Table(/*Endpoint=*/5, /*Capacity=*/8);
  InertX X;
  k42::Result<k42::ObjectHandle> H = Table.insert(X, 0x3, Alice.Pid);
  ASSERT_TRUE(H.isOk());
  EXPECT_EQ(H->Endpoint, 5u);
  EXPECT_TRUE(H->isValid());
  k42::HandleEntry Entry;
  ASSERT_TRUE(Table.lookup(*H, Alice, Entry).isOk());
  EXPECT_EQ(Entry.Object, &X);
  EXPECT_EQ(Entry.Rights, 0x3u);
  // Another process holding the same bits gets nothing.
  EXPECT_EQ(Table.lookup(*H, Bob, Entry).errorCode(), k42::errc::BadHandle);
}

TEST(HandleTableTest, RevokedHandlesAreStaleEvenWhenTheSlotIsReused) {
  k42::HandleTable Table(5, 1);
  InertX X;
  k42::Result<k42::ObjectHandle> First = Table.insert(X, 1, Alice.Pid);
  ASSERT_TRUE(First.isOk());
  ASSERT_TRUE(Table.revoke(*First).isOk());
  k42::HandleEntry Entry;
  EXPECT_EQ(Table.lookup(*First, Alice, Entry).errorCode(),
            k42::errc::StaleHandle);
  EXPECT_EQ(Table.revoke(*First).errorCode(), k42::errc::StaleHandle);
  k42::Result<k42::ObjectHandle> Second = Table.insert(X, 1, Alice.Pid);
  ASSERT_TRUE(Second.isOk());
  EXPECT_EQ(Second->Index, First->Index);
  EXPECT_NE(Second->Sequence, First->Sequence);
  EXPECT_EQ(Table.lookup(*First, Alice, Entry).errorCode(),
            k42::errc::StaleHandle);
  EXPECT_TRUE(Table.lookup(*Second, Alice, Entry).isOk());
}

TEST(HandleTableTest, ForgedHandlesAreRejected) {
  k42::HandleTable Table(5, 4);
  InertX X;
  ASSERT_TRUE(Table.insert(X, 1, Alice.Pid).isOk());
  k42::HandleEntry Entry;
  EXPECT_EQ(Table.lookup({6, 0, 1}, Alice, Entry).errorCode(),
            k42::errc::BadHandle);
  EXPECT_EQ(Table.lookup({5, 4, 1}, Alice, Entry).errorCode(),
            k42::errc::BadHandle);
  EXPECT_EQ(Table.lookup({5, 0xffffffff, 1}, Alice, Entry).errorCode(),
            k42::errc::BadHandle);
  EXPECT_EQ(Table.lookup({5, 0, 0}, Alice, Entry).errorCode(),
            k42::errc::BadHandle);
  EXPECT_EQ(Table.lookup({5, 1, 1}, Alice, Entry).errorCode(),
            k42::errc::StaleHandle);
  EXPECT_EQ(Table.revoke({6, 0, 1}).errorCode(), k42::errc::BadHandle);
}

TEST(HandleTableTest, GiveAccessOnlyNarrowsRights) {
  k42::HandleTable Table(5, 8);
  InertX X;
  k42::Result<k42::ObjectHandle> Mine = Table.insert(X, 0x5, Alice.Pid);
  ASSERT_TRUE(Mine.isOk());
  k42::Result<k42::ObjectHandle> Theirs =
      Table.giveAccess(*Mine, Alice, 0x1, Bob.Pid);
  ASSERT_TRUE(Theirs.isOk());
  k42::HandleEntry Entry;
  ASSERT_TRUE(Table.lookup(*Theirs, Bob, Entry).isOk());
  EXPECT_EQ(Entry.Rights, 0x1u);
  EXPECT_EQ(Entry.Object, &X);

  EXPECT_EQ(Table.giveAccess(*Mine, Alice, 0x2, Bob.Pid).status().errorCode(),
            k42::errc::PermissionDenied);
  // Bob cannot widen what he was given, nor use Alice's handle.
  EXPECT_EQ(
      Table.giveAccess(*Theirs, Bob, 0x5, Alice.Pid).status().errorCode(),
      k42::errc::PermissionDenied);
  EXPECT_EQ(Table.giveAccess(*Mine, Bob, 0x1, Bob.Pid).status().errorCode(),
            k42::errc::BadHandle);
}

TEST(HandleTableTest, AFullTableSaysSo) {
  k42::HandleTable Table(5, 2);
  InertX X;
  ASSERT_TRUE(Table.insert(X, 1, 1).isOk());
  ASSERT_TRUE(Table.insert(X, 1, 1).isOk());
  k42::Result<k42::ObjectHandle> Third = Table.insert(X, 1, 1);
  ASSERT_FALSE(Third.isOk());
  EXPECT_EQ(Third.status().errorCode(), ENOSPC);
}

TEST(HandleTableTest, OneClientsGrantsCannotFillTheTable) {
  k42::HandleTable Table(5, 64); // Four live grants per process at most.
  InertX X;
  k42::Result<k42::ObjectHandle> Root = Table.insert(X, 1, Alice.Pid);
  ASSERT_TRUE(Root.isOk());
  std::vector<k42::ObjectHandle> Given;
  for (int I = 0; I < 4; ++I) {
    k42::Result<k42::ObjectHandle> G = Table.giveAccess(*Root, Alice, 1, 100 + I);
    ASSERT_TRUE(G.isOk());
    Given.push_back(*G);
  }
  k42::Result<k42::ObjectHandle> Over = Table.giveAccess(*Root, Alice, 1, 200);
  EXPECT_EQ(Over.status().errorCode(), EDQUOT);
  // Others still have room, and a grant revoked (by its holder dying, or
  // by the granter) gives Alice room again.
  k42::Result<k42::ObjectHandle> BobRoot = Table.insert(X, 1, Bob.Pid);
  ASSERT_TRUE(BobRoot.isOk());
  EXPECT_TRUE(Table.giveAccess(*BobRoot, Bob, 1, 300).isOk());
  EXPECT_EQ(Table.revokeOwner(100), 1u);
  EXPECT_TRUE(Table.revokeFor(Given[1], Alice).isOk());
  EXPECT_TRUE(Table.giveAccess(*Root, Alice, 1, 201).isOk());
  EXPECT_TRUE(Table.giveAccess(*Root, Alice, 1, 202).isOk());
  EXPECT_EQ(Table.giveAccess(*Root, Alice, 1, 203).status().errorCode(),
            EDQUOT);
}

} // namespace
