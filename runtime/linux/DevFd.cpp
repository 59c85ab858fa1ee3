//===- runtime/linux/DevFd.cpp - Descriptors reached by name --------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/DevFd.h"

#include "k42/personality/FdTable.h"
#include "k42/personality/FileDescription.h"
#include "k42/personality/FileDispatch.h"
#include "k42/personality/FsBridge.h"
#include "k42/personality/GateHeap.h"
#include "k42/personality/Handlers.h"
#include "k42/personality/HeldPipe.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/HostFolder.h"
#include "k42/personality/KernelConnection.h"
#include "k42/personality/OwnMemfd.h"
#include "k42/personality/PipeCalls.h"
#include "k42/personality/ProcNames.h"
#include "k42/personality/ProgramFds.h"
#include "k42/personality/UserMemory.h"

#include <cerrno>
#include <cstdint>
#include <cstring>

#include <fcntl.h>
#include <linux/memfd.h>
#include <sys/syscall.h>

using namespace k42::personality;

namespace {

/// Skips \p Prefix at \p P; null if \p P does not start with it.
const char *skip(const char *P, const char *Prefix) {
  size_t N = std::strlen(Prefix);
  return std::strncmp(P, Prefix, N) == 0 ? P + N : nullptr;
}

/// A decimal number as procfs spells one (no sign, no leading zero) up to
/// \p End ('/' or the terminator); its value and the character after it,
/// or -1.
long decimal(const char *&P) {
  if (*P < '0' || *P > '9' || (P[0] == '0' && P[1] >= '0' && P[1] <= '9'))
    return -1;
  long V = 0;
  for (; *P >= '0' && *P <= '9'; ++P) {
    V = V * 10 + (*P - '0');
    if (V > (1L << 31))
      return -1;
  }
  return V;
}

/// /proc/<Pid>, /proc/<Pid>/task/<tid>, /proc/self, /proc/thread-self
/// after "/proc/": the rest (from the '/' that follows), or null.
const char *ownProcess(const char *P, long Pid) {
  if (const char *Rest = skip(P, "self"))
    return Rest;
  if (const char *Rest = skip(P, "thread-self"))
    return Rest;
  if (decimal(P) != Pid || Pid < 0)
    return nullptr;
  if (const char *Task = skip(P, "/task/")) {
    if (decimal(Task) < 0)
      return nullptr;
    return Task;
  }
  return P;
}

/// Where the descriptor number starts in /dev/fd/N... or in this
/// process's /proc/.../fd/N... (ownProcess()'s spellings); null for any
/// other path.
const char *fdNumberAt(const char *Path, long Pid) {
  if (const char *Dev = skip(Path, "/dev/"))
    return skip(Dev, "fd/");
  if (const char *Proc = skip(Path, "/proc/"))
    if (const char *Own = ownProcess(Proc, Pid))
      return skip(Own, "/fd/");
  return nullptr;
}

/// Where the descriptor number starts in this process's
/// /proc/.../fdinfo/N (ownProcess()'s spellings); null for any other path.
const char *infoNumberAt(const char *Path, long Pid) {
  if (const char *Proc = skip(Path, "/proc/"))
    if (const char *Own = ownProcess(Proc, Pid))
      return skip(Own, "/fdinfo/");
  return nullptr;
}

/// "pipe:[id]" into \p Out (room for 32); its length.
size_t pipeName(uint64_t Id, char *Out) {
  char *At = Out;
  for (char C : {'p', 'i', 'p', 'e', ':', '['})
    *At++ = C;
  At = putDecimal(At, Id);
  *At++ = ']';
  return size_t(At - Out);
}

} // namespace

long DevFd::number(const char *Path, long Pid, bool Aliases) {
  if (const char *Dev = skip(Path, "/dev/"); Dev && Aliases) {
    static const char *const Std[] = {"stdin", "stdout", "stderr"};
    for (long I = 0; I < 3; ++I)
      if (std::strcmp(Dev, Std[I]) == 0)
        return I;
  }
  const char *Rest = fdNumberAt(Path, Pid);
  if (!Rest)
    return -1;
  long N = decimal(Rest);
  return *Rest == 0 ? N : -1;
}

const char *DevFd::underFd(const char *Path, long Pid, long &Fd) {
  const char *Rest = fdNumberAt(Path, Pid);
  if (!Rest)
    return nullptr;
  Fd = decimal(Rest);
  return Fd >= 0 && *Rest == '/' ? Rest + 1 : nullptr;
}

const char *DevFd::ownLink(const char *Path, long Pid, const char *Link) {
  const char *Proc = skip(Path, "/proc/");
  const char *Own = Proc ? ownProcess(Proc, Pid) : nullptr;
  if (!Own || *Own != '/')
    return nullptr;
  const char *Rest = skip(Own + 1, Link);
  return Rest && (*Rest == 0 || *Rest == '/') ? Rest : nullptr;
}

const char *DevFd::anyProcessRest(const char *Path) {
  const char *Proc = skip(Path, "/proc/");
  if (!Proc)
    return nullptr;
  auto Digits = [](const char *&At) {
    const char *Start = At;
    while (*At >= '0' && *At <= '9')
      ++At;
    return At != Start;
  };
  if (!Digits(Proc))
    return nullptr;
  if (const char *Task = skip(Proc, "/task/")) {
    Proc = Task;
    if (!Digits(Proc))
      return nullptr;
  }
  return Proc;
}

bool DevFd::isFdDirectory(const char *Path, long Pid) {
  if (Pid < 0) {
    const char *Rest = anyProcessRest(Path);
    return Rest && std::strcmp(Rest, "/fd") == 0;
  }
  const char *Proc = skip(Path, "/proc/");
  if (!Proc || !(Proc[0] >= '0' && Proc[0] <= '9'))
    return false; // the host's link names the pid
  const char *Own = ownProcess(Proc, Pid);
  return Own && std::strcmp(Own, "/fd") == 0;
}

size_t DevFd::hidePrivate(char *Buffer, size_t Length, bool Own) {
  // d_ino (8), d_off (8), d_reclen (2), d_type (1), then the name.
  constexpr size_t NameAt = 19;
  size_t Kept = 0;
  for (size_t At = 0; At + NameAt < Length;) {
    uint16_t Size;
    std::memcpy(&Size, Buffer + At + 16, sizeof(Size));
    if (Size < NameAt || At + Size > Length)
      break;
    const char *Name = Buffer + At + NameAt;
    long Fd = decimal(Name);
    bool Private = Fd >= KernelConnection::FirstPrivateFd && *Name == 0 &&
                   !(Own && ProgramFds::holds(Fd));
    if (!Private) {
      if (Kept != At)
        std::memmove(Buffer + Kept, Buffer + At, Size);
      Kept += Size;
    }
    At += Size;
  }
  return Kept;
}

namespace {
/// The caller's absolute path into \p Path if it is short enough to be one
/// of the names this file knows (the longest, "/proc/<pid>/task/<tid>/fd/
/// <fd>", fits), copied a page piece at a time (a short path at a page's
/// end); false otherwise or for a bad pointer. With \p Absolute false, a
/// relative name too.
bool copyName(long UserPath, char (&Path)[72], bool Absolute = true) {
  size_t N = 0;
  auto At = static_cast<uintptr_t>(UserPath);
  if (!UserPath)
    return false;
  for (;;) {
    size_t Piece = 4096 - ((At + N) & 4095);
    if (Piece > sizeof(Path) - N)
      Piece = sizeof(Path) - N;
    if (Piece == 0 ||
        UserMemory::copyIn(Path + N, reinterpret_cast<const void *>(At + N),
                           Piece) < 0)
      return false;
    if (std::memchr(Path + N, 0, Piece))
      break;
    N += Piece;
  }
  return !Absolute || Path[0] == '/';
}

/// The host's target of link \p Path into \p Out (\p Room bytes with its
/// terminator); false if it has none that fits or cannot be read.
bool hostLink(const char *Path, char *Out, size_t Room) {
  long N = hostCall(SYS_readlink, reinterpret_cast<long>(Path),
                    reinterpret_cast<long>(Out), long(Room) - 1);
  if (N <= 0)
    return false;
  Out[N] = 0;
  return true;
}

/// The host pid, only for a name that spells one (-1 otherwise).
long pidFor(const char *Path) {
  if (const char *Proc = skip(Path, "/proc/");
      Proc && *Proc >= '0' && *Proc <= '9')
    return hostCall(SYS_getpid);
  return -1;
}
} // namespace

bool DevFd::namesOwnExe(long UserPath) {
  char Path[72];
  if (!copyName(UserPath, Path))
    return false;
  const char *Proc = skip(Path, "/proc/");
  const char *Own = Proc ? ownProcess(Proc, pidFor(Path)) : nullptr;
  return Own && std::strcmp(Own, "/exe") == 0;
}

namespace {
/// The memfd DevFd::publishCwd keeps the current directory in.
constexpr char CwdName[] = "k42-cwd";

/// Whether the host's link \p FdPath (a /proc/.../fd/N) is a memfd the
/// personality named \p Name.
bool isMemfd(const char *FdPath, const char *Name) {
  char Link[64];
  const char *Rest =
      hostLink(FdPath, Link, sizeof(Link)) ? skip(Link, "/memfd:") : nullptr;
  Rest = Rest ? skip(Rest, Name) : nullptr;
  return Rest && (!*Rest || *Rest == ' '); // " (deleted)"
}

/// The K42 file description another process's descriptor name \p FdPath
/// (/proc/<pid>/fd/<n>) holds, mapped read-only (FileDescription::unmap
/// after), or null: the host's name says first whether it is a
/// description's memfd, then it is opened for reading only and mapped
/// (FileDescription::peek, its magic checked). Opened for writing, the
/// placeholder broke a read lease its holder had, whose SIGIO killed it
/// (battery 37: a readlink of its /proc/<pid>/fd/N, as lsof makes).
const FileDescription *otherDescription(const char *FdPath) {
  if (!isMemfd(FdPath, FileDescription::MemfdName))
    return nullptr;
  long Fd = hostCall(SYS_openat, AT_FDCWD, reinterpret_cast<long>(FdPath),
                     O_RDONLY | O_CLOEXEC);
  if (Fd < 0)
    return nullptr;
  const FileDescription *D = nullptr;
  long E = FileDescription::peek(Fd, D);
  (void)hostCall(SYS_close, Fd);
  return E < 0 ? nullptr : D;
}

/// The K42 file description another process's descriptor name \p Path
/// (copied in) holds, mapped read-only (FileDescription::unmap after), or null:
/// /proc/<pid>/fd/<n> or a thread's, of another process (this one's are
/// k42Fd's), the spellings fdNumberAt knows for that pid.
const FileDescription *otherFdDescription(const char *Path) {
  const char *Proc = skip(Path, "/proc/");
  long Pid = Proc ? decimal(Proc) : -1;
  const char *Number =
      Pid >= 0 && Pid != hostCall(SYS_getpid) ? fdNumberAt(Path, Pid) : nullptr;
  if (!Number || decimal(Number) < 0 || *Number)
    return nullptr;
  return otherDescription(Path);
}

/// DevFd::otherProcessFile of a name already copied in; with \p Key, the
/// description's open key there too (DevFd::openOtherFile).
bool otherFile(const char *Path, char *Out, size_t Capacity,
               uint64_t *Key = nullptr) {
  const FileDescription *D = otherFdDescription(Path);
  if (!D)
    return false;
  size_t Length = strnlen(D->Path, sizeof(D->Path));
  bool Found =
      D->Path[0] == '/' && Length < sizeof(D->Path) && Length < Capacity;
  if (Found)
    std::memcpy(Out, D->Path, Length + 1);
  if (Key)
    *Key = D->OpenKey;
  FileDescription::unmap(D);
  return Found;
}
/// Another process's /proc/<pid>/exe (\p Path, copied in) when its program
/// is a copy of a K42 file (FileState::hostImage's memfd, named ImageName
/// and the file's path): that path into \p Out, " (deleted)" after it when
/// it names nothing now, as Linux's d_path of an unlinked program.
bool otherExe(const char *Path, char *Out, size_t Capacity) {
  const char *Proc = skip(Path, "/proc/");
  long Pid = Proc ? decimal(Proc) : -1;
  const char *Rest = Pid >= 0 ? skip(Proc, "/exe") : nullptr;
  if (!Rest || *Rest || Pid == hostCall(SYS_getpid))
    return false;
  char Host[FileDispatch::PathBytes + 32];
  long N = hostCall(SYS_readlink, reinterpret_cast<long>(Path),
                    reinterpret_cast<long>(Host), sizeof(Host) - 1);
  if (N <= 0)
    return false;
  Host[N] = 0;
  static constexpr char Memfd[] = "/memfd:";
  const char *Name = skip(Host, Memfd);
  const char *K42Path = Name ? skip(Name, DevFd::ImageName) : nullptr;
  if (!K42Path || K42Path[0] != '/')
    return false;
  // The memfd itself is always unlinked.
  constexpr size_t Suffix = sizeof(DevFd::Deleted) - 1;
  size_t Length = std::strlen(K42Path);
  if (Length >= Suffix &&
      std::strcmp(K42Path + Length - Suffix, DevFd::Deleted) == 0)
    Length -= Suffix;
  if (Length + Suffix + 1 > Capacity)
    return false;
  std::memcpy(Out, K42Path, Length);
  Out[Length] = 0;
  k42::fs::FileAttr Attr;
  if (FsBridge::stat(Out, false, Attr) == -ENOENT)
    (void)DevFd::markDeleted(Out, Length, Capacity);
  return true;
}
} // namespace

long DevFd::linkAccess(long UserPath) {
  // Every lstat asks: the name is copied in once, for both spellings.
  char Path[72];
  if (!copyName(UserPath, Path))
    return -1;
  // The process's own (not /dev/stdin and its kind: those are /dev's own
  // symlinks).
  if (long Fd = number(Path, pidFor(Path), false); Fd >= 0) {
    if (Fd >= FdTable::MaxFds)
      return -1;
    if (HeldPipe End(Fd); End)
      return End->ReadWrite ? O_RDWR : End->Writer ? O_WRONLY : O_RDONLY;
    HeldFile File;
    if (FileDispatch::fd(Fd, File) == FileDispatch::FdKind::File)
      return File->Desc->Flags & O_ACCMODE;
    return -1;
  }
  const FileDescription *D = otherFdDescription(Path);
  if (!D)
    return -1;
  long Access = D->Flags & O_ACCMODE;
  FileDescription::unmap(D);
  return Access;
}

bool DevFd::otherProcessFile(long UserPath, char *Out, size_t Capacity) {
  char Path[72];
  return copyName(UserPath, Path) && otherFile(Path, Out, Capacity);
}

void DevFd::publishCwd(const char *Abs) {
  // CwdFd is the personality's only while it holds a k42-cwd memfd or
  // nothing: a channel may have taken the number (GateTransport's from
  // 1010 up), which is then left alone.
  static const char Self[] = "/proc/self/fd/1023";
  static_assert(CwdFd == 1023, "Self names it");
  if (hostCall(SYS_fcntl, CwdFd, F_GETFD) >= 0 && !isMemfd(Self, CwdName))
    return;
  if (!Abs) {
    (void)hostCall(SYS_close, CwdFd);
    return;
  }
  long Mem =
      hostCall(SYS_memfd_create, reinterpret_cast<long>(CwdName), MFD_CLOEXEC);
  if (isError(Mem))
    return;
  long Length = long(std::strlen(Abs));
  if (OwnMemfd::write(Mem, Abs, size_t(Length), 0) == Length)
    OwnMemfd::moveTo(Mem, CwdFd);
  else
    (void)hostCall(SYS_close, Mem);
}

const char *DevFd::otherCwd(const char *Path, char *Out, size_t Capacity) {
  const char *Proc = skip(Path, "/proc/");
  long Pid = Proc ? decimal(Proc) : -1;
  const char *Rest = Pid >= 0 ? skip(Proc, "/cwd") : nullptr;
  if (!Rest || (*Rest && *Rest != '/') || Pid == hostCall(SYS_getpid))
    return nullptr;
  char Fd[48];
  char *At = putDecimal(Fd + std::strlen(std::strcpy(Fd, "/proc/")), Pid);
  At = std::strcpy(At, "/fd/") + 4;
  *putDecimal(At, DevFd::CwdFd) = 0;
  if (!isMemfd(Fd, CwdName))
    return nullptr;
  long Mem = hostCall(SYS_openat, AT_FDCWD, reinterpret_cast<long>(Fd),
                      O_RDONLY | O_CLOEXEC);
  if (Mem < 0)
    return nullptr;
  long Got = hostCall(SYS_pread64, Mem, reinterpret_cast<long>(Out),
                      long(Capacity) - 1, 0);
  (void)hostCall(SYS_close, Mem);
  if (Got <= 0 || Out[0] != '/')
    return nullptr;
  Out[Got] = 0;
  return Rest;
}

bool DevFd::otherProcessLink(long UserPath, long User, long Size,
                             long &Result) {
  char Name[72];
  char Path[FileDispatch::PathBytes];
  const char *Rest = nullptr;
  if (Size <= 0 || !copyName(UserPath, Name) ||
      !(((Rest = otherCwd(Name, Path, sizeof(Path))) && !*Rest) ||
        otherFile(Name, Path, sizeof(Path)) ||
        otherExe(Name, Path, sizeof(Path))))
    return false;
  Result = linkText(Path, std::strlen(Path), User, Size);
  return true;
}

long DevFd::k42Fd(long UserPath, bool Aliases) {
  char Path[72];
  if (!copyName(UserPath, Path))
    return -1;
  long Fd = number(Path, pidFor(Path), Aliases);
  if (Fd < 0 || Fd >= FdTable::MaxFds)
    return -1;
  HeldFile File;
  return FileDispatch::fd(Fd, File) == FileDispatch::FdKind::Host ? -1 : Fd;
}

long DevFd::k42FdAt(long DirFd, long UserPath) {
  if (DirFd < 0 || DirFd >= FdTable::MaxFds) // AT_FDCWD too
    return -1;
  char Name[72];
  if (!copyName(UserPath, Name, /*Absolute=*/false) || Name[0] < '0' ||
      Name[0] > '9')
    return -1;
  const char *Rest = Name;
  long Fd = decimal(Rest);
  if (Fd < 0 || *Rest != 0 || Fd >= FdTable::MaxFds)
    return -1;
  HeldFile File;
  if (FileDispatch::fd(DirFd, File) != FileDispatch::FdKind::Host)
    return -1;
  char Link[FdPathBytes];
  fdPath(DirFd, Link);
  char Folder[72];
  if (!hostLink(Link, Folder, sizeof(Folder)) ||
      !isFdDirectory(Folder, pidFor(Folder)))
    return -1;
  return FileDispatch::fd(Fd, File) == FileDispatch::FdKind::Host ? -1 : Fd;
}

long DevFd::k42InfoFd(long UserPath) {
  char Path[72];
  if (!copyName(UserPath, Path))
    return -1;
  const char *Rest = infoNumberAt(Path, pidFor(Path));
  long Fd = Rest ? decimal(Rest) : -1;
  if (Fd < 0 || *Rest || Fd >= FdTable::MaxFds)
    return -1;
  HeldFile File;
  return FileDispatch::fd(Fd, File) == FileDispatch::FdKind::Host ? -1 : Fd;
}

namespace {
/// The mount id and inode the host's /proc/.../fdinfo/N file \p Path says
/// (what it says of a placeholder: its mount's, and a pipe end's inode as
/// its fstat says), and its flags line.
void hostInfo(const char *Path, uint64_t &MountId, uint64_t &Ino,
              uint64_t &Flags) {
  MountId = Ino = Flags = 0;
  char Text[256];
  long Got = readHostFile(Path, Text, sizeof(Text) - 1);
  if (Got <= 0)
    return;
  Text[Got] = 0;
  auto Field = [&](const char *Name, uint64_t &Out, unsigned Base) {
    const char *M = std::strstr(Text, Name);
    if (!M)
      return;
    for (M += std::strlen(Name); *M == '\t' || *M == ' '; ++M) {
    }
    for (; *M >= '0' && *M < char('0' + Base); ++M)
      Out = Out * Base + uint64_t(*M - '0');
  };
  Field("mnt_id:", MountId, 10);
  Field("ino:", Ino, 10);
  Field("flags:", Flags, 8);
}

/// Linux's fdinfo text for these values, "pos:\t<n>\nflags:\t0<octal>\n
/// mnt_id:\t<n>\nino:\t<n>\n", as an open of the file gives it
/// (OwnMemfd::readOnlyFile).
long infoFile(uint64_t Pos, uint64_t Flags, uint64_t MountId, uint64_t Ino,
              long OpenFlags) {
  char Out[160];
  char *At = Out;
  auto Put = [&](const char *S) {
    while (*S)
      *At++ = *S++;
  };
  Put("pos:\t");
  At = putDecimal(At, Pos);
  Put("\nflags:\t0");
  char Octal[24];
  int N = 0;
  do {
    Octal[N++] = char('0' + (Flags & 7));
    Flags >>= 3;
  } while (Flags);
  while (N)
    *At++ = Octal[--N];
  Put("\nmnt_id:\t");
  At = putDecimal(At, MountId);
  Put("\nino:\t");
  At = putDecimal(At, Ino);
  Put("\n");
  return OwnMemfd::readOnlyFile("k42-fdinfo", Out, size_t(At - Out), OpenFlags);
}

/// open(2)'s O_LARGEFILE, which it sets for files on 64-bit.
constexpr uint64_t KernelLargeFile = FileDescription::KernelLargeFile;
} // namespace

long DevFd::openInfo(long Fd, long Flags) {
  // What the descriptor's own calls answer: its offset, its status flags
  // and close-on-exec.
  SyscallCall Ask = {};
  Ask.Number = SYS_fcntl;
  Ask.Arg[0] = Fd;
  Ask.Arg[1] = F_GETFL;
  long Status = sys::fcntl(Ask);
  if (Status < 0)
    return Status;
  Ask.Arg[1] = F_GETFD;
  long FdFlags = sys::fcntl(Ask);
  Ask = {};
  Ask.Number = SYS_lseek;
  Ask.Arg[0] = Fd;
  Ask.Arg[2] = SEEK_CUR;
  long Pos = sys::lseek(Ask);
  char Host[48] = "/proc/self/fdinfo/";
  *putDecimal(Host + 18, uint64_t(Fd)) = 0;
  uint64_t MountId, Ino, HostFlags;
  hostInfo(Host, MountId, Ino, HostFlags);
  // A file's offset and inode are the description's, and open set
  // O_LARGEFILE; a pipe's end has no offset, and pipe sets no
  // O_LARGEFILE.
  uint64_t Large = 0;
  HeldFile File;
  switch (FileDispatch::fd(Fd, File)) {
  case FileDispatch::FdKind::Pipe:
    Pos = 0;
    break;
  case FileDispatch::FdKind::File:
    Ino = File->Desc->Ino;
    Large = KernelLargeFile;
    break;
  case FileDispatch::FdKind::Host:
    return -EBADF;
  }
  uint64_t Shown = uint64_t(Status) | Large |
                   ((FdFlags > 0 && (FdFlags & FD_CLOEXEC)) ? O_CLOEXEC : 0);
  return infoFile(uint64_t(Pos < 0 ? 0 : Pos), Shown, MountId, Ino, Flags);
}

bool DevFd::openOtherFile(long UserPath, long Flags, long Mode, long &Result) {
  char Name[72];
  char Path[FileDispatch::PathBytes];
  uint64_t Key = 0;
  if (!copyName(UserPath, Name) || !otherFile(Name, Path, sizeof(Path), &Key))
    return false;
  // The name is a link: O_NOFOLLOW stops at it, as on Linux.
  Result = (Flags & O_NOFOLLOW) && !(Flags & O_PATH)
               ? -ELOOP
               : FileDispatch::openPath(Path, Flags, Mode, Key);
  return true;
}

bool DevFd::openOtherInfo(long UserPath, long Flags, long &Result) {
  char Path[72];
  if ((Flags & O_ACCMODE) != O_RDONLY || !copyName(UserPath, Path))
    return false;
  // /proc/<pid>/fdinfo/<n> of another process whose descriptor n is a K42
  // file's description: its memfd at /proc/<pid>/fd/<n>.
  const char *Proc = skip(Path, "/proc/");
  long Pid = Proc ? decimal(Proc) : -1;
  const char *Number = Pid >= 0 && Pid != hostCall(SYS_getpid)
                           ? skip(Proc, "/fdinfo/")
                           : nullptr;
  const char *End = Number;
  if (!Number || decimal(End) < 0 || *End)
    return false;
  char FdPath[72];
  size_t Head = size_t(Number - Path) - std::strlen("fdinfo/");
  std::memcpy(FdPath, Path, Head);
  std::memcpy(FdPath + Head, "fd/", 3);
  std::memcpy(FdPath + Head + 3, Number, std::strlen(Number) + 1);
  const FileDescription *D = otherDescription(FdPath);
  if (!D)
    return false;
  uint64_t MountId, Ino, HostFlags;
  hostInfo(Path, MountId, Ino, HostFlags);
  // The placeholder's close-on-exec is the descriptor's.
  uint64_t Shown = D->Flags | KernelLargeFile | (HostFlags & O_CLOEXEC);
  uint64_t Pos = D->IsDir ? D->DirCookie : D->Offset;
  Ino = D->Ino;
  FileDescription::unmap(D);
  Result = infoFile(Pos, Shown, MountId, Ino, Flags);
  return true;
}

long DevFd::open(long Fd, long Flags, long Mode) {
  // The name is a link: O_NOFOLLOW stops at it, as on Linux.
  if ((Flags & O_NOFOLLOW) && !(Flags & O_PATH))
    return -ELOOP;
  HeldFile File;
  switch (FileDispatch::fd(Fd, File)) {
  case FileDispatch::FdKind::Pipe:
    if (Flags & O_DIRECTORY)
      return -ENOTDIR;
    return PipeCalls::reopen(Fd, Flags);
  case FileDispatch::FdKind::File: {
    // The link names the file itself: O_DIRECTORY of anything else is
    // ENOTDIR, as Linux's open of it (a reopen by key took any kind).
    if ((Flags & O_DIRECTORY) && !File->Desc->IsDir)
      return -ENOTDIR;
    char Path[FileDispatch::PathBytes];
    FileDispatch::currentPath(*File, Path);
    return FileDispatch::openPath(Path, Flags, Mode, File->Desc->OpenKey);
  }
  case FileDispatch::FdKind::Host:
    break;
  }
  return -EBADF;
}

long DevFd::readlink(long Fd, long User, long Size) {
  if (Size <= 0)
    return -EINVAL;
  HeldFile File;
  char Pipe[32];
  char Current[FileDispatch::PathBytes];
  const char *Name = nullptr;
  size_t Length = 0;
  switch (FileDispatch::fd(Fd, File)) {
  case FileDispatch::FdKind::Pipe: {
    HeldPipe End(Fd);
    if (!End)
      return -EBADF; // closed meanwhile
    Length = pipeName(End->Id, Pipe);
    Name = Pipe;
    break;
  }
  case FileDispatch::FdKind::File: {
    Length = FileDispatch::currentPath(*File, Current);
    Name = Current;
    // A file or folder with no name left, as Linux's d_path says it.
    k42::fs::FileAttr Attr;
    if (FileDispatch::authorise(*File) == 0 &&
        FsBridge::fstat(File->Server, Attr) == 0 && Attr.Nlink == 0)
      Length = markDeleted(Current, Length, sizeof(Current));
    break;
  }
  case FileDispatch::FdKind::Host:
    return -EBADF;
  }
  return linkText(Name, Length, User, Size);
}

size_t DevFd::markDeleted(char *Text, size_t Length, size_t Capacity) {
  if (Length + sizeof(Deleted) > Capacity)
    return Length;
  std::memcpy(Text + Length, Deleted, sizeof(Deleted));
  return Length + sizeof(Deleted) - 1;
}

long DevFd::linkText(const char *Target, size_t Length, long User, long Size) {
  if (Size <= 0)
    return -EINVAL;
  if (Length > size_t(Size))
    Length = size_t(Size);
  if (UserMemory::copyOut(reinterpret_cast<void *>(User), Target, Length) < 0)
    return -EFAULT;
  return long(Length);
}

long DevFd::getdents(SyscallCall &Call) {
  for (;;) {
    long Got = passToHost(Call);
    if (Got <= 0)
      return Got;
    // Which directory: the host's name for the descriptor (one call, for
    // host directories only: K42's are served without the host).
    char Self[FdPathBytes];
    fdPath(Call.Arg[0], Self);
    char Target[64];
    if (!hostLink(Self, Target, sizeof(Target)))
      return Got;
    // Any process's: another personality process's descriptors from 1000
    // up are its personality's too (`ls /proc/<pid>/fd | wc -l`, lsof);
    // of this process's own, those the program holds there are listed.
    if (!isFdDirectory(Target, -1))
      return Got;
    // Small (a process's descriptors); a larger answer is left as it is.
    if (Got > 65536 - 16)
      return Got;
    auto *Local = static_cast<char *>(GateHeap::allocate(size_t(Got)));
    if (!Local)
      return Got;
    long Kept = -EFAULT;
    void *User = reinterpret_cast<void *>(Call.Arg[1]);
    if (UserMemory::copyIn(Local, User, size_t(Got)) == 0) {
      Kept = long(hidePrivate(Local, size_t(Got),
                              isFdDirectory(Target, hostCall(SYS_getpid))));
      if (Kept && UserMemory::copyOut(User, Local, size_t(Kept)) < 0)
        Kept = -EFAULT;
    }
    GateHeap::release(Local);
    // Only the personality's in this piece: the next one, or the end.
    if (Kept != 0)
      return Kept;
  }
}
