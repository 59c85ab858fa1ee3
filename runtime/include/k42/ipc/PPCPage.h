//===- runtime/include/k42/ipc/PPCPage.h - The PPC page ---------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The fixed-size page that carries a call's arguments and results, after
/// K42's per-processor PPC page ("a logical extension to the register set").
/// The same layout is used in-process and across processes, where the page
/// lives in a channel's shared memory; whoever receives a page must treat
/// every length in it as hostile (see PPCReader).
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_IPC_PPCPAGE_H
#define K42_RUNTIME_IPC_PPCPAGE_H

#include <cstddef>
#include <cstdint>

namespace k42 {

/// One PPC page: a 32-byte header and a payload. Arguments are packed into
/// the payload by PPCWriter in parameter order; see docs in runtime/README.md
/// for the wire format.
struct alignas(64) PPCPage {
  /// The size of a page, header included.
  static constexpr uint32_t Size = 4096;
  /// The size of the header.
  static constexpr uint32_t HeaderSize = 32;
  /// The largest payload a single PPC transfer carries.
  static constexpr uint32_t PayloadCapacity = Size - HeaderSize;

  /// The method number (Meta<Name>::Methods); 0 is reserved.
  uint32_t MethodId;
  /// Payload bytes in use. Never trusted: readers clamp it to the capacity.
  uint32_t Length;
  /// In a reply, the raw Status of the call.
  int64_t Status;
  /// The interface fingerprint the caller was bound to (0: not checked).
  uint64_t Fingerprint;
  /// 0 for a call; otherwise a transport control operation
  /// (k42::ControlOp), which the transport, not the X object, performs.
  uint64_t Control;
  /// Arguments or results.
  alignas(16) std::byte Payload[PayloadCapacity];
};

static_assert(sizeof(PPCPage) == PPCPage::Size, "a PPC page is one page");
static_assert(offsetof(PPCPage, Payload) == PPCPage::HeaderSize,
              "the header layout is part of the wire format");

/// The two pages of one call: the request the stub fills and the reply the
/// X object fills. Each calling thread has its own pair per transport.
/// Operations a transport performs itself, named in PPCPage::Control.
enum class ControlOp : uint64_t {
  Call = 0,
  /// Is the object behind the target handle compatible with Fingerprint?
  Bind = 1,
  /// Payload: RightsMask, ProcessId. Reply: the new ObjectHandle.
  GiveAccess = 2,
  /// Revoke the target handle (its holder or its granter may).
  Revoke = 3,
};

struct CallBuffers {
  PPCPage Request;
  PPCPage Reply;
};

} // namespace k42

#endif // K42_RUNTIME_IPC_PPCPAGE_H
