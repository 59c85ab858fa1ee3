//===- servers/fs/Access.h - Permission bits against a badge -----*- C++
//-*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The one permission rule of the file servers: the owner's, group's or
/// others' bits of a file's mode, chosen by the uid and gid the kernel put
/// in the caller's badge; uid 0 may read and write anything and search any
/// directory, and execute what anyone may execute.
///
//===----------------------------------------------------------------------===//

#ifndef K42_SERVERS_FS_ACCESS_H
#define K42_SERVERS_FS_ACCESS_H

#include "FsTypes.h"

#include <k42/ipc/Badge.h>

#include <sys/stat.h>

namespace k42::fs {

/// Bits of mayAccess's \p Want, as access(2)'s.
enum AccessWant : unsigned { WantRead = 4, WantWrite = 2, WantExec = 1 };

/// Whether \p Who may do \p Want to a file with attributes \p A.
inline bool mayAccess(const FileAttr &A, const Badge &Who, unsigned Want) {
  if (Who.Uid == 0)
    return !(Want & WantExec) || S_ISDIR(A.Mode) || (A.Mode & 0111);
  unsigned Bits = Who.Uid == A.Uid   ? (A.Mode >> 6) & 7
                  : Who.Gid == A.Gid ? (A.Mode >> 3) & 7
                                     : A.Mode & 7;
  return (Bits & Want) == Want;
}

/// Whether \p Who owns \p A for chmod and utimens (the owner or root).
inline bool mayOwn(const FileAttr &A, const Badge &Who) {
  return Who.Uid == 0 || Who.Uid == A.Uid;
}

} // namespace k42::fs

#endif // K42_SERVERS_FS_ACCESS_H
