//===- test/unit/AllKindsImpl.h - A recording implementation ----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// An implementation of AllKinds that computes something checkable from
/// every argument and counts its calls, so tests can tell "the call went
/// through intact" from "the call never reached the implementation".
///
//===----------------------------------------------------------------------===//

#ifndef K42_TEST_UNIT_ALLKINDSIMPL_H
#define K42_TEST_UNIT_ALLKINDSIMPL_H

#include "AllKinds.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace alltest {

class AllKindsImpl : public MoreKinds {
public:
  k42::Status scalars(int8_t A, uint16_t B, int32_t C, uint64_t D, double E,
                      bool F, Colour G, int64_t &Sum, bool &NotF,
                      Colour &Same) override {
    ++Calls;
    // Wrapping arithmetic: a fuzzer sends any values, and the server's
    // implementation must stay defined for all of them.
    int64_t Whole = std::isfinite(E) && std::fabs(E) < 9.0e18 ? int64_t(E) : 0;
    Sum = int64_t(uint64_t(int64_t(A)) + B + uint64_t(int64_t(C)) + D +
                  uint64_t(Whole));
    NotF = !F;
    Same = G;
    return k42::Status::ok();
  }
  k42::Status inoutScalar(int64_t &Value) override {
    ++Calls;
    Value = int64_t(0 - uint64_t(Value) * 2);
    return k42::Status::ok();
  }
  k42::Status pod(const Extent &In, Extent &Out) override {
    ++Calls;
    Out = {In.Offset + In.Length, In.Length * 2, uint8_t(In.Flags | 0x80)};
    return k42::Status::ok();
  }
  k42::Status key(const uint8_t (&Key)[16], uint8_t (&Reversed)[16]) override {
    ++Calls;
    std::reverse_copy(Key, Key + 16, Reversed);
    return k42::Status::ok();
  }
  k42::Status handle(k42::ObjectHandle In, k42::ObjectHandle &Out) override {
    ++Calls;
    Out = {In.Endpoint + 1, In.Index + 1, In.Sequence + 1};
    return k42::Status::ok();
  }
  k42::Status strings(std::string_view View, const std::string &Ref,
                      std::string Value, std::string &Joined) override {
    ++Calls;
    Joined = std::string(View) + "|" + Ref + "|" + Value;
    return k42::Status::ok();
  }
  k42::Status inoutString(std::string &Text) override {
    ++Calls;
    std::reverse(Text.begin(), Text.end());
    return k42::Status::ok();
  }
  k42::Status vectors(const std::vector<uint32_t> &In,
                      std::vector<uint32_t> &Doubled) override {
    ++Calls;
    Doubled.clear();
    for (uint32_t V : In)
      Doubled.push_back(V * 2);
    return k42::Status::ok();
  }
  k42::Status inoutVector(std::vector<Extent> &Items) override {
    ++Calls;
    for (Extent &E : Items)
      E.Length += 1;
    Items.push_back({7, 7, 7});
    return k42::Status::ok();
  }
  k42::Status spanIn(std::span<const uint8_t> Bytes, uint64_t &Sum) override {
    ++Calls;
    Sum = std::accumulate(Bytes.begin(), Bytes.end(), uint64_t(0));
    LastSize = Bytes.size();
    return k42::Status::ok();
  }
  k42::Status spanOut(std::span<uint16_t> Fill) override {
    ++Calls;
    for (size_t I = 0; I < Fill.size(); ++I)
      Fill[I] = uint16_t(I * 3);
    LastSize = Fill.size();
    return k42::Status::ok();
  }
  k42::Status spanInOut(std::span<int32_t> Values) override {
    ++Calls;
    for (int32_t &V : Values)
      V = int32_t(0 - uint32_t(V));
    return k42::Status::ok();
  }
  k42::Status rawIn(const uint32_t *Data, uint32_t Count,
                    uint64_t &Sum) override {
    ++Calls;
    Sum = std::accumulate(Data, Data + Count, uint64_t(0));
    return k42::Status::ok();
  }
  k42::Status rawOut(uint16_t Count, uint8_t *Data) override {
    ++Calls;
    for (uint16_t I = 0; I < Count; ++I)
      Data[I] = uint8_t(I ^ 0x5a);
    return k42::Status::ok();
  }
  k42::Status rawInOut(int64_t *Data, int32_t Count) override {
    ++Calls;
    for (int32_t I = 0; I < Count; ++I)
      Data[I] = int64_t(uint64_t(Data[I]) + uint64_t(I));
    return k42::Status::ok();
  }
  k42::Status whoAmI(uint32_t Tag, const k42::Badge &Caller, k42::Badge &Seen,
                     uint32_t &TagBack) override {
    ++Calls;
    Seen = Caller;
    TagBack = Tag;
    return k42::Status::ok();
  }
  k42::Status wipe() override {
    ++Calls;
    Wiped = true;
    return k42::Status::ok();
  }
  k42::Status ping() override {
    ++Calls;
    return k42::Status::ok();
  }
  void post(std::string_view Text, uint32_t Seq) override {
    ++Calls;
    Posted = std::string(Text) + "#" + std::to_string(Seq);
  }
  k42::Status peek(uint32_t &N) const override {
    N = Calls;
    return k42::Status::ok();
  }
  k42::Status put(uint32_t Value) override {
    ++Calls;
    Put = "u32:" + std::to_string(Value);
    return k42::Status::ok();
  }
  k42::Status put(std::string_view Value) override {
    ++Calls;
    Put = "str:" + std::string(Value);
    return k42::Status::ok();
  }
  k42::Status positive(int64_t Value) override {
    ++Calls;
    return Value < 0 ? k42::Status::error(EINVAL) : k42::Status::ok(Value);
  }
  k42::Status more(uint32_t &Value) override {
    ++Calls;
    Value = 4242;
    return k42::Status::ok();
  }

  uint32_t Calls = 0;
  size_t LastSize = 0;
  bool Wiped = false;
  std::string Posted;
  std::string Put;
};

} // namespace alltest

#endif // K42_TEST_UNIT_ALLKINDSIMPL_H
