//===- runtime/include/k42/ipc/BulkWindow.h - Large buffers -----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Where arrays too large for a PPC page travel. Each call's pair of pages
/// comes with a bulk window: memory both sides map (a channel slot's share
/// of the channel's memfd, or private memory in-process), split into a
/// request area the caller fills and a reply area the X object fills. An
/// array placed there is written once, by its sender, and read in place by
/// its receiver, so a 16 MiB buffer costs one copy, as a page-sized one
/// does. The page records only the array's count and its offset in the
/// area; the receiver checks both against the area before it looks.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_IPC_BULKWINDOW_H
#define K42_RUNTIME_IPC_BULKWINDOW_H

#include <cstddef>
#include <cstdint>

namespace k42 {

/// One direction's share of a bulk window.
struct BulkArea {
  /// The largest amount of out-of-line data one request, or one reply,
  /// carries: every array of a call in that direction together.
  static constexpr uint32_t Capacity = 16u << 20;

  /// The start of the area; nullptr when the transport has none, and then
  /// arrays must fit in the page.
  std::byte *Base = nullptr;

  bool available() const { return Base != nullptr; }
};

/// The two areas of one call.
struct BulkWindow {
  /// Bytes of memory one window occupies.
  static constexpr size_t Size = 2 * size_t(BulkArea::Capacity);

  BulkArea Request;
  BulkArea Reply;

  /// The window laid out at \p Base (Size bytes): request area first.
  static BulkWindow at(std::byte *Base) {
    if (!Base)
      return {};
    return {{Base}, {Base + BulkArea::Capacity}};
  }
};

} // namespace k42

#endif // K42_RUNTIME_IPC_BULKWINDOW_H
