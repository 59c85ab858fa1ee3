//===- runtime/lib/Status.cpp - Status messages ---------------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/ipc/Status.h"

namespace k42 {

std::string_view Status::message() const {
  if (isOk())
    return "ok";
  // Short, lower-case, stable: tests and logs match on these.
  switch (errorCode()) {
  case errc::PermissionDenied:
    return "permission denied";
  case errc::BadHandle:
    return "bad handle";
  case errc::StaleHandle:
    return "stale handle";
  case errc::NoSuchMethod:
    return "no such method";
  case errc::BadMessage:
    return "malformed message";
  case errc::TooBig:
    return "message too big";
  case errc::IncompatibleInterface:
    return "incompatible interface";
  case errc::PeerDied:
    return "peer died";
  case errc::ChannelClosed:
    return "channel closed";
  case EINVAL:
    return "invalid argument";
  case ENOENT:
    return "not found";
  case ENOMEM:
    return "out of memory";
  case EBUSY:
    return "busy";
  case errc::RingFull:
    return "try again (notification ring full)";
  case errc::NotSupported:
    return "not supported";
  case ENOSPC:
    return "no space";
  case ERANGE:
    return "out of range";
  case EEXIST:
    return "already exists";
  case EDQUOT:
    return "quota exceeded";
  default:
    return "error";
  }
}

} // namespace k42
