//===- runtime/include/k42/ipc/PPCWriter.h - Marshalling --------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Packs values into a PPC page's payload. Generated stubs and X objects
/// are its only expected users. Overflow is sticky: once a value does not
/// fit, every later put is ignored and finish() reports TooBig, so generated
/// code checks once per message instead of once per argument.
///
/// An array larger than InlineMax, or one the page has no room left for,
/// goes to the call's bulk area when there is one (see BulkWindow.h): the
/// page then holds its count with ArrayOutOfLine set, and its offset in
/// the area.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_IPC_PPCWRITER_H
#define K42_RUNTIME_IPC_PPCWRITER_H

#include "k42/ipc/BulkWindow.h"
#include "k42/ipc/PPCPage.h"
#include "k42/ipc/Status.h"

#include <cstring>
#include <type_traits>

namespace k42 {

/// Marks an array count whose elements are in the bulk area; the count is
/// then followed by a 32-bit offset into that area.
inline constexpr uint32_t ArrayOutOfLine = 0x8000'0000u;

/// Appends values to the payload of one page.
///
/// Wire format: a fixed-size value of type T is stored at the next offset
/// aligned to min(alignof(T), 8); a variable-length blob is a uint32_t
/// element count followed, at the next 8-byte aligned offset, by the bytes;
/// or, out of line, the count with ArrayOutOfLine set and a uint32_t offset
/// (64-byte aligned) of the bytes in the bulk area.
class PPCWriter {
public:
  /// Arrays of up to this many bytes stay in the page while it has room:
  /// below this, a copy into the page costs less than touching more memory.
  static constexpr size_t InlineMax = 1024;

  /// Starts writing \p Page's payload from offset 0, with \p Bulk (if
  /// available) for arrays that do not belong in the page.
  explicit PPCWriter(PPCPage &Page, BulkArea Bulk = {})
      : Page(Page), Bulk(Bulk) {}

  /// Appends a trivially copyable value.
  template <typename T> void put(const T &Value) {
    static_assert(std::is_trivially_copyable_v<T>,
                  "only trivially copyable values cross a PPC page");
    if (void *Slot = allocate(sizeof(T), alignOf<T>()))
      std::memcpy(Slot, &Value, sizeof(T));
  }

  /// Appends \p Count elements of \p ElementSize bytes each from \p Data:
  /// the one copy the array makes on its way to the receiver.
  void putArray(const void *Data, size_t Count, size_t ElementSize) {
    if (void *Slot = placeArray(Count, ElementSize); Slot && Count)
      std::memcpy(Slot, Data, Count * ElementSize);
  }

  /// Appends just an element count: the capacity of an out-buffer the
  /// server fills. A count no reply could hold overflows here.
  bool putCount(size_t Count, size_t ElementSize) {
    if (!fits(Count, ElementSize, maxArrayBytes())) {
      Overflow = true;
      return false;
    }
    put<uint32_t>(uint32_t(Count));
    return ok();
  }

  /// Appends a bool as one byte, 0 or 1.
  void putBool(bool Value) { put<uint8_t>(Value ? 1 : 0); }

  /// Appends an array of \p Count elements and returns where the caller
  /// may write them (nullptr on overflow). The X object uses this to let an
  /// implementation fill an out-buffer in place, in the page or the bulk
  /// area, so the data is copied only by the client taking it out.
  template <typename T> T *reserveArray(size_t Count) {
    return static_cast<T *>(placeArray(Count, sizeof(T)));
  }

  /// True while everything written so far fitted.
  bool ok() const { return !Overflow; }

  /// Bytes of payload used so far.
  uint32_t size() const { return Offset; }

  /// Bytes of the bulk area used so far.
  uint32_t bulkSize() const { return BulkUsed; }

  /// Records the payload length in the page header; TooBig on overflow.
  Status finish() {
    Page.Length = Offset;
    return Overflow ? Status::error(errc::TooBig) : Status::ok();
  }

private:
  template <typename T> static constexpr size_t alignOf() {
    return alignof(T) < 8 ? alignof(T) : 8;
  }

  static bool fits(size_t Count, size_t ElementSize, size_t Limit) {
    return Count < ArrayOutOfLine &&
           (ElementSize == 0 || Count <= Limit / ElementSize);
  }

  size_t maxArrayBytes() const {
    return Bulk.available() ? BulkArea::Capacity : PPCPage::PayloadCapacity;
  }

  /// Writes an array's count (and offset) and returns where its elements
  /// go.
  void *placeArray(size_t Count, size_t ElementSize) {
    if (Overflow || !fits(Count, ElementSize, maxArrayBytes())) {
      Overflow = true;
      return nullptr;
    }
    size_t Bytes = Count * ElementSize;
    size_t Start = (size_t(Offset) + 3) & ~size_t(3);
    size_t InlineStart = (Start + 4 + 7) & ~size_t(7);
    bool Inline = !Bulk.available() ||
                  (Bytes <= InlineMax &&
                   InlineStart + Bytes <= PPCPage::PayloadCapacity);
    if (Inline) {
      put<uint32_t>(uint32_t(Count));
      return allocate(Bytes, 8);
    }
    // Cache-line aligned, so the sender's copy and the receiver's reads
    // start on a line of their own.
    size_t At = (size_t(BulkUsed) + 63) & ~size_t(63);
    if (At > BulkArea::Capacity || Bytes > BulkArea::Capacity - At) {
      Overflow = true;
      return nullptr;
    }
    put<uint32_t>(uint32_t(Count) | ArrayOutOfLine);
    put<uint32_t>(uint32_t(At));
    if (Overflow)
      return nullptr;
    BulkUsed = uint32_t(At + Bytes);
    return Bulk.Base + At;
  }

  void *allocate(size_t Bytes, size_t Align) {
    size_t Start = (size_t(Offset) + Align - 1) & ~(Align - 1);
    if (Overflow || Start + Bytes > PPCPage::PayloadCapacity) {
      Overflow = true;
      return nullptr;
    }
    Offset = uint32_t(Start + Bytes);
    return Page.Payload + Start;
  }

  PPCPage &Page;
  BulkArea Bulk;
  uint32_t Offset = 0;
  uint32_t BulkUsed = 0;
  bool Overflow = false;
};

} // namespace k42

#endif // K42_RUNTIME_IPC_PPCWRITER_H
