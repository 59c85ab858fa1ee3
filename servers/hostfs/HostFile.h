//===- servers/hostfs/HostFile.h - An open host file -------------*- C++
//-*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// One open file or directory of hostfs: a host fd opened inside ROOT,
/// which it owns and closes when the last user lets go.
///
//===----------------------------------------------------------------------===//

#ifndef K42_SERVERS_HOSTFS_HOSTFILE_H
#define K42_SERVERS_HOSTFS_HOSTFILE_H

#include "File.h"

#include <mutex>

namespace k42::hostfs {

/// An open host file.
class HostFile final : public fs::File {
public:
  /// Takes \p Fd; \p ReadOnly refuses every change with EROFS.
  HostFile(int Fd, bool ReadOnly) : Fd(Fd), ReadOnly(ReadOnly) {}
  ~HostFile() override;

  k42::Status pread(uint64_t Offset, uint64_t Count,
                    std::vector<uint8_t> &Data) override;
  k42::Status pwrite(uint64_t Offset, std::span<const uint8_t> Data,
                     uint32_t Flags, uint64_t &End) override;
  k42::Status stat(fs::FileAttr &Attr) override;
  k42::Status truncate(uint64_t Size) override;
  k42::Status punchHole(uint64_t Offset, uint64_t Length) override;
  k42::Status allocate(uint64_t Offset, uint64_t Length) override;
  k42::Status fsync() override;
  k42::Status seekData(uint64_t Offset, uint32_t Whence,
                       uint64_t &Found) override;
  /// ENODEV: a host file's memory is the host's page cache, which the
  /// client reaches through its own descriptor where it can (the Linux
  /// personality's "Read-only files from the host"), and by a private
  /// copy where it cannot.
  k42::Status memory(int32_t &Fd, uint64_t &Ino) override;
  k42::Status readdir(uint64_t Cookie, uint32_t MaxBytes,
                      std::vector<uint8_t> &Entries, uint64_t &Next) override;
  k42::Status chmod(const k42::Badge &Caller, uint32_t Mode) override;
  k42::Status chown(const k42::Badge &Caller, uint32_t Uid,
                    uint32_t Gid) override;
  k42::Status utimens(const k42::Badge &Caller,
                      const fs::FileTimes &Times) override;
  k42::Status close() override;
  /// ENOSYS: hostfs's directories are not renamed under it by K42 alone.
  k42::Status path(std::string &Path) override;

private:
  int Fd;
  bool ReadOnly;
  std::mutex DirLock; ///< readdir seeks the shared fd.
};

} // namespace k42::hostfs

#endif // K42_SERVERS_HOSTFS_HOSTFILE_H
