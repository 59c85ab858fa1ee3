//===- runtime/include/k42/ipc/Status.h - Call results ----------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The result word of every K42 call, after K42's SysStatus: one signed
/// 64-bit value that is a non-negative result on success and a negated errno
/// on failure. It crosses the PPC page as is, so it must stay a plain word.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_IPC_STATUS_H
#define K42_RUNTIME_IPC_STATUS_H

#include <cerrno>
#include <cstdint>
#include <string_view>

namespace k42 {

/// The outcome of a call: success with an optional non-negative value, or an
/// errno. Errors are values, never exceptions, so a stub returns one of these
/// for every failure of the transport or of the server.
class [[nodiscard]] Status {
public:
  /// Success with value 0.
  constexpr Status() = default;

  /// Success carrying \p Value (which must be non-negative).
  static constexpr Status ok(int64_t Value = 0) { return Status(Value); }

  /// Failure with the errno \p Errno (a positive errno value).
  static constexpr Status error(int Errno) { return Status(-int64_t(Errno)); }

  /// Rebuilds a status from its wire form.
  static constexpr Status fromRaw(int64_t Raw) { return Status(Raw); }

  constexpr bool isOk() const { return Raw >= 0; }
  constexpr explicit operator bool() const { return isOk(); }

  /// The success value; 0 for errors.
  constexpr int64_t value() const { return Raw >= 0 ? Raw : 0; }

  /// The errno of a failure; 0 for success.
  /// A raw value from another process may be any negative number: one that
  /// is no errno (below -4095) reads as EPROTO, never as an overflow.
  constexpr int errorCode() const {
    if (Raw >= 0)
      return 0;
    return Raw >= -4095 ? int(-Raw) : EPROTO;
  }

  /// The wire form.
  constexpr int64_t raw() const { return Raw; }

  /// A short, stable description ("ok", "permission denied", ...), for logs
  /// and test output.
  std::string_view message() const;

  friend constexpr bool operator==(Status A, Status B) { return A.Raw == B.Raw; }

private:
  constexpr explicit Status(int64_t Raw) : Raw(Raw) {}
  int64_t Raw = 0;
};

/// Errors the K42 runtime itself produces, so that tests and users can name
/// them instead of spelling errno values.
namespace errc {
/// The handle does not carry the rights the method requires.
inline constexpr int PermissionDenied = EPERM;
/// The handle names no object (bad index or endpoint).
inline constexpr int BadHandle = EBADF;
/// The handle's sequence number is old: the slot was revoked or reused.
inline constexpr int StaleHandle = ESTALE;
/// The object does not implement the requested method number.
inline constexpr int NoSuchMethod = ENOSYS;
/// A message is truncated, or a length or offset in it is out of bounds.
inline constexpr int BadMessage = EBADMSG;
/// The arguments do not fit in a PPC page.
inline constexpr int TooBig = E2BIG;
/// The object implements no interface compatible with the stub's.
inline constexpr int IncompatibleInterface = EPROTONOSUPPORT;
/// The process at the other end of a channel is gone.
inline constexpr int PeerDied = ECONNRESET;
/// The channel was closed.
inline constexpr int ChannelClosed = EPIPE;
/// A notification found its client's ring full: it was not queued (the
/// sender is never made to wait for a client).
inline constexpr int RingFull = EAGAIN;
/// The transport cannot do this (e.g. a two-way call over a notifier).
inline constexpr int NotSupported = EOPNOTSUPP;
/// A reply's string or array is longer than the buffer the caller of a
/// handler stub gave for it (getxattr's and getcwd's errno for a buffer
/// too small): nothing was copied, and the length out says how long it is.
inline constexpr int ReplyTooBig = ERANGE;
/// Every slot of the channel is in a call (a handler stub's transport had
/// none free): try again.
inline constexpr int NoFreeSlot = EAGAIN;
} // namespace errc

} // namespace k42

#endif // K42_RUNTIME_IPC_STATUS_H
