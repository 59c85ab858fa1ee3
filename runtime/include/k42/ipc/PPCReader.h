//===- runtime/include/k42/ipc/PPCReader.h - Unmarshalling ------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Reads values back out of a PPC page, checking every length and offset
/// against the page before it is used: a page may come from a hostile
/// process. Like PPCWriter, failure is sticky, so generated code reads all
/// arguments and then checks ok() once.
///
/// Arrays placed out of line (see PPCWriter) are read in place from the
/// call's bulk area after their offset and size are checked against it. The
/// area is shared with the sender: the receiver gets a view whose bounds
/// cannot change, of bytes a hostile sender could still change while the
/// call runs (getString and getVector take a private copy).
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_IPC_PPCREADER_H
#define K42_RUNTIME_IPC_PPCREADER_H

#include "k42/ipc/BulkWindow.h"
#include "k42/ipc/PPCPage.h"
#include "k42/ipc/PPCWriter.h"

#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace k42 {

/// Reads the payload of one page in the format PPCWriter writes.
class PPCReader {
public:
  /// Reads \p Page, with \p Bulk for arrays placed out of line; a header
  /// length beyond the capacity is itself an error.
  explicit PPCReader(const PPCPage &Page, BulkArea Bulk = {})
      : Page(Page), Bulk(Bulk), Limit(Page.Length),
        Failed(Page.Length > PPCPage::PayloadCapacity) {}

  /// Reads a trivially copyable value into \p Value. Returns false (and
  /// leaves \p Value untouched) if it does not lie within the payload.
  template <typename T> bool get(T &Value) {
    static_assert(std::is_trivially_copyable_v<T>,
                  "only trivially copyable values cross a PPC page");
    static_assert(!std::is_same_v<T, bool>, "use getBool");
    const std::byte *Slot = take(sizeof(T), alignOf<T>());
    if (!Slot)
      return false;
    std::memcpy(&Value, Slot, sizeof(T));
    return true;
  }

  /// Reads a bool, rejecting any byte other than 0 and 1.
  bool getBool(bool &Value) {
    uint8_t Byte = 0;
    if (!get(Byte))
      return false;
    if (Byte > 1)
      return fail();
    Value = Byte != 0;
    return true;
  }

  /// Reads an array of elements of \p ElementSize bytes, returning a view
  /// into the page (8-byte aligned) and the element count. The view stays
  /// valid as long as the page does.
  bool getArray(const std::byte *&Data, uint32_t &Count, size_t ElementSize) {
    uint32_t N = 0;
    if (!get(N))
      return false;
    if (N & ArrayOutOfLine) {
      uint32_t At = 0;
      if (!get(At))
        return false;
      N &= ~ArrayOutOfLine;
      size_t Bytes = size_t(N) * ElementSize;
      // The offset and size come from the sender: both must lie within
      // the area, and the offset must keep elements aligned.
      if (!Bulk.available() || At % 8 != 0 || At > BulkArea::Capacity ||
          Bytes > BulkArea::Capacity - At)
        return fail();
      Data = Bulk.Base + At;
      Count = N;
      return true;
    }
    size_t Bytes = size_t(N) * ElementSize;
    const std::byte *Slot = take(Bytes, 8);
    if (!Slot)
      return false;
    Data = Slot;
    Count = N;
    return true;
  }

  /// Reads an element count only (the capacity of an out-buffer).
  bool getCount(uint32_t &Count, size_t ElementSize) {
    uint32_t N = 0;
    if (!get(N))
      return false;
    // A capacity the reply could never hold is malformed, not just large.
    size_t MaxBytes =
        Bulk.available() ? BulkArea::Capacity : PPCPage::PayloadCapacity;
    if (size_t(N) * ElementSize > MaxBytes)
      return fail();
    Count = N;
    return true;
  }

  /// Reads a string into \p Value (copying it).
  bool getString(std::string &Value) {
    const std::byte *Data = nullptr;
    uint32_t Count = 0;
    if (!getArray(Data, Count, 1))
      return false;
    Value.assign(reinterpret_cast<const char *>(Data), Count);
    return true;
  }

  /// Reads a string as a view into the page (valid while the page is).
  bool getStringView(std::string_view &Value) {
    const std::byte *Data = nullptr;
    uint32_t Count = 0;
    if (!getArray(Data, Count, 1))
      return false;
    Value = std::string_view(reinterpret_cast<const char *>(Data), Count);
    return true;
  }

  /// Reads an array into \p Value (copying it).
  template <typename T> bool getVector(std::vector<T> &Value) {
    static_assert(std::is_trivially_copyable_v<T>);
    const std::byte *Data = nullptr;
    uint32_t Count = 0;
    if (!getArray(Data, Count, sizeof(T)))
      return false;
    Value.resize(Count);
    if (Count)
      std::memcpy(Value.data(), Data, size_t(Count) * sizeof(T));
    return true;
  }

  /// Reads an array as a view into the page (arrays are 8-aligned there, and
  /// stubc rejects elements that need more).
  template <typename T> bool getSpan(std::span<const T> &Value) {
    static_assert(std::is_trivially_copyable_v<T> && alignof(T) <= 8);
    const std::byte *Data = nullptr;
    uint32_t Count = 0;
    if (!getArray(Data, Count, sizeof(T)))
      return false;
    Value = std::span<const T>(reinterpret_cast<const T *>(Data), Count);
    return true;
  }

  /// Reads an array that must have exactly \p Expected elements into
  /// \p Dest: how the stub returns an out-buffer to its caller.
  template <typename T> bool copyArray(T *Dest, size_t Expected) {
    static_assert(std::is_trivially_copyable_v<T>);
    const std::byte *Data = nullptr;
    uint32_t Count = 0;
    if (!getArray(Data, Count, sizeof(T)))
      return false;
    if (Count != Expected)
      return fail();
    if (Count)
      std::memcpy(Dest, Data, size_t(Count) * sizeof(T));
    return true;
  }

  /// Reads an array of at most \p Capacity elements into \p Dest, its
  /// element count into \p Count: how a handler stub returns a string or a
  /// vector into the caller's fixed buffer. A longer array copies nothing,
  /// sets \p Count to its length (so the caller can size a retry) and is
  /// ReplyTooBig; a malformed one is BadMessage. Either way not one byte is
  /// written past \p Capacity elements.
  template <typename T>
  Status copyArrayUpTo(T *Dest, size_t Capacity, size_t &Count) {
    static_assert(std::is_trivially_copyable_v<T>);
    const std::byte *Data = nullptr;
    uint32_t N = 0;
    if (!getArray(Data, N, sizeof(T)))
      return Status::error(errc::BadMessage);
    Count = N;
    if (N > Capacity)
      return Status::error(errc::ReplyTooBig);
    if (N)
      std::memcpy(Dest, Data, size_t(N) * sizeof(T));
    return Status::ok();
  }

  /// Reads an enumeration sent as its underlying integer.
  template <typename E> bool getEnum(E &Value) {
    std::underlying_type_t<E> Raw{};
    if (!get(Raw))
      return false;
    Value = static_cast<E>(Raw);
    return true;
  }

  /// True while every read so far was in bounds.
  bool ok() const { return !Failed; }

  /// True when every byte of the payload has been consumed.
  bool atEnd() const { return !Failed && Offset == Limit; }

private:
  template <typename T> static constexpr size_t alignOf() {
    return alignof(T) < 8 ? alignof(T) : 8;
  }

  bool fail() {
    Failed = true;
    return false;
  }

  const std::byte *take(size_t Bytes, size_t Align) {
    size_t Start = (size_t(Offset) + Align - 1) & ~(Align - 1);
    if (Failed || Start > Limit || Bytes > Limit - Start) {
      Failed = true;
      return nullptr;
    }
    Offset = uint32_t(Start + Bytes);
    return Page.Payload + Start;
  }

  const PPCPage &Page;
  BulkArea Bulk;
  uint32_t Limit;
  uint32_t Offset = 0;
  bool Failed;
};

} // namespace k42

#endif // K42_RUNTIME_IPC_PPCREADER_H
