//===- servers/fs/DirentWriter.h - getdents64 records ------------*- C++
//-*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Packs directory entries as getdents64 records (struct linux_dirent64),
/// the format File::readdir returns, so the personality's getdents64 copies
/// them out unchanged.
///
//===----------------------------------------------------------------------===//

#ifndef K42_SERVERS_FS_DIRENTWRITER_H
#define K42_SERVERS_FS_DIRENTWRITER_H

#include <k42/ipc/Status.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace k42::fs {

/// Appends records to a buffer of at most a given size.
class DirentWriter {
public:
  /// The fixed part of a record: d_ino, d_off, d_reclen, d_type.
  static constexpr size_t HeaderSize = 19;

  DirentWriter(std::vector<uint8_t> &Out, uint64_t MaxBytes)
      : Out(Out), MaxBytes(MaxBytes) {
    Out.clear();
  }

  /// Appends one record (its d_off is \p Off, the cookie after it);
  /// false, with nothing appended, if it does not fit.
  bool add(uint64_t Ino, uint64_t Off, unsigned char Type,
           std::string_view Name) {
    size_t Length = (HeaderSize + Name.size() + 1 + 7) & ~size_t(7);
    if (Out.size() + Length > MaxBytes) {
      Refused = Out.empty();
      return false;
    }
    size_t At = Out.size();
    Out.resize(At + Length, 0);
    uint16_t Reclen = uint16_t(Length);
    std::memcpy(&Out[At], &Ino, 8);
    std::memcpy(&Out[At + 8], &Off, 8);
    std::memcpy(&Out[At + 16], &Reclen, 2);
    Out[At + 18] = Type;
    std::memcpy(&Out[At + HeaderSize], Name.data(), Name.size());
    return true;
  }

  /// readdir's status: the bytes given, or EINVAL if the buffer could not
  /// hold even the first record.
  Status result() const {
    return Refused ? Status::error(EINVAL) : Status::ok(int64_t(Out.size()));
  }

private:
  std::vector<uint8_t> &Out;
  uint64_t MaxBytes;
  bool Refused = false;
};

} // namespace k42::fs

#endif // K42_SERVERS_FS_DIRENTWRITER_H
