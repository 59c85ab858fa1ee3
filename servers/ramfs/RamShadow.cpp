//===- servers/ramfs/RamShadow.cpp - A watched file's host stand-in -------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "RamShadow.h"
#include "RamInode.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <string_view>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace k42::ramfs;

namespace {
/// Whether \p Path is a folder this process may make files in.
bool usableFolder(const char *Path) {
  struct stat St;
  return Path && *Path && ::stat(Path, &St) == 0 && S_ISDIR(St.st_mode) &&
         ::access(Path, W_OK | X_OK) == 0;
}

/// Where the folder goes: next to the kernel's socket (the system's own
/// folder, which every client reaches and which goes with the system)
/// unless told otherwise.
std::string baseFolder() {
  if (const char *Asked = std::getenv("K42_RAMFS_WATCH_DIR");
      usableFolder(Asked))
    return Asked;
  if (const char *Socket = std::getenv("K42_KERNEL_SOCKET")) {
    std::string Dir(Socket);
    size_t Slash = Dir.rfind('/');
    if (Slash != std::string::npos && Slash > 0) {
      Dir.resize(Slash);
      if (usableFolder(Dir.c_str()))
        return Dir;
    }
  }
  if (usableFolder("/dev/shm"))
    return "/dev/shm";
  if (const char *Tmp = std::getenv("TMPDIR"); usableFolder(Tmp))
    return Tmp;
  return "/tmp";
}
} // namespace

std::shared_ptr<RamShadowFolder> RamShadowFolder::make(int &Error) {
  std::string Path = baseFolder() + "/k42-ramfs-watch-XXXXXX";
  if (!::mkdtemp(Path.data())) {
    Error = errno;
    return nullptr;
  }
  // Others search it, for the names handed to them, but cannot list it.
  int Fd = ::open(Path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (Fd < 0 || ::chmod(Path.c_str(), 0711) != 0) {
    Error = errno;
    if (Fd >= 0)
      ::close(Fd);
    (void)::rmdir(Path.c_str());
    return nullptr;
  }
  return std::shared_ptr<RamShadowFolder>(
      new RamShadowFolder(Fd, std::move(Path)));
}

RamShadowFolder::~RamShadowFolder() {
  // Every stand-in holds the folder: the last went before it.
  ::close(Fd);
  (void)::rmdir(Path.c_str());
}

std::string RamShadow::freshName() {
  uint64_t Random = 0;
  if (::getrandom(&Random, sizeof(Random), 0) != sizeof(Random))
    Random = uint64_t(::getpid()) << 32 ^ uint64_t(::time(nullptr));
  char Name[24];
  std::snprintf(Name, sizeof(Name), "%016llx",
                static_cast<unsigned long long>(Random));
  return Name;
}

std::unique_ptr<RamShadow> RamShadow::make(std::shared_ptr<RamShadowFolder> In,
                                           int &Error) {
  for (int Tries = 0; Tries < 8; ++Tries) {
    std::string Name = freshName();
    // mknod, not open: no open or close reported, to nobody yet anyway.
    if (::mknodat(In->fd(), Name.c_str(), S_IFREG | 0644, 0) != 0) {
      if (errno == EEXIST)
        continue;
      Error = errno;
      return nullptr;
    }
    int Fd = ::openat(In->fd(), Name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (Fd < 0) {
      Error = errno;
      (void)::unlinkat(In->fd(), Name.c_str(), 0);
      return nullptr;
    }
    return std::unique_ptr<RamShadow>(
        new RamShadow(std::move(In), Fd, std::move(Name)));
  }
  Error = EEXIST;
  return nullptr;
}

RamShadow::~RamShadow() {
  {
    std::lock_guard<std::mutex> Guard(Lock);
    if (!Name.empty())
      (void)::unlinkat(In->fd(), Name.c_str(), 0);
  }
  ::close(Fd);
}

std::string RamShadow::hostPath() {
  std::lock_guard<std::mutex> Guard(Lock);
  return Name.empty() ? std::string() : In->path() + "/" + Name;
}

void RamShadow::tell(Event E) {
  char Self[40];
  std::snprintf(Self, sizeof(Self), "/proc/self/fd/%d", Fd);
  // Linux's fsnotify_change: both times set is IN_ATTRIB, the access time
  // alone IN_ACCESS, the modification time alone IN_MODIFY.
  timespec Times[2] = {{0, UTIME_NOW}, {0, UTIME_NOW}};
  switch (E) {
  case Event::Modified:
    Times[0].tv_nsec = UTIME_OMIT;
    break;
  case Event::Accessed:
    Times[1].tv_nsec = UTIME_OMIT;
    break;
  case Event::Attributes:
    break;
  case Event::Moved: {
    std::lock_guard<std::mutex> Guard(Lock);
    if (Name.empty())
      return;
    std::string Next = freshName();
    if (::renameat2(In->fd(), Name.c_str(), In->fd(), Next.c_str(),
                    RENAME_NOREPLACE) == 0)
      Name = std::move(Next);
    return;
  }
  case Event::Unlinked: {
    std::lock_guard<std::mutex> Guard(Lock);
    if (!Name.empty() && ::unlinkat(In->fd(), Name.c_str(), 0) == 0)
      Name.clear();
    return;
  }
  }
  (void)::utimensat(AT_FDCWD, Self, Times, 0);
}

int RamShadow::open(uint32_t Access) {
  char Self[40];
  std::snprintf(Self, sizeof(Self), "/proc/self/fd/%d", Fd);
  uint32_t Flags =
      Access == uint32_t(O_PATH) ? uint32_t(O_PATH) : (Access & O_ACCMODE);
  return ::open(Self, int(Flags) | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
}

void RamShadow::tell(RamInode &N, Event E) {
  if (RamShadow *S = N.Shadow.load(std::memory_order_acquire))
    S->tell(E);
}

RamInode::~RamInode() { delete Shadow.load(std::memory_order_relaxed); }
