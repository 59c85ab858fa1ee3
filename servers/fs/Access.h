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

#include <cerrno>
#include <cstdint>

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

/// Linux's chown rule for \p Who changing \p A to \p Uid and \p Gid
/// (NoOwner, -1, leaves one as it is): root may do anything; the owner may
/// keep its uid and set the group to its own gid; nobody else may change
/// anything. 0 or the errno (EPERM).
inline int mayChown(const FileAttr &A, const Badge &Who, uint32_t Uid,
                    uint32_t Gid) {
  if (Who.Uid == 0)
    return 0;
  bool Owner = Who.Uid == A.Uid;
  if (Uid != NoOwner && !(Owner && Uid == A.Uid))
    return EPERM;
  if (Gid != NoOwner && !(Owner && (Gid == A.Gid || Gid == Who.Gid)))
    return EPERM;
  return 0;
}

/// Gives \p A the owner and group of a chown that mayChown allowed; as on
/// Linux, a regular file loses its set-user-id bit, and its set-group-id
/// bit when group execute is set (whoever changed it).
inline void applyChown(FileAttr &A, uint32_t Uid, uint32_t Gid) {
  if (Uid != NoOwner)
    A.Uid = Uid;
  if (Gid != NoOwner)
    A.Gid = Gid;
  if (S_ISREG(A.Mode)) {
    A.Mode &= ~uint32_t(S_ISUID);
    if (A.Mode & S_IXGRP)
      A.Mode &= ~uint32_t(S_ISGID);
  }
}

/// After a write or truncate by user \p Writer: as Linux's
/// file_remove_privs for a writer without CAP_FSETID (anyone but root), a
/// regular file loses its set-user-id bit, and its set-group-id bit when
/// group execute is set.
inline void removePrivileges(FileAttr &A, uint32_t Writer) {
  if (Writer == 0 || !S_ISREG(A.Mode))
    return;
  A.Mode &= ~uint32_t(S_ISUID);
  if ((A.Mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
    A.Mode &= ~uint32_t(S_ISGID);
}

} // namespace k42::fs

#endif // K42_SERVERS_FS_ACCESS_H
