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
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_IPC_PPCWRITER_H
#define K42_RUNTIME_IPC_PPCWRITER_H

#include "k42/ipc/PPCPage.h"
#include "k42/ipc/Status.h"

#include <cstring>
#include <type_traits>

namespace k42 {

/// Appends values to the payload of one page.
///
/// Wire format: a fixed-size value of type T is stored at the next offset
/// aligned to min(alignof(T), 8); a variable-length blob is a uint32_t
/// element count followed, at the next 8-byte aligned offset, by the bytes.
class PPCWriter {
public:
  /// Starts writing \p Page's payload from offset 0.
  explicit PPCWriter(PPCPage &Page) : Page(Page) {}

  /// Appends a trivially copyable value.
  template <typename T> void put(const T &Value) {
    static_assert(std::is_trivially_copyable_v<T>,
                  "only trivially copyable values cross a PPC page");
    if (void *Slot = allocate(sizeof(T), alignOf<T>()))
      std::memcpy(Slot, &Value, sizeof(T));
  }

  /// Appends \p Count elements of \p ElementSize bytes each from \p Data.
  void putArray(const void *Data, size_t Count, size_t ElementSize) {
    if (!putCount(Count, ElementSize))
      return;
    size_t Bytes = Count * ElementSize;
    if (void *Slot = allocate(Bytes, 8); Slot && Bytes)
      std::memcpy(Slot, Data, Bytes);
  }

  /// Appends just an element count: the capacity of an out-buffer the
  /// server fills. A count the page could never hold overflows here.
  bool putCount(size_t Count, size_t ElementSize) {
    if (Count > PPCPage::PayloadCapacity ||
        Count * ElementSize > PPCPage::PayloadCapacity) {
      Overflow = true;
      return false;
    }
    put<uint32_t>(uint32_t(Count));
    return ok();
  }

  /// Appends a bool as one byte, 0 or 1.
  void putBool(bool Value) { put<uint8_t>(Value ? 1 : 0); }

  /// Appends an element count and reserves room for that many elements,
  /// returning where the caller may write them (nullptr on overflow). The X
  /// object uses this to let an implementation fill an out-buffer in place.
  template <typename T> T *reserveArray(size_t Count) {
    if (!putCount(Count, sizeof(T)))
      return nullptr;
    return static_cast<T *>(allocate(size_t(Count) * sizeof(T), 8));
  }

  /// True while everything written so far fitted.
  bool ok() const { return !Overflow; }

  /// Bytes of payload used so far.
  uint32_t size() const { return Offset; }

  /// Records the payload length in the page header; TooBig on overflow.
  Status finish() {
    Page.Length = Offset;
    return Overflow ? Status::error(errc::TooBig) : Status::ok();
  }

private:
  template <typename T> static constexpr size_t alignOf() {
    return alignof(T) < 8 ? alignof(T) : 8;
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
  uint32_t Offset = 0;
  bool Overflow = false;
};

} // namespace k42

#endif // K42_RUNTIME_IPC_PPCWRITER_H
