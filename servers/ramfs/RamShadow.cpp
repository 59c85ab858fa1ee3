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
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
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

/// Removes what is in the folder open at \p Dir (O_PATH), \p Depth deep.
void removeBelow(int Dir, int Depth) {
  int Fd = ::openat(Dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (Fd < 0)
    return;
  DIR *List = ::fdopendir(Fd);
  if (!List) {
    ::close(Fd);
    return;
  }
  while (dirent *E = ::readdir(List)) {
    std::string_view Name = E->d_name;
    if (Name == "." || Name == "..")
      continue;
    if (E->d_type == DT_DIR && Depth > 0) {
      int Sub = ::openat(Fd, E->d_name,
                         O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (Sub >= 0) {
        removeBelow(Sub, Depth - 1);
        ::close(Sub);
      }
    }
    (void)::unlinkat(Fd, E->d_name, E->d_type == DT_DIR ? AT_REMOVEDIR : 0);
  }
  ::closedir(List);
}

/// The /proc/self/fd name of \p Fd, into \p Out.
void selfName(int Fd, char (&Out)[40]) {
  std::snprintf(Out, sizeof(Out), "/proc/self/fd/%d", Fd);
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
  // Every stand-in holds the folder, so they went first; a directory's
  // mirror the file system left undone when it went is removed here.
  removeBelow(Fd, 64);
  ::close(Fd);
  (void)::rmdir(Path.c_str());
}

RamShadow::Held::~Held() {
  if (Fd >= 0)
    ::close(Fd);
}

RamShadow::RamShadow(std::shared_ptr<RamShadowFolder> Folder, bool IsDir,
                     int Fd, Place At)
    : Folder(std::move(Folder)), IsDir(IsDir),
      Self(std::make_shared<Held>(Fd)) {
  Places.push_back(std::move(At));
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

int RamShadow::dirFd(const Place &P) const {
  return P.Dir ? P.Dir->Fd : Folder->fd();
}

std::unique_ptr<RamShadow>
RamShadow::make(std::shared_ptr<RamShadowFolder> Folder, bool IsDir, Place At,
                bool Adopt, int &Error) {
  int In = At.Dir ? At.Dir->Fd : Folder->fd();
  const char *Name = At.Name.c_str();
  // mknod, not open: no open or close reported.
  if (!Adopt && (IsDir ? ::mkdirat(In, Name, 0755)
                       : ::mknodat(In, Name, S_IFREG | 0644, 0)) != 0) {
    Error = errno;
    return nullptr;
  }
  int Fd = ::openat(
      In, Name, O_PATH | O_NOFOLLOW | O_CLOEXEC | (IsDir ? O_DIRECTORY : 0));
  if (Fd < 0) {
    Error = errno;
    if (!Adopt)
      (void)::unlinkat(In, Name, IsDir ? AT_REMOVEDIR : 0);
    return nullptr;
  }
  return std::unique_ptr<RamShadow>(
      new RamShadow(std::move(Folder), IsDir, Fd, std::move(At)));
}

RamShadow *RamShadow::mirror(RamInode &Dir) {
  RamShadow *S = Dir.Shadow.load(std::memory_order_acquire);
  return S && S->IsDir && S->Self ? S : nullptr;
}

RamShadow *RamShadow::ensure(RamInode &N,
                             std::shared_ptr<RamShadowFolder> &Folder,
                             int &Error) {
  if (RamShadow *S = N.Shadow.load(std::memory_order_acquire))
    return S;
  if (!Folder && !(Folder = RamShadowFolder::make(Error)))
    return nullptr;
  std::unique_ptr<RamShadow> Made;
  // A directory its parent's stand-in mirrors: the empty directory there
  // becomes its own, so the parent's watchers hear of it by its name.
  if (N.isDir())
    if (std::shared_ptr<RamInode> Up = N.Parent.lock(); Up && Up.get() != &N)
      if (RamShadow *P = mirror(*Up))
        if (const std::string *Name = Up->nameOf(N))
          Made = make(Folder, true, Place{P->Self, *Name}, true, Error);
  for (int Tries = 0; !Made && Tries < 8; ++Tries) {
    Made = make(Folder, N.isDir(), Place{nullptr, freshName()}, false, Error);
    if (!Made && Error != EEXIST)
      return nullptr;
  }
  if (!Made)
    return nullptr;
  RamShadow *S = Made.release();
  N.Shadow.store(S, std::memory_order_release);
  if (S->IsDir)
    for (auto &[Name, Entry] : N.Names)
      place(*S, Name, *Entry.Node);
  return S;
}

void RamShadow::place(RamShadow &In, const std::string &Name, RamInode &Child) {
  // A subdirectory: an empty directory by its name (its own stand-in if
  // it is watched from now on; one made before stays where it is).
  if (Child.isDir()) {
    (void)::mkdirat(In.Self->Fd, Name.c_str(), 0755);
    return;
  }
  // A file: a hard link to its own stand-in, made now if need be (the
  // host: IN_CREATE for the directory, and for the file the link count's
  // IN_ATTRIB, as Linux's link reports it).
  int Error = 0;
  RamShadow *C = ensure(Child, In.Folder, Error);
  if (!C)
    return;
  std::lock_guard<std::mutex> Guard(C->Lock);
  if (C->Places.empty())
    return;
  const Place &From = C->Places.front();
  if (::linkat(C->dirFd(From), From.Name.c_str(), In.Self->Fd, Name.c_str(),
               0) == 0)
    C->Places.push_back(Place{In.Self, Name});
}

RamShadow::~RamShadow() {
  {
    std::lock_guard<std::mutex> Guard(Lock);
    for (const Place &P : Places)
      (void)::unlinkat(dirFd(P), P.Name.c_str(), IsDir ? AT_REMOVEDIR : 0);
    Places.clear();
  }
  Self.reset(); // the last hold of it: IN_DELETE_SELF, IN_IGNORED
}

std::string RamShadow::hostPath() {
  std::lock_guard<std::mutex> Guard(Lock);
  if (Places.empty() || !this->Self)
    return {};
  char Self[40];
  selfName(this->Self->Fd, Self);
  char Path[4096];
  ssize_t Length = ::readlink(Self, Path, sizeof(Path));
  if (Length <= 0 || size_t(Length) >= sizeof(Path) || Path[0] != '/')
    return {};
  std::string Answer(Path, size_t(Length));
  static constexpr std::string_view Deleted = " (deleted)";
  if (Answer.size() > Deleted.size() &&
      Answer.compare(Answer.size() - Deleted.size(), Deleted.size(), Deleted) ==
          0)
    return {};
  return Answer;
}

const RamShadow::Place *RamShadow::reported() const {
  for (const Place &P : Places)
    if (P.Dir)
      return &P;
  return nullptr;
}

void RamShadow::tell(Event E) {
  // Linux's fsnotify_change: both times set is IN_ATTRIB, the access time
  // alone IN_ACCESS, the modification time alone IN_MODIFY.
  timespec Times[2] = {{0, UTIME_NOW}, {0, UTIME_NOW}};
  if (E == Event::Modified)
    Times[0].tv_nsec = UTIME_OMIT;
  else if (E == Event::Accessed)
    Times[1].tv_nsec = UTIME_OMIT;
  std::lock_guard<std::mutex> Guard(Lock);
  if (!Self)
    return; // gone: nothing more to report
  // A link count change is the file's own (Linux reports it to no
  // directory): through the held name, in the folder, where nobody
  // watches. The others through a mirroring directory's name, if any.
  const Place *Through = E == Event::Links ? nullptr : reported();
  if (Through) {
    (void)::utimensat(dirFd(*Through), Through->Name.c_str(), Times,
                      AT_SYMLINK_NOFOLLOW);
    return;
  }
  char Self[40];
  selfName(this->Self->Fd, Self);
  (void)::utimensat(AT_FDCWD, Self, Times, 0);
}

void RamShadow::tell(RamInode &N, Event E) {
  if (RamShadow *S = N.Shadow.load(std::memory_order_acquire))
    S->tell(E);
}

int RamShadow::open(RamInode &N, uint32_t Access) {
  RamShadow *S = N.Shadow.load(std::memory_order_acquire);
  if (!S)
    return -1;
  int Flags = Access == uint32_t(O_PATH) ? O_PATH : int(Access & O_ACCMODE);
  Flags |= O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW;
  std::lock_guard<std::mutex> Guard(S->Lock);
  if (!S->Self)
    return -1;
  // Through a mirroring directory's name, whose watchers hear of it too.
  if (const Place *Through = S->reported())
    return ::openat(S->dirFd(*Through), Through->Name.c_str(), Flags);
  char Self[40];
  selfName(S->Self->Fd, Self);
  return ::open(Self, Flags & ~O_NOFOLLOW);
}

void RamShadow::unlinked() {
  std::lock_guard<std::mutex> Guard(Lock);
  for (auto It = Places.begin(); It != Places.end();) {
    if (It->Dir) {
      ++It;
      continue;
    }
    (void)::unlinkat(Folder->fd(), It->Name.c_str(), 0);
    It = Places.erase(It);
  }
}

void RamShadow::moved() {
  std::lock_guard<std::mutex> Guard(Lock);
  if (Places.empty() || Places.front().Dir)
    return;
  std::string Next = freshName();
  if (::renameat2(Folder->fd(), Places.front().Name.c_str(), Folder->fd(),
                  Next.c_str(), RENAME_NOREPLACE) == 0)
    Places.front().Name = std::move(Next);
}

void RamShadow::entered(RamInode &Dir, const std::string &Name, RamInode &Child,
                        bool Existed) {
  if (RamShadow *M = mirror(Dir)) {
    place(*M, Name, Child);
    return;
  }
  if (Existed && !Child.isDir())
    tell(Child, Event::Links);
}

void RamShadow::removed(RamInode &Dir, const std::string &Name, RamInode &Child,
                        bool Open) {
  RamShadow *M = mirror(Dir);
  RamShadow *C = Child.Shadow.load(std::memory_order_acquire);
  // Gone for good, and nobody has it open: the stand-in is let go before
  // its last name, so the host reports IN_DELETE_SELF and IN_IGNORED
  // first and the directory's IN_DELETE after, in Linux's order.
  bool Gone = Child.Attr.Nlink == 0 && !Open;
  if (Child.isDir()) {
    if (C) {
      std::lock_guard<std::mutex> Guard(C->Lock);
      for (const Place &P : C->Places)
        if (P.Dir != (M ? M->Self : nullptr) || P.Name != Name)
          (void)::unlinkat(C->dirFd(P), P.Name.c_str(), AT_REMOVEDIR);
      C->Places.clear();
      if (Gone)
        C->Self.reset();
    }
    if (M)
      (void)::unlinkat(M->Self->Fd, Name.c_str(), AT_REMOVEDIR);
    return;
  }
  if (!C) {
    if (M)
      (void)::unlinkat(M->Self->Fd, Name.c_str(), 0);
    return;
  }
  if (Gone) {
    C->unlinked();
    std::lock_guard<std::mutex> Guard(C->Lock);
    C->Self.reset();
  }
  bool Mirrored = false;
  if (M) {
    std::lock_guard<std::mutex> Guard(C->Lock);
    for (auto It = C->Places.begin(); It != C->Places.end(); ++It)
      if (It->Dir == M->Self && It->Name == Name) {
        C->Places.erase(It);
        break;
      }
    Mirrored = ::unlinkat(M->Self->Fd, Name.c_str(), 0) == 0;
  }
  if (Child.Attr.Nlink == 0)
    C->unlinked();
  else if (!Mirrored)
    C->tell(Event::Links);
}

void RamShadow::renamed(RamInode &From, const std::string &FromName,
                        RamInode &To, const std::string &ToName,
                        RamInode &Moving, RamInode *Replaced) {
  RamShadow *A = mirror(From), *B = mirror(To);
  // A replaced file's last name: its stand-in's own goes after the host's
  // rename, as Linux reports a rename over a file (the folder's
  // IN_MOVED_FROM and IN_MOVED_TO, then the file's IN_ATTRIB, which this
  // unlink's repeats and the host merges). Before, its IN_ATTRIB came
  // first and again after them (battery 43).
  struct LetGoAtEnd {
    RamShadow *Stand = nullptr;
    ~LetGoAtEnd() {
      if (Stand)
        Stand->unlinked();
    }
  } Gone;
  // The name replaced: where B mirrors it the host's rename below
  // replaces it; elsewhere it goes as an unlink's does.
  if (Replaced) {
    RamShadow *R = Replaced->Shadow.load(std::memory_order_acquire);
    if (!B) {
      removed(To, ToName, *Replaced, true);
    } else if (R) {
      {
        std::lock_guard<std::mutex> Guard(R->Lock);
        for (auto It = R->Places.begin(); It != R->Places.end(); ++It)
          if (It->Dir == B->Self && It->Name == ToName) {
            R->Places.erase(It);
            break;
          }
      }
      if (!Replaced->isDir() && Replaced->Attr.Nlink == 0)
        Gone.Stand = R;
    }
  }
  RamShadow *C = Moving.Shadow.load(std::memory_order_acquire);
  if (!A && !B) {
    if (C)
      C->moved();
    return;
  }
  int FromDir = A ? A->Self->Fd : -1, ToDir = B ? B->Self->Fd : -1;
  std::shared_ptr<RamShadowFolder> Folder = A ? A->Folder : B->Folder;
  if (Moving.isDir()) {
    // Its own stand-in, if it is the mirrored name, moves with it; one of
    // its own elsewhere only says it moved.
    bool Own = false;
    if (C && A) {
      std::lock_guard<std::mutex> Guard(C->Lock);
      Own = !C->Places.empty() && C->Places.front().Dir == A->Self &&
            C->Places.front().Name == FromName;
    }
    if (A && B) {
      (void)::renameat(FromDir, FromName.c_str(), ToDir, ToName.c_str());
      if (Own) {
        std::lock_guard<std::mutex> Guard(C->Lock);
        C->Places.front() = Place{B->Self, ToName};
      }
    } else if (A) {
      std::string Away = freshName();
      (void)::renameat(FromDir, FromName.c_str(), Folder->fd(), Away.c_str());
      if (Own) {
        std::lock_guard<std::mutex> Guard(C->Lock);
        C->Places.front() = Place{nullptr, Away};
      } else {
        (void)::unlinkat(Folder->fd(), Away.c_str(), AT_REMOVEDIR);
      }
    } else {
      std::string Made = freshName();
      if (::mkdirat(Folder->fd(), Made.c_str(), 0755) == 0)
        (void)::renameat(Folder->fd(), Made.c_str(), ToDir, ToName.c_str());
    }
    if (C && !Own)
      C->moved();
    return;
  }
  // A file: its stand-in is there if A mirrored it; made if only B does.
  int Error = 0;
  if (!C && B)
    C = ensure(Moving, B->Folder, Error);
  if (!C) {
    if (A)
      (void)::unlinkat(FromDir, FromName.c_str(), 0);
    return;
  }
  std::lock_guard<std::mutex> Guard(C->Lock);
  auto Mirrored = [&](RamShadow *In, const std::string &Name) {
    for (auto It = C->Places.begin(); It != C->Places.end(); ++It)
      if (In && It->Dir == In->Self && It->Name == Name)
        return It;
    return C->Places.end();
  };
  auto It = Mirrored(A, FromName);
  if (A && B) {
    if (::renameat(FromDir, FromName.c_str(), ToDir, ToName.c_str()) == 0 &&
        It != C->Places.end())
      *It = Place{B->Self, ToName};
  } else if (A) {
    std::string Away = freshName();
    if (::renameat(FromDir, FromName.c_str(), Folder->fd(), Away.c_str()) ==
            0 &&
        It != C->Places.end())
      *It = Place{nullptr, Away};
  } else if (!C->Places.empty()) {
    // A name made in the folder, then renamed in: IN_MOVED_TO, as Linux
    // reports a file that came from a directory nobody watches.
    std::string Made = freshName();
    const Place &Any = C->Places.front();
    if (::linkat(C->dirFd(Any), Any.Name.c_str(), Folder->fd(), Made.c_str(),
                 0) == 0) {
      if (::renameat(Folder->fd(), Made.c_str(), ToDir, ToName.c_str()) == 0)
        C->Places.push_back(Place{B->Self, ToName});
      else
        (void)::unlinkat(Folder->fd(), Made.c_str(), 0);
    }
  }
}

bool RamShadow::repoint(RamInode &N, const Place &From, const Place &To) {
  RamShadow *C = N.Shadow.load(std::memory_order_acquire);
  if (!C)
    return false;
  std::lock_guard<std::mutex> Guard(C->Lock);
  for (Place &P : C->Places)
    if (P.Dir == From.Dir && P.Name == From.Name) {
      P = To;
      return true;
    }
  return false;
}

void RamShadow::exchanged(RamInode &DirA, const std::string &NameA,
                          RamInode &DirB, const std::string &NameB, RamInode &X,
                          RamInode &Y) {
  RamShadow *A = mirror(DirA), *B = mirror(DirB);
  if (!A && !B) {
    for (RamInode *N : {&X, &Y})
      if (RamShadow *C = N->Shadow.load(std::memory_order_acquire))
        C->moved();
    return;
  }
  if (A && B) {
    if (::renameat2(A->Self->Fd, NameA.c_str(), B->Self->Fd, NameB.c_str(),
                    RENAME_EXCHANGE) == 0) {
      (void)repoint(X, Place{A->Self, NameA}, Place{B->Self, NameB});
      (void)repoint(Y, Place{B->Self, NameB}, Place{A->Self, NameA});
    }
    return;
  }
  // One mirrored folder, \p M: the file leaving its name there swaps
  // places with a name made in the folder for the one coming.
  RamShadow *M = A ? A : B;
  const std::string &Name = A ? NameA : NameB;
  RamInode &Leaving = A ? X : Y, &Coming = A ? Y : X;
  int Folder = M->Folder->fd();
  std::string Made = freshName();
  RamShadow *C = Coming.Shadow.load(std::memory_order_acquire);
  int Error = 0;
  if (Coming.isDir()) {
    if (::mkdirat(Folder, Made.c_str(), 0755) != 0)
      return;
  } else {
    if (!C)
      C = ensure(Coming, M->Folder, Error);
    bool Linked = false;
    if (C) {
      std::lock_guard<std::mutex> Guard(C->Lock);
      if (!C->Places.empty()) {
        const Place &Any = C->Places.front();
        Linked = ::linkat(C->dirFd(Any), Any.Name.c_str(), Folder, Made.c_str(),
                          0) == 0;
      }
    }
    if (!Linked)
      return;
  }
  int Remove = Coming.isDir() ? AT_REMOVEDIR : 0;
  // In the call's order, so its watchers hear the two moves in Linux's.
  int Exchanged = A ? ::renameat2(M->Self->Fd, Name.c_str(), Folder,
                                  Made.c_str(), RENAME_EXCHANGE)
                    : ::renameat2(Folder, Made.c_str(), M->Self->Fd,
                                  Name.c_str(), RENAME_EXCHANGE);
  if (Exchanged != 0) {
    (void)::unlinkat(Folder, Made.c_str(), Remove);
    return;
  }
  if (C && !Coming.isDir()) {
    std::lock_guard<std::mutex> Guard(C->Lock);
    C->Places.push_back(Place{M->Self, Name});
  }
  // The leaving file's name, in the folder now: kept if it is one of its
  // stand-in's (a watch on it lives on), else let go.
  if (!repoint(Leaving, Place{M->Self, Name}, Place{nullptr, Made}))
    (void)::unlinkat(Folder, Made.c_str(), Leaving.isDir() ? AT_REMOVEDIR : 0);
}
