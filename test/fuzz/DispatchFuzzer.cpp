//===- test/fuzz/DispatchFuzzer.cpp - Hostile pages into X objects --------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A libFuzzer target (built with ASan and UBSan) that plays a hostile
/// client: every input becomes a request page (method number, length,
/// fingerprint, rights and payload all taken from the input) handed to the
/// generated XAllKinds, which covers every parameter kind. The server must
/// answer each with a status and a reply that fits the page, and the
/// implementation must only ever see well-formed arguments.
///
//===----------------------------------------------------------------------===//

#include "AllKinds.k42.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <sys/mman.h>

using namespace alltest;

namespace {

/// Touches every argument (so ASan checks the views the X object built) and
/// fills every output, with arithmetic that cannot overflow.
class TouchAll final : public MoreKinds {
  template <typename T> static uint64_t sum(std::span<const T> Items) {
    uint64_t S = 0;
    for (const T &Item : Items) {
      unsigned char Bytes[sizeof(T)];
      std::memcpy(Bytes, &Item, sizeof(T));
      for (unsigned char B : Bytes)
        S += B;
    }
    return S;
  }

public:
  k42::Status scalars(int8_t A, uint16_t B, int32_t C, uint64_t D, double E,
                      bool F, Colour G, int64_t &Sum, bool &NotF,
                      Colour &Same) override {
    Sum = int64_t(uint64_t(A) + B + uint64_t(C) + D + (E == E ? 1 : 0));
    NotF = !F;
    Same = G;
    return k42::Status::ok();
  }
  k42::Status inoutScalar(int64_t &Value) override {
    Value = int64_t(~uint64_t(Value));
    return k42::Status::ok();
  }
  k42::Status pod(const Extent &In, Extent &Out) override {
    Out = In;
    return k42::Status::ok();
  }
  k42::Status key(const uint8_t (&Key)[16], uint8_t (&Out)[16]) override {
    std::memcpy(Out, Key, 16);
    return k42::Status::ok();
  }
  k42::Status handle(k42::ObjectHandle In, k42::ObjectHandle &Out) override {
    Out = In;
    return k42::Status::ok();
  }
  k42::Status strings(std::string_view View, const std::string &Ref,
                      std::string Value, std::string &Joined) override {
    Joined.assign(View).append(Ref).append(Value);
    if (Joined.size() > 4000)
      Joined.resize(4000);
    return k42::Status::ok();
  }
  k42::Status inoutString(std::string &Text) override {
    for (char &C : Text)
      C = char(C ^ 1);
    return k42::Status::ok();
  }
  k42::Status vectors(const std::vector<uint32_t> &In,
                      std::vector<uint32_t> &Out) override {
    Out = In;
    return k42::Status::ok();
  }
  k42::Status inoutVector(std::vector<Extent> &Items) override {
    for (Extent &E : Items)
      E.Flags ^= 1;
    return k42::Status::ok();
  }
  k42::Status spanIn(std::span<const uint8_t> Bytes, uint64_t &S) override {
    S = sum(Bytes);
    return k42::Status::ok();
  }
  k42::Status spanOut(std::span<uint16_t> Fill) override {
    for (uint16_t &V : Fill)
      V = 7;
    return k42::Status::ok();
  }
  k42::Status spanInOut(std::span<int32_t> Values) override {
    for (int32_t &V : Values)
      V = int32_t(~uint32_t(V));
    return k42::Status::ok();
  }
  k42::Status rawIn(const uint32_t *Data, uint32_t Count,
                    uint64_t &S) override {
    S = sum(std::span<const uint32_t>(Data, Count));
    return k42::Status::ok();
  }
  k42::Status rawOut(uint16_t Count, uint8_t *Data) override {
    std::memset(Data, 0x5a, Count);
    return k42::Status::ok();
  }
  k42::Status rawInOut(int64_t *Data, int32_t Count) override {
    for (int32_t I = 0; I < Count; ++I)
      Data[I] = int64_t(~uint64_t(Data[I]));
    return k42::Status::ok();
  }
  k42::Status whoAmI(uint32_t Tag, const k42::Badge &Caller, k42::Badge &Seen,
                     uint32_t &TagBack) override {
    Seen = Caller;
    TagBack = Tag;
    return k42::Status::ok();
  }
  k42::Status wipe() override { return k42::Status::ok(); }
  k42::Status ping() override { return k42::Status::ok(); }
  void post(std::string_view Text, uint32_t) override { (void)sum(std::span<const char>(Text)); }
  k42::Status peek(uint32_t &Calls) const override {
    Calls = 1;
    return k42::Status::ok();
  }
  k42::Status put(uint32_t) override { return k42::Status::ok(); }
  k42::Status put(std::string_view Value) override {
    return k42::Status::ok(int64_t(sum(std::span<const char>(Value)) & 0xff));
  }
  k42::Status positive(int64_t Value) override {
    return Value < 0 ? k42::Status::error(EINVAL) : k42::Status::ok(Value);
  }
  k42::Status more(uint32_t &Value) override {
    Value = 1;
    return k42::Status::ok();
  }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  static TouchAll Impl;
  static XMoreKinds X(Impl);
  static std::unique_ptr<k42::CallBuffers> Pages =
      std::make_unique<k42::CallBuffers>();

  // Input: selector (1), rights (1), flags (1), length (4), payload.
  if (Size < 7)
    return 0;
  const k42::InterfaceInfo &Info = MetaMoreKinds::Info;
  uint8_t Selector = Data[0];
  k42::PPCPage &Request = Pages->Request;
  Request.MethodId = Selector < Info.NumMethods
                         ? Info.Methods[Selector].Id
                         : uint32_t(Selector) * 0x01010101u;
  Request.Fingerprint =
      Data[2] & 1 ? MetaMoreKinds::Fingerprint ^ Data[2] : MetaMoreKinds::Fingerprint;
  uint32_t Length;
  std::memcpy(&Length, Data + 3, 4);
  size_t Payload = Size - 7;
  if (Payload > k42::PPCPage::PayloadCapacity)
    Payload = k42::PPCPage::PayloadCapacity;
  std::memcpy(Request.Payload, Data + 7, Payload);
  // Mostly an honest length, sometimes whatever the input says.
  Request.Length = Data[2] & 2 ? Length : uint32_t(Payload);

  k42::CallContext Context;
  Context.Caller = {1, 2, 3, 0};
  Context.Rights = k42::RightsMask(Data[1]);
  // Half the time the call has a bulk window, whose request area holds the
  // input again: out-of-line counts and offsets in the page point into it.
  static std::byte *Window = [] {
    void *Base = mmap(nullptr, k42::BulkWindow::Size, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return Base == MAP_FAILED ? nullptr : static_cast<std::byte *>(Base);
  }();
  if (Data[2] & 4) {
    Context.Bulk = k42::BulkWindow::at(Window);
    std::memcpy(Window, Data + 7,
                std::min<size_t>(Size - 7, k42::BulkArea::Capacity));
  }
  Pages->Reply.Length = 0xffffffff;
  X.dispatch(Context, Request, Pages->Reply);
  k42::Status Result = k42::Status::fromRaw(Pages->Reply.Status);
  // Whatever happened, the reply is a status and a payload that fits.
  if (Pages->Reply.Length > k42::PPCPage::PayloadCapacity)
    std::abort();
  if (!Result && Pages->Reply.Length != 0)
    std::abort();
  return 0;
}
