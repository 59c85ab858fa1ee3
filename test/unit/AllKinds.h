//===- test/unit/AllKinds.h - Every parameter kind --------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// An interface with one method per parameter kind and direction, so the
/// round-trip tests can push every marshalling rule through a real stub, a
/// real PPC page and a real X object.
///
//===----------------------------------------------------------------------===//

#ifndef K42_TEST_UNIT_ALLKINDS_H
#define K42_TEST_UNIT_ALLKINDS_H

#include <k42/idl.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace alltest {

enum class Colour : uint16_t { Red = 1, Green = 2, Blue = 0x8001 };

struct Extent {
  uint64_t Offset;
  uint32_t Length;
  uint8_t Flags;
};

class K42_EXPORT K42_RIGHTS(read, write, admin) K42_DEFAULT_REQUIRES(read)
    K42_VERSION(3) AllKinds {
public:
  virtual ~AllKinds() = default;

  // Scalars.
  virtual k42::Status scalars(int8_t A, uint16_t B, int32_t C, uint64_t D,
                              double E, bool F, Colour G, int64_t &Sum,
                              bool &NotF, Colour &Same) = 0;
  virtual k42::Status inoutScalar(K42_INOUT int64_t &Value) = 0;

  // Trivially copyable values, arrays by reference, handles.
  virtual k42::Status pod(const Extent &In, Extent &Out) = 0;
  virtual k42::Status key(const uint8_t (&Key)[16], uint8_t (&Reversed)[16]) = 0;
  virtual k42::Status handle(k42::ObjectHandle In, k42::ObjectHandle &Out) = 0;

  // Strings.
  virtual k42::Status strings(std::string_view View, const std::string &Ref,
                              std::string Value, std::string &Joined) = 0;
  virtual k42::Status inoutString(K42_INOUT std::string &Text) = 0;

  // Vectors.
  virtual k42::Status vectors(const std::vector<uint32_t> &In,
                              std::vector<uint32_t> &Doubled) = 0;
  virtual k42::Status inoutVector(K42_INOUT std::vector<Extent> &Items) = 0;

  // Spans.
  virtual k42::Status spanIn(std::span<const uint8_t> Bytes,
                             uint64_t &Sum) = 0;
  virtual k42::Status spanOut(std::span<uint16_t> Fill) = 0;
  virtual k42::Status spanInOut(K42_INOUT std::span<int32_t> Values) = 0;

  // Raw buffers with a count.
  virtual k42::Status rawIn(K42_LENGTH(Count) const uint32_t *Data,
                            uint32_t Count, uint64_t &Sum) = 0;
  virtual k42::Status rawOut(uint16_t Count,
                             K42_LENGTH(Count) uint8_t *Data) = 0;
  virtual k42::Status rawInOut(K42_INOUT K42_LENGTH(Count) int64_t *Data,
                               int32_t Count) = 0;

  // The caller's badge, hidden from the stub.
  virtual k42::Status whoAmI(uint32_t Tag, K42_CALLER const k42::Badge &Caller,
                             k42::Badge &Seen, uint32_t &TagBack) = 0;

  // Rights, one-way, const, explicit ids and overloads.
  K42_REQUIRES(admin) virtual k42::Status wipe() = 0;
  K42_REQUIRES() virtual k42::Status ping() = 0;
  K42_ONEWAY K42_REQUIRES(write) virtual void post(std::string_view Text,
                                                   uint32_t Seq) = 0;
  virtual k42::Status peek(uint32_t &Calls) const = 0;
  K42_METHOD_ID(0x100) virtual k42::Status put(uint32_t Value) = 0;
  K42_METHOD_ID(0x101) virtual k42::Status put(std::string_view Value) = 0;

  // A status carrying a value.
  virtual k42::Status positive(int64_t Value) = 0;
};

/// An interface derived from another: it inherits the methods and rights.
class K42_EXPORT K42_RIGHTS(extra) MoreKinds : public AllKinds {
public:
  K42_REQUIRES(extra) virtual k42::Status more(uint32_t &Value) = 0;
};

} // namespace alltest

#endif // K42_TEST_UNIT_ALLKINDS_H
