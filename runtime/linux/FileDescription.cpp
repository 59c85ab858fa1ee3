//===- runtime/linux/FileDescription.cpp - Shared open files --------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/FileDescription.h"

#include "k42/personality/DescriptionPool.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/OwnMemfd.h"

#include <cerrno>
#include <cstddef>
#include <cstring>

#include <fcntl.h>
#include <linux/memfd.h>
#include <sys/mman.h>
#include <sys/syscall.h>

using namespace k42::personality;

namespace {
/// Whole pages: the memfd's size and the mapping's.
constexpr long Bytes = (sizeof(FileDescription) + 4095) & ~4095L;
static_assert(Bytes <= long(OwnMemfd::MaxBytes), "grown by the pipe server");
/// Every word an open or a read looks at, and a path of up to 4000 bytes,
/// in the first page: the one page a description of an uncached file
/// touches.
static_assert(offsetof(FileDescription, Path) + 4000 <= 4096);
} // namespace

long FileDescription::make(FileDescription *&Out) {
  Out = nullptr;
  // Close-on-exec until it is a description: a posix_spawn child cloned
  // meanwhile by another thread (its exec hands on the descriptions its
  // host descriptors hold: heldAt()) never keeps one half made.
  long Fd = hostCall(SYS_memfd_create, reinterpret_cast<long>(MemfdName),
                     MFD_ALLOW_SEALING | MFD_CLOEXEC);
  if (isError(Fd))
    return Fd;
  long E = OwnMemfd::size(Fd, Bytes);
  // Code that runs without the personality (ld.so before it arms, a
  // program exec'd without it) writes to the placeholder itself: its
  // offset at the end of a memfd that cannot grow makes that write fail
  // with EPERM (and a read find EOF) instead of overwriting the
  // description every holder shares.
  if (!isError(E))
    E = hostCall(SYS_lseek, Fd, Bytes, SEEK_SET);
  if (!isError(E))
    E = hostCall(SYS_fcntl, Fd, F_ADD_SEALS,
                 F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL);
  long At = isError(E) ? E
                       : hostCall(SYS_mmap, 0, Bytes, PROT_READ | PROT_WRITE,
                                  MAP_SHARED, Fd, 0);
  if (isError(At)) {
    (void)hostCall(SYS_close, Fd);
    return At;
  }
  // The memfd's pages start zeroed: Lock free, Offset 0.
  Out = reinterpret_cast<FileDescription *>(At);
  return Fd;
}

long FileDescription::create(const char *Path, uint32_t Flags, bool IsDir,
                             bool Cloexec, FileDescription *&Out) {
  Out = nullptr;
  size_t Len = std::strlen(Path);
  if (Len > fs::PathMax)
    return -ENAMETOOLONG;
  // One the process made and closed, if it has one (DescriptionPool.h),
  // zeroed as a new one; else a new one.
  FileDescription *D = nullptr;
  long Fd = DescriptionPool::take(D, make);
  if (Fd == -ENOENT)
    Fd = make(D);
  if (isError(Fd))
    return Fd;
  D->Flags = Flags;
  D->IsDir = IsDir;
  std::memcpy(D->Path, Path, Len + 1);
  __atomic_store_n(&D->Magic, MagicValue, __ATOMIC_RELEASE);
  if (!Cloexec)
    (void)hostCall(SYS_fcntl, Fd, F_SETFD, 0);
  Out = D;
  return Fd;
}

bool FileDescription::heldAt(long Fd) {
  uint64_t Head = 0;
  static_assert(offsetof(FileDescription, Magic) == 0);
  long Got =
      hostCall(SYS_pread64, Fd, reinterpret_cast<long>(&Head), sizeof(Head), 0);
  return Got == long(sizeof(Head)) && Head == MagicValue;
}

long FileDescription::attach(long Fd, FileDescription *&Out) {
  Out = nullptr;
  long At =
      hostCall(SYS_mmap, 0, Bytes, PROT_READ | PROT_WRITE, MAP_SHARED, Fd, 0);
  if (isError(At))
    return At;
  auto *D = reinterpret_cast<FileDescription *>(At);
  if (__atomic_load_n(&D->Magic, __ATOMIC_ACQUIRE) != MagicValue) {
    (void)hostCall(SYS_munmap, At, Bytes);
    return -EINVAL;
  }
  D->Path[fs::PathMax] = 0;
  Out = D;
  return 0;
}

void FileDescription::detach(FileDescription *D) {
  if (!DescriptionPool::giveBack(D))
    unmap(D);
}

void FileDescription::unmap(const FileDescription *D) {
  if (D)
    (void)hostCall(SYS_munmap, reinterpret_cast<long>(D), Bytes);
}

long FileDescription::peek(long Fd, const FileDescription *&Out) {
  Out = nullptr;
  long At = hostCall(SYS_mmap, 0, Bytes, PROT_READ, MAP_SHARED, Fd, 0);
  if (isError(At))
    return At;
  auto *D = reinterpret_cast<const FileDescription *>(At);
  if (__atomic_load_n(&D->Magic, __ATOMIC_ACQUIRE) != MagicValue) {
    (void)hostCall(SYS_munmap, At, Bytes);
    return -EINVAL;
  }
  Out = D;
  return 0;
}
