//===- runtime/lib/TraceRegion.cpp - The trace file -----------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/trace/TraceRegion.h"

#include <cerrno>
#include <fcntl.h>
#include <new>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace k42::trace {
namespace {

/// Each ring's control line gets a page of its own, so its events start
/// page-aligned.
constexpr uint64_t RingHeaderBytes = 4096;

uint64_t ringOffset(const RegionHeader &H, uint32_t I) {
  return RegionHeaderBytes + uint64_t(I) * H.RingStride;
}

} // namespace

std::string regionPathFor(const std::string &SocketPath) {
  return SocketPath + ".trace";
}

Result<TraceRegion> TraceRegion::create(const std::string &Path, uint32_t Rings,
                                        uint64_t RingBytes) {
  if (Rings == 0 || Rings > 4096 || RingBytes > (uint64_t(1) << 32))
    return Status::error(EINVAL);
  uint64_t Bytes = 4096;
  while (Bytes < RingBytes)
    Bytes <<= 1;
  uint64_t Stride = RingHeaderBytes + Bytes;
  uint64_t Size = RegionHeaderBytes + Stride * Rings;
  // A fresh inode: processes of an older system keep their old mapping.
  (void)unlink(Path.c_str());
  int Fd = ::open(Path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (Fd < 0)
    return Status::error(errno);
  if (ftruncate(Fd, off_t(Size)) != 0) {
    int Error = errno;
    close(Fd);
    return Status::error(Error);
  }
  void *Map = mmap(nullptr, Size, PROT_READ | PROT_WRITE, MAP_SHARED, Fd, 0);
  int Error = errno;
  close(Fd);
  if (Map == MAP_FAILED)
    return Status::error(Error);
  auto *H = new (Map) RegionHeader{};
  H->Version = RegionVersion;
  H->Rings = Rings;
  H->RingBytes = Bytes;
  H->RingStride = Stride;
  H->Enabled.store(0, std::memory_order_relaxed);
  auto *Base = static_cast<uint8_t *>(Map);
  for (uint32_t I = 0; I < Rings; ++I)
    new (Base + ringOffset(*H, I)) RingHeader{};
  // The magic last: a process that maps the file early sees a whole header
  // or none.
  std::atomic_thread_fence(std::memory_order_release);
  H->Magic = RegionMagic;
  return TraceRegion(Base, Size);
}

Result<TraceRegion> TraceRegion::open(const std::string &Path) {
  int Fd = ::open(Path.c_str(), O_RDWR | O_CLOEXEC);
  if (Fd < 0)
    return Status::error(errno);
  struct stat St;
  if (fstat(Fd, &St) != 0 || uint64_t(St.st_size) < RegionHeaderBytes) {
    close(Fd);
    return Status::error(errc::BadMessage);
  }
  uint64_t Size = uint64_t(St.st_size);
  void *Map = mmap(nullptr, Size, PROT_READ | PROT_WRITE, MAP_SHARED, Fd, 0);
  int Error = errno;
  close(Fd);
  if (Map == MAP_FAILED)
    return Status::error(Error);
  TraceRegion Region(static_cast<uint8_t *>(Map), Size);
  const RegionHeader &H = Region.header();
  bool PowerOfTwo =
      H.RingBytes >= 4096 && (H.RingBytes & (H.RingBytes - 1)) == 0;
  if (H.Magic != RegionMagic || H.Version != RegionVersion || H.Rings == 0 ||
      !PowerOfTwo || H.RingStride != RingHeaderBytes + H.RingBytes ||
      RegionHeaderBytes + H.RingStride * H.Rings > Size)
    return Status::error(errc::BadMessage);
  return Region;
}

TraceRegion::TraceRegion(TraceRegion &&Other) noexcept
    : Base(Other.Base), Size(Other.Size) {
  Other.Base = nullptr;
}

TraceRegion &TraceRegion::operator=(TraceRegion &&Other) noexcept {
  if (this != &Other) {
    if (Base)
      munmap(Base, Size);
    Base = Other.Base;
    Size = Other.Size;
    Other.Base = nullptr;
  }
  return *this;
}

TraceRegion::~TraceRegion() {
  if (Base)
    munmap(Base, Size);
}

TraceRing TraceRegion::ring(uint32_t I) const {
  const RegionHeader &H = header();
  uint8_t *At = Base + ringOffset(H, I);
  return TraceRing(*reinterpret_cast<RingHeader *>(At), At + RingHeaderBytes,
                   H.RingBytes);
}

} // namespace k42::trace
