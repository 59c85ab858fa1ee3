//===- runtime/lib/Channel.cpp - A PPC channel ----------------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/ipc/Channel.h"

#include <cerrno>
#include <cstddef>
#include <fcntl.h>
#include <new>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include <utility>

namespace k42 {
namespace {

size_t headerBytes() { return ChannelLayout::headerBytes(); }
size_t ringStart(uint32_t NumSlots) {
  return ChannelLayout::ringStart(NumSlots);
}
size_t bulkStart(uint32_t NumSlots) {
  return ChannelLayout::bulkStart(NumSlots);
}

} // namespace

uint32_t Channel::indexOf(const void *Slot) const {
  auto At = reinterpret_cast<uintptr_t>(Slot);
  auto First = reinterpret_cast<uintptr_t>(Slots);
  if (At < First || At >= First + size_t(NumSlots) * sizeof(ChannelSlot))
    return NumSlots;
  return uint32_t((At - First) / sizeof(ChannelSlot));
}

BulkWindow Channel::bulk(uint32_t Index) const {
  return BulkWindow::at(static_cast<std::byte *>(Base) + bulkStart(NumSlots) +
                        size_t(Index) * BulkWindow::Size);
}

void Channel::releaseBulk(uint32_t Index) const {
  // Punches the pages out of the memfd, so neither side's mapping keeps
  // them: the next large call starts from zero-filled pages again.
  madvise(bulk(Index).Request.Base, BulkWindow::Size, MADV_REMOVE);
}

Channel::Channel(int Fd, void *Base, size_t Size, uint32_t NumSlots)
    : Fd(Fd), Base(Base), Size(Size), NumSlots(NumSlots),
      Header(static_cast<ChannelHeader *>(Base)),
      Slots(reinterpret_cast<ChannelSlot *>(static_cast<char *>(Base) +
                                            headerBytes())),
      Notify(reinterpret_cast<NotifyRing *>(static_cast<char *>(Base) +
                                            ringStart(NumSlots))) {}

namespace {

/// A sealed memfd of \p Size bytes, or the error.
Result<int> sealedRegion(size_t Size) {
  int Fd = memfd_create("k42-channel", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (Fd < 0)
    return Status::error(errno);
  // The size is sealed so that neither side can shrink the region under the
  // other's feet (a SIGBUS in the server would be a denial of service).
  if (ftruncate(Fd, off_t(Size)) != 0 ||
      fcntl(Fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) != 0) {
    int Error = errno;
    close(Fd);
    return Status::error(Error);
  }
  return Fd;
}

/// The header of a new channel of \p NumSlots slots. The slots and the
/// ring are left as the fresh memfd has them, zeros, which is what Free
/// slots and an empty ring are (attach() maps them the same way). Writing
/// them would fault in and keep 8 KiB per slot and the whole ring, most of
/// which a client never touches (one slot per calling thread): the kernel
/// makes a channel for every connect.
void initHeader(ChannelHeader &Header, uint32_t NumSlots) {
  Header.Magic = ChannelHeader::MagicValue;
  Header.Version = ChannelLayout::Version;
  Header.NumSlots = NumSlots;
}

} // namespace

Result<Channel> Channel::create(uint32_t NumSlots) {
  if (NumSlots == 0 || NumSlots > ChannelLayout::MaxSlots)
    return Status::error(EINVAL);
  size_t Size = sizeFor(NumSlots);
  Result<int> Fd = sealedRegion(Size);
  if (!Fd)
    return Fd.status();
  void *Base = mmap(nullptr, Size, PROT_READ | PROT_WRITE, MAP_SHARED, *Fd, 0);
  if (Base == MAP_FAILED) {
    int Error = errno;
    close(*Fd);
    return Status::error(Error);
  }
  initHeader(*new (Base) ChannelHeader{}, NumSlots);
  return Channel(*Fd, Base, Size, NumSlots);
}

Result<int> Channel::createRegion(uint32_t NumSlots) {
  if (NumSlots == 0 || NumSlots > ChannelLayout::MaxSlots)
    return Status::error(EINVAL);
  Result<int> Fd = sealedRegion(sizeFor(NumSlots));
  if (!Fd)
    return Fd;
  // Written, not mapped: the same bytes create() puts there, and zeros
  // (what the fresh memfd reads as) up to the end of what a client's first
  // call touches, so that those pages exist before the client maps them.
  ChannelHeader Header{};
  initHeader(Header, NumSlots);
  static constexpr size_t Made =
      ChannelLayout::firstCallBytes() < ChannelLayout::sizeFor(1)
          ? ChannelLayout::firstCallBytes()
          : ChannelLayout::sizeFor(1);
  static const char Zeros[Made - sizeof(ChannelHeader)] = {};
  iovec Parts[2] = {{&Header, sizeof(Header)},
                    {const_cast<char *>(Zeros), sizeof(Zeros)}};
  ssize_t Wrote = pwritev(*Fd, Parts, 2, 0);
  // And the ring's counters, which a client reads at each leased open
  // (its notification count): their page made here too, so that the read
  // maps it rather than allocating it.
  constexpr size_t Counters = offsetof(NotifyRing, Ring);
  static_assert(Counters <= sizeof(Zeros));
  ssize_t WroteRing = Wrote == ssize_t(Made)
                          ? pwrite(*Fd, Zeros, Counters,
                                   off_t(ChannelLayout::ringStart(NumSlots)))
                          : 0;
  if (Wrote != ssize_t(Made) || WroteRing != ssize_t(Counters)) {
    int Error = Wrote < 0 || WroteRing < 0 ? errno : EIO;
    close(*Fd);
    return Status::error(Error);
  }
  return Fd;
}

Result<Channel> Channel::attach(int Fd, size_t Bytes) {
  size_t Size = Bytes;
  if (Size < sizeFor(1)) {
    struct stat Info;
    if (fstat(Fd, &Info) != 0 || size_t(Info.st_size) < sizeFor(1)) {
      close(Fd);
      return Status::error(errc::BadMessage);
    }
    // Without the seals the creator could truncate the region later.
    int Seals = fcntl(Fd, F_GET_SEALS);
    if (Seals < 0 || !(Seals & F_SEAL_SHRINK)) {
      close(Fd);
      return Status::error(errc::BadMessage);
    }
    Size = size_t(Info.st_size);
  }
  void *Base = mmap(nullptr, Size, PROT_READ | PROT_WRITE, MAP_SHARED, Fd, 0);
  if (Base == MAP_FAILED) {
    int Error = errno;
    close(Fd);
    return Status::error(Error);
  }
  const auto *Header = static_cast<const ChannelHeader *>(Base);
  uint32_t NumSlots = Header->NumSlots;
  if (!ChannelLayout::fits(*Header, NumSlots, Size)) {
    munmap(Base, Size);
    close(Fd);
    return Status::error(errc::BadMessage);
  }
  return Channel(Fd, Base, Size, NumSlots);
}

Channel::Channel(Channel &&Other) noexcept
    : Fd(Other.Fd), Base(Other.Base), Size(Other.Size),
      NumSlots(Other.NumSlots), Header(Other.Header), Slots(Other.Slots),
      Notify(Other.Notify) {
  Other.Fd = -1;
  Other.Base = nullptr;
}

Channel &Channel::operator=(Channel &&Other) noexcept {
  std::swap(Fd, Other.Fd);
  std::swap(Base, Other.Base);
  std::swap(Size, Other.Size);
  std::swap(NumSlots, Other.NumSlots);
  std::swap(Header, Other.Header);
  std::swap(Slots, Other.Slots);
  std::swap(Notify, Other.Notify);
  return *this;
}

Channel::~Channel() {
  if (Base)
    munmap(Base, Size);
  if (Fd >= 0)
    close(Fd);
}

} // namespace k42
