//===- runtime/linux/LibraryExport.cpp - K42 libraries for ld.so ----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Hands the K42-resident libraries a new image needs at start to its
/// loader (LibraryExport.h).
///
//===----------------------------------------------------------------------===//

#include "k42/personality/LibraryExport.h"

#include "k42/personality/ExecEnvironment.h"
#include "k42/personality/FdLimit.h"
#include "k42/personality/FileDispatch.h"
#include "k42/personality/FileState.h"
#include "k42/personality/FsBridge.h"
#include "k42/personality/GateHeap.h"
#include "k42/personality/GateTransport.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/HostFolder.h"
#include "k42/personality/KernelConnection.h"
#include "k42/personality/ProcNames.h"
#include "k42/personality/UserMemory.h"

#include <cerrno>
#include <cstring>

#include <dirent.h>
#include <elf.h>
#include <fcntl.h>
#include <gnu/libc-version.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

using namespace k42;
using namespace k42::fs;
using namespace k42::personality;

namespace {

constexpr size_t PathBytes = FileDispatch::PathBytes;
constexpr unsigned MaxLibraries = LibraryExport::MaxLibraries;
/// Names whose search ended on the host (or nowhere), not searched again.
constexpr unsigned MaxSeen = 128;
/// DT_NEEDED entries taken from one object.
constexpr unsigned MaxNeeded = 128;
/// The largest dynamic section read.
constexpr size_t MaxDynamic = 65536;

constexpr char LibPathName[] = "LD_LIBRARY_PATH=";
constexpr char MarkName[] = "K42_LIBS=";
constexpr char PreloadName[] = "LD_PRELOAD=";
constexpr char SocketName[] = "K42_KERNEL_SOCKET=";
/// The exec's LD_PRELOAD as it was ("K42_LIBS_PRELOAD=LD_PRELOAD=..."),
/// when entries of it were handed on under new names.
constexpr char PreloadMarkName[] = "K42_LIBS_PRELOAD=";
/// The personality's own library, which LD_PRELOAD names first.
constexpr char OwnLibrary[] = "libk42linux.so";

/// One object whose DT_NEEDED are searched: a program or a library handed
/// on, read through Fd, and the folder its $ORIGIN names.
struct Object {
  int Fd;
  char Origin[PathBytes];
};

/// What one object's dynamic section says.
struct Dynamic {
  uint64_t StrOffset; // the string table's file offset
  uint64_t StrSize;
  uint64_t Needed[MaxNeeded];
  unsigned NumNeeded;
  bool HasRpath, HasRunpath;
  char Rpath[PathBytes];
  char Runpath[PathBytes];
};

/// prepare()'s working memory, mapped (posix_spawn's child execs on a
/// small stack) and kept until the exec or its failure.
struct Scratch {
  char Dir[256];
  unsigned Count;
  char Names[MaxLibraries][256];
  int Fds[MaxLibraries]; // -1: a symlink to a host file, no memfd
  unsigned NumSeen;
  char Seen[MaxSeen][256];
  Object Objects[MaxLibraries + 1];
  unsigned NumObjects;
  Dynamic Main, Current;
  bool LibPathSet;
  char LibPath[PathBytes];
  /// The exec's LD_PRELOAD (PreloadSet), and the one it passes instead
  /// when an entry was handed on (PreloadChanged).
  bool PreloadSet, PreloadChanged;
  char Preload[PathBytes];
  char NewPreload[2 * PathBytes];
  char Name[256];
  char Path[PathBytes];
  char Abs[PathBytes];
  char Target[PathBytes];
  /// ld.so run as a program (LoaderRun): its new argv's strings.
  char ProgramLink[PathBytes];
  char LoaderLibPath[2 * PathBytes];
  char DynamicBytes[MaxDynamic];
};

Scratch *Work = nullptr;
long EnvCopy = 0;
long EnvCopyBytes = 0;
long ArgvCopy = 0;
long ArgvCopyBytes = 0;

/// The host's ld.so, run as a program when an exec names it.
constexpr char HostLoader[] = "/lib64/ld-linux-x86-64.so.2";
constexpr char HostLoaderName[] = "ld-linux-x86-64.so.2";

/// Where ld.so run as a program finds its program among its arguments
/// (parsed as its own option loop does: the first argument that is not
/// one of its options).
struct LoaderRun {
  long Count = 0;          // argv's entries
  long ProgramAt = -1;     // the program's entry
  long LibraryPathAt = -1; // the value of --library-path, or -1
  bool HasArgv0 = false;
  bool Lists = false; // --list
};

/// The value of the environment's entry \p At (the caller's memory; its
/// name \p NameBytes long) into \p Out (PathBytes); false if it does not
/// fit whole.
bool valueAt(const long *Env, long At, size_t NameBytes, char *Out) {
  long Word;
  if (UserMemory::copyIn(&Word, Env + At, sizeof(Word)) < 0)
    return false;
  size_t Got = UserMemory::copyInSome(
      Out, reinterpret_cast<const char *>(Word) + NameBytes, PathBytes);
  return std::memchr(Out, 0, Got) != nullptr;
}

/// The last '/' of the \p Length bytes at \p S, or null.
const char *lastSlash(const char *S, size_t Length) {
  for (size_t I = Length; I-- > 0;)
    if (S[I] == '/')
      return S + I;
  return nullptr;
}

bool startsWith(const char *S, const char *Prefix) {
  return std::strncmp(S, Prefix, std::strlen(Prefix)) == 0;
}

/// Everything of \p Path before its last '/' into \p Out ("/" for a name
/// in the root, "." for a name alone).
void folderOf(const char *Path, char *Out) {
  const char *Slash = std::strrchr(Path, '/');
  if (!Slash) {
    std::memcpy(Out, ".", 2);
    return;
  }
  size_t N = Slash == Path ? 1 : size_t(Slash - Path);
  std::memcpy(Out, Path, N);
  Out[N] = 0;
}

bool readAt(int Fd, void *To, size_t Length, uint64_t At) {
  return hostCall(SYS_pread64, Fd, reinterpret_cast<long>(To), long(Length),
                  long(At)) == long(Length);
}

/// The string at \p Offset of \p D's string table, into \p Out
/// (PathBytes); false if it cannot be read whole.
bool readString(int Fd, const Dynamic &D, uint64_t Offset, char *Out) {
  if (Offset >= D.StrSize)
    return false;
  uint64_t Room = D.StrSize - Offset;
  size_t Want = Room < PathBytes ? size_t(Room) : PathBytes;
  long Got = hostCall(SYS_pread64, Fd, reinterpret_cast<long>(Out), long(Want),
                      long(D.StrOffset + Offset));
  if (Got <= 0)
    return false;
  return std::memchr(Out, 0, size_t(Got)) != nullptr;
}

/// The DT_NEEDED, DT_RPATH and DT_RUNPATH of the x86_64 ELF object \p Fd;
/// false for anything else (a script, a static program: nothing to hand
/// on).
bool readDynamic(int Fd, Dynamic &D, char *Bytes) {
  D.NumNeeded = 0;
  D.HasRpath = D.HasRunpath = false;
  Elf64_Ehdr H;
  if (!readAt(Fd, &H, sizeof(H), 0) ||
      std::memcmp(H.e_ident, ELFMAG, SELFMAG) != 0 ||
      H.e_ident[EI_CLASS] != ELFCLASS64 || H.e_machine != EM_X86_64 ||
      H.e_phentsize != sizeof(Elf64_Phdr) || H.e_phnum > 64)
    return false;
  Elf64_Phdr P[64];
  if (!readAt(Fd, P, H.e_phnum * sizeof(Elf64_Phdr), H.e_phoff))
    return false;
  const Elf64_Phdr *Dyn = nullptr;
  for (unsigned I = 0; I < H.e_phnum; ++I)
    if (P[I].p_type == PT_DYNAMIC)
      Dyn = &P[I];
  if (!Dyn || Dyn->p_filesz > MaxDynamic ||
      !readAt(Fd, Bytes, Dyn->p_filesz, Dyn->p_offset))
    return false;
  uint64_t StrAddress = 0, Rpath = 0, Runpath = 0;
  D.StrSize = 0;
  size_t Count = Dyn->p_filesz / sizeof(Elf64_Dyn);
  for (size_t I = 0; I < Count; ++I) {
    Elf64_Dyn E;
    std::memcpy(&E, Bytes + I * sizeof(E), sizeof(E));
    if (E.d_tag == DT_NULL)
      break;
    if (E.d_tag == DT_NEEDED && D.NumNeeded < MaxNeeded)
      D.Needed[D.NumNeeded++] = E.d_un.d_val;
    else if (E.d_tag == DT_STRTAB)
      StrAddress = E.d_un.d_ptr;
    else if (E.d_tag == DT_STRSZ)
      D.StrSize = E.d_un.d_val;
    else if (E.d_tag == DT_RPATH)
      Rpath = E.d_un.d_val, D.HasRpath = true;
    else if (E.d_tag == DT_RUNPATH)
      Runpath = E.d_un.d_val, D.HasRunpath = true;
  }
  // The string table's address in the file: inside a loaded segment.
  bool Found = false;
  for (unsigned I = 0; I < H.e_phnum && !Found; ++I)
    if (P[I].p_type == PT_LOAD && StrAddress >= P[I].p_vaddr &&
        StrAddress < P[I].p_vaddr + P[I].p_filesz) {
      D.StrOffset = P[I].p_offset + (StrAddress - P[I].p_vaddr);
      Found = true;
    }
  if (!Found)
    return false;
  if (D.HasRpath && !readString(Fd, D, Rpath, D.Rpath))
    D.HasRpath = false;
  if (D.HasRunpath && !readString(Fd, D, Runpath, D.Runpath))
    D.HasRunpath = false;
  return true;
}

/// Writes search folder \p Entry (\p Length bytes, from a path list) with
/// $ORIGIN or ${ORIGIN} replaced by \p Origin, then "/" and \p Name, into
/// \p Out (PathBytes); false if it does not fit, names $ORIGIN where
/// \p Origin is null (not known), or names another dynamic string token
/// ($LIB, $PLATFORM: not taken).
bool candidate(const char *Entry, size_t Length, const char *Origin,
               const char *Name, char *Out) {
  size_t N = 0;
  auto Put = [&](const char *S, size_t L) {
    if (N + L >= PathBytes)
      return false;
    std::memcpy(Out + N, S, L);
    N += L;
    return true;
  };
  if (Length == 0 && !Put(".", 1)) // an empty entry is the cwd
    return false;
  for (size_t I = 0; I < Length;) {
    if (Entry[I] != '$') {
      if (!Put(Entry + I, 1))
        return false;
      ++I;
      continue;
    }
    const char *Rest = Entry + I + 1;
    size_t Left = Length - I - 1;
    size_t Token = 0;
    if (Left >= 6 && std::strncmp(Rest, "ORIGIN", 6) == 0)
      Token = 6;
    else if (Left >= 8 && std::strncmp(Rest, "{ORIGIN}", 8) == 0)
      Token = 8;
    if (!Token || !Origin || !Put(Origin, std::strlen(Origin)))
      return false;
    I += 1 + Token;
  }
  return Put("/", 1) && Put(Name, std::strlen(Name) + 1);
}

/// Whether \p Name is handed on already (in the folder).
bool handed(const Scratch &S, const char *Name) {
  for (unsigned I = 0; I < S.Count; ++I)
    if (std::strcmp(S.Names[I], Name) == 0)
      return true;
  return false;
}

bool known(const Scratch &S, const char *Name) {
  for (unsigned I = 0; I < S.Count; ++I)
    if (std::strcmp(S.Names[I], Name) == 0)
      return true;
  for (unsigned I = 0; I < S.NumSeen; ++I)
    if (std::strcmp(S.Seen[I], Name) == 0)
      return true;
  return false;
}

void remember(Scratch &S, const char *Name) {
  if (S.NumSeen < MaxSeen)
    std::memcpy(S.Seen[S.NumSeen++], Name, std::strlen(Name) + 1);
}

/// Removes every entry of host folder \p Dir, closing the memfds its
/// symlinks name (`/proc/self/fd/N`), then the folder; with \p CloseFds
/// false the descriptors are left alone (a stale folder of another exec).
void clearFolder(const char *Dir, bool CloseFds) {
  bool Opened = forEachHostEntry(Dir, [&](long Fd, const char *Name) {
    char Target[64];
    long N = hostCall(SYS_readlinkat, Fd, reinterpret_cast<long>(Name),
                      reinterpret_cast<long>(Target), sizeof(Target) - 1);
    if (CloseFds && N > 14 && std::strncmp(Target, "/proc/self/fd/", 14) == 0) {
      Target[N] = 0;
      long Number = 0;
      for (const char *C = Target + 14; *C >= '0' && *C <= '9'; ++C)
        Number = Number * 10 + (*C - '0');
      if (Number >= GateTransport::FirstFd)
        (void)hostCall(SYS_close, Number);
    }
    (void)hostCall(SYS_unlinkat, Fd, reinterpret_cast<long>(Name), 0);
  });
  if (Opened)
    (void)hostCall(SYS_rmdir, reinterpret_cast<long>(Dir));
}

/// Removes the folders in \p Libs (`<system folder>/libs`) of processes
/// that are gone: an image whose personality never ran leaves its folder
/// (ld.so listing a program's libraries for ldd exits before any
/// constructor; a process killed before its new image started).
void clearStaleFolders(char *Libs, size_t Length) {
  // Names of the folders to remove: not while the walk reads the folder.
  char Stale[16][24];
  unsigned NumStale = 0;
  (void)forEachHostEntry(Libs, [&](long, const char *Name) {
    long Pid = 0;
    const char *C = Name;
    for (; *C >= '0' && *C <= '9' && Pid < (1L << 40); ++C)
      Pid = Pid * 10 + (*C - '0');
    if (!*C && Pid > 0 && NumStale < 16 &&
        size_t(C - Name) < sizeof(Stale[0]) &&
        hostCall(SYS_kill, Pid, 0) == -ESRCH)
      std::memcpy(Stale[NumStale++], Name, size_t(C - Name) + 1);
  });
  for (unsigned I = 0; I < NumStale; ++I) {
    size_t NameLength = std::strlen(Stale[I]);
    if (Length + 1 + NameLength >= 256)
      continue;
    Libs[Length] = '/';
    std::memcpy(Libs + Length + 1, Stale[I], NameLength + 1);
    clearFolder(Libs, false);
    Libs[Length] = 0;
  }
}

/// The folder of symlinks for this process: `<system folder>/libs/<host
/// pid>`, made empty. False (and no name in S.Dir) if it cannot be.
bool makeFolder(Scratch &S) {
  const char *Socket = FsBridge::socketPath();
  const char *Slash = Socket ? std::strrchr(Socket, '/') : nullptr;
  if (!Slash || size_t(Slash - Socket) + 40 > sizeof(S.Dir))
    return false;
  size_t N = size_t(Slash - Socket);
  std::memcpy(S.Dir, Socket, N);
  std::memcpy(S.Dir + N, "/libs", 6);
  if (hostCall(SYS_mkdir, reinterpret_cast<long>(S.Dir), 0700) == -EEXIST)
    clearStaleFolders(S.Dir, N + 5);
  S.Dir[N + 5] = '/';
  *putDecimal(S.Dir + N + 6, uint64_t(hostCall(SYS_getpid))) = 0;
  long Made = hostCall(SYS_mkdir, reinterpret_cast<long>(S.Dir), 0700);
  if (Made == -EEXIST) {
    clearFolder(S.Dir, false); // left by an exec that did not start
    Made = hostCall(SYS_mkdir, reinterpret_cast<long>(S.Dir), 0700);
  }
  if (Made != 0)
    S.Dir[0] = 0;
  return Made == 0;
}

bool handOn(Scratch &S, const char *Name);

/// Whether the last component of the caller's path \p Path is \p Name.
bool lastComponentIs(long Path, const char *Name) {
  char Last[32];
  size_t Length = UserMemory::lastComponent(
      reinterpret_cast<const char *>(Path), Last, sizeof(Last));
  return Length == std::strlen(Name) && std::strcmp(Last, Name) == 0;
}

/// Whether the exec of \p Image with arguments \p Argv runs the host's
/// ld.so as a program with a program to load (a path, not a bare name,
/// which ld.so searches as a library); where its arguments are, in \p R.
bool loaderRun(long Image, long Argv, LoaderRun &R) {
  if (!Argv || !lastComponentIs(Image, HostLoaderName))
    return false;
  struct stat Named, Loader;
  if (hostCall(SYS_stat, Image, reinterpret_cast<long>(&Named)) != 0 ||
      hostCall(SYS_stat, reinterpret_cast<long>(HostLoader),
               reinterpret_cast<long>(&Loader)) != 0 ||
      Named.st_dev != Loader.st_dev || Named.st_ino != Loader.st_ino)
    return false;
  auto *Args = reinterpret_cast<const long *>(Argv);
  for (long Word = 0;; ++R.Count) {
    if (UserMemory::copyIn(&Word, Args + R.Count, sizeof(Word)) < 0 ||
        R.Count > 1 << 20)
      return false;
    if (!Word)
      break;
  }
  // The options of ld.so's own loop (glibc's rtld.c): those that take a
  // value, those that stand alone; --help, --version and the --list-*
  // ones run no program.
  static const char *const Valued[] = {
      "--library-path",         "--inhibit-rpath",     "--audit", "--preload",
      "--glibc-hwcaps-prepend", "--glibc-hwcaps-mask", "--argv0"};
  static const char *const Alone[] = {"--list", "--verify", "--inhibit-cache"};
  for (long I = 1; I < R.Count; ++I) {
    long Word = 0;
    (void)UserMemory::copyIn(&Word, Args + I, sizeof(Word));
    char Head[32];
    size_t Got = UserMemory::copyInSome(
        Head, reinterpret_cast<const char *>(Word), sizeof(Head) - 1);
    Head[Got] = 0;
    bool Option = false;
    for (const char *O : Alone)
      Option = Option || std::strcmp(Head, O) == 0;
    R.Lists = R.Lists || std::strcmp(Head, "--list") == 0;
    if (Option)
      continue;
    for (const char *O : Valued) {
      if (std::strcmp(Head, O) != 0 || I + 1 >= R.Count)
        continue;
      if (std::strcmp(O, "--library-path") == 0)
        R.LibraryPathAt = I + 1;
      R.HasArgv0 = R.HasArgv0 || std::strcmp(O, "--argv0") == 0;
      Option = true;
    }
    if (Option) {
      ++I;
      continue;
    }
    if (std::strncmp(Head, "--", 2) == 0 &&
        (std::strcmp(Head, "--help") == 0 ||
         std::strcmp(Head, "--version") == 0 ||
         std::strncmp(Head, "--list-", 7) == 0))
      return false;
    R.ProgramAt = I;
    return true;
  }
  return false;
}

/// Whether glibc's ld.so takes --argv0 (2.33 and later).
bool loaderTakesArgv0() {
  const char *V = gnu_get_libc_version();
  unsigned Major = 0, Minor = 0;
  for (; *V >= '0' && *V <= '9'; ++V)
    Major = Major * 10 + unsigned(*V - '0');
  if (*V == '.')
    for (++V; *V >= '0' && *V <= '9'; ++V)
      Minor = Minor * 10 + unsigned(*V - '0');
  return Major > 2 || (Major == 2 && Minor >= 33);
}

/// What looking for a library in one folder found.
enum class Look { Missing, Host, Handed };

/// Where candidate \p Path is: a host file (Host: ld.so finds it), a path
/// K42 serves (Handed, its K42 path in \p Abs: ld.so cannot see it), or
/// nowhere.
Look whereIs(const char *Path, char *Abs) {
  long Where = FileDispatch::path(AT_FDCWD, reinterpret_cast<long>(Path), Abs);
  if (Where < 0)
    return Look::Missing;
  if (Where == 0) {
    struct stat Host;
    return hostCall(SYS_stat, reinterpret_cast<long>(Path),
                    reinterpret_cast<long>(&Host)) == 0 &&
                   S_ISREG(Host.st_mode)
               ? Look::Host
               : Look::Missing;
  }
  return Look::Handed;
}

/// Looks for \p Name in the folder of path-list entry \p Entry (with
/// \p Origin): a host file ends the search (ld.so loads it); a K42 file is
/// handed on (a copy, or a symlink to the host file a K42 symlink names).
Look lookIn(Scratch &S, const char *Entry, size_t Length, const char *Origin,
            const char *Name) {
  if (!candidate(Entry, Length, Origin, Name, S.Path))
    return Look::Missing;
  Look L = whereIs(S.Path, S.Abs);
  if (L != Look::Handed)
    return L;
  return handOn(S, Name) ? Look::Handed : Look::Missing;
}

/// Hands K42 file S.Abs on to ld.so as \p Name in the folder of symlinks
/// (made at the first); false if it cannot be.
bool handOn(Scratch &S, const char *Name) {
  if (S.Count == MaxLibraries || (!S.Dir[0] && !makeFolder(S)))
    return false;
  FileAttr Attr;
  long E = FsBridge::stat(S.Abs, true, Attr);
  int Fd = -1;
  if (E == FsBridge::LeftK42) {
    // A K42 symlink to a host library: the symlink names the host file.
    FsBridge::takeHostPath(S.Target);
  } else if (E < 0 || !S_ISREG(Attr.Mode)) {
    return false;
  } else {
    // S.Target gets the library's own path (its $ORIGIN's folder, a
    // symlinked name followed) before it names the memfd.
    long Mem =
        FileState::copyToMemfd(S.Abs, "k42-library", /*Share=*/true, S.Target);
    if (Mem < 0)
      return false;
    // Kept across the exec (not close-on-exec), clear of the program's.
    long High = FdLimit::copyHigh(Mem, F_DUPFD, GateTransport::FirstFd);
    (void)hostCall(SYS_close, Mem);
    if (isError(High))
      return false;
    Fd = int(High);
    // Its own needs are searched from its own folder.
    Object &O = S.Objects[S.NumObjects++];
    O.Fd = Fd;
    folderOf(S.Target, O.Origin);
    std::memcpy(S.Target, "/proc/self/fd/", 14);
    *putDecimal(S.Target + 14, uint64_t(Fd)) = 0;
  }
  S.Fds[S.Count] = Fd;
  std::memcpy(S.Names[S.Count], Name, std::strlen(Name) + 1);
  char Link[512];
  size_t DirLength = std::strlen(S.Dir);
  std::memcpy(Link, S.Dir, DirLength);
  Link[DirLength] = '/';
  std::memcpy(Link + DirLength + 1, Name, std::strlen(Name) + 1);
  (void)hostCall(SYS_symlink, reinterpret_cast<long>(S.Target),
                 reinterpret_cast<long>(Link));
  ++S.Count;
  return true;
}

/// What \p Look(Entry, Length) says of the first entry of path list
/// \p List (':' or ';' apart) that is not Missing; Missing if none.
template <typename LookFn> Look firstFound(const char *List, LookFn &&LookAt) {
  for (const char *At = List;;) {
    size_t Length = std::strcspn(At, ":;");
    if (Look L = LookAt(At, Length); L != Look::Missing)
      return L;
    if (!At[Length])
      return Look::Missing;
    At += Length + 1;
  }
}

/// Searches each entry of path list \p List for \p Name; Missing when no
/// entry has it.
Look searchList(Scratch &S, const char *List, const char *Origin,
                const char *Name) {
  return firstFound(List, [&](const char *Entry, size_t Length) {
    return lookIn(S, Entry, Length, Origin, Name);
  });
}

void dropWork() {
  if (!Work)
    return;
  if (Work->Dir[0])
    clearFolder(Work->Dir, true);
  (void)hostCall(SYS_munmap, reinterpret_cast<long>(Work), sizeof(Scratch));
  Work = nullptr;
}

/// The environment \p Env (\p Count entries, LD_LIBRARY_PATH at \p LibAt
/// or -1) with LD_LIBRARY_PATH naming the folder first and the mark that
/// says what to undo: a mapped copy, or \p Env's own address if none can
/// be made.
long environmentWith(const long *Env, long Count, long LibAt, long PreAt) {
  const Scratch &S = *Work;
  size_t DirLength = std::strlen(S.Dir);
  size_t OldLength = S.LibPathSet ? std::strlen(S.LibPath) : 0;
  size_t Pointers = size_t(Count + 4) * sizeof(long);
  size_t LibText = sizeof(LibPathName) + DirLength + 1 + OldLength;
  size_t MarkText = sizeof(MarkName) + 1 + DirLength;
  bool Preload = S.PreloadChanged && PreAt >= 0;
  size_t PreloadText = Preload
                           ? sizeof(PreloadName) + std::strlen(S.NewPreload) +
                                 sizeof(PreloadMarkName) + sizeof(PreloadName) +
                                 std::strlen(S.Preload)
                           : 0;
  long Bytes = long(Pointers + LibText + MarkText + PreloadText);
  long Map = hostCall(SYS_mmap, 0, Bytes, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (isError(Map))
    return reinterpret_cast<long>(Env);
  auto *New = reinterpret_cast<long *>(Map);
  char *Lib = reinterpret_cast<char *>(Map) + Pointers;
  char *At = Lib;
  auto Put = [&](const char *Text, size_t Length) {
    std::memcpy(At, Text, Length);
    At += Length;
  };
  Put(LibPathName, sizeof(LibPathName) - 1);
  Put(S.Dir, DirLength);
  if (S.LibPathSet) {
    Put(":", 1);
    Put(S.LibPath, OldLength);
  }
  Put("", 1);
  char *Mark = At;
  Put(MarkName, sizeof(MarkName) - 1);
  Put(S.LibPathSet ? "s" : "u", 1);
  Put(S.Dir, DirLength + 1);
  char *Pre = nullptr, *PreMark = nullptr;
  if (Preload) {
    Pre = At;
    Put(PreloadName, sizeof(PreloadName) - 1);
    Put(S.NewPreload, std::strlen(S.NewPreload) + 1);
    PreMark = At;
    Put(PreloadMarkName, sizeof(PreloadMarkName) - 1);
    Put(PreloadName, sizeof(PreloadName) - 1);
    Put(S.Preload, std::strlen(S.Preload) + 1);
  }
  long N = 0;
  for (long I = 0; I < Count; ++I) {
    long Word;
    (void)UserMemory::copyIn(&Word, Env + I, sizeof(Word));
    New[N++] = I == LibAt              ? reinterpret_cast<long>(Lib)
               : Preload && I == PreAt ? reinterpret_cast<long>(Pre)
                                       : Word;
  }
  if (LibAt < 0)
    New[N++] = reinterpret_cast<long>(Lib);
  New[N++] = reinterpret_cast<long>(Mark);
  if (PreMark)
    New[N++] = reinterpret_cast<long>(PreMark);
  New[N] = 0;
  EnvCopy = Map;
  EnvCopyBytes = Bytes;
  return Map;
}

/// ld.so's arguments \p Argv (parsed into \p Run) naming program
/// \p Name by its symlink in the folder, the folder first in a
/// --library-path list, and `--argv0` with the name the caller gave
/// (unless it gave one): a mapped copy, or \p Argv if none can be made.
long argumentsWith(long Argv, const LoaderRun &Run, const char *Name) {
  Scratch &S = *Work;
  static const char Argv0Flag[] = "--argv0";
  size_t DirLength = std::strlen(S.Dir);
  if (DirLength + 2 + std::strlen(Name) > sizeof(S.ProgramLink))
    return Argv;
  std::memcpy(S.ProgramLink, S.Dir, DirLength);
  S.ProgramLink[DirLength] = '/';
  std::memcpy(S.ProgramLink + DirLength + 1, Name, std::strlen(Name) + 1);
  if (Run.LibraryPathAt >= 0) {
    size_t Old = std::strlen(S.LoaderLibPath);
    std::memmove(S.LoaderLibPath + DirLength + 1, S.LoaderLibPath, Old + 1);
    std::memcpy(S.LoaderLibPath, S.Dir, DirLength);
    S.LoaderLibPath[DirLength] = ':';
  }
  bool AddArgv0 = !Run.HasArgv0 && loaderTakesArgv0();
  long Bytes = (Run.Count + 3) * long(sizeof(long));
  long Map = hostCall(SYS_mmap, 0, Bytes, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (isError(Map))
    return Argv;
  auto *New = reinterpret_cast<long *>(Map);
  const auto *Old = reinterpret_cast<const long *>(Argv);
  long N = 0;
  for (long I = 0; I < Run.Count; ++I) {
    long Word = 0;
    (void)UserMemory::copyIn(&Word, Old + I, sizeof(Word));
    if (I == Run.ProgramAt && AddArgv0) {
      New[N++] = reinterpret_cast<long>(Argv0Flag);
      New[N++] = Word;
    }
    New[N++] = I == Run.ProgramAt ? reinterpret_cast<long>(S.ProgramLink)
               : I == Run.LibraryPathAt
                   ? reinterpret_cast<long>(S.LoaderLibPath)
                   : Word;
  }
  New[N] = 0;
  ArgvCopy = Map;
  ArgvCopyBytes = Bytes;
  return Map;
}

} // namespace

long LibraryExport::prepare(long Image, const char *K42Program, long &Argv,
                            long Envp) {
  // What a posix_spawn child's exec left in this memory (its exec took
  // over only the child's): gone, as after a failed exec.
  execFailed();
  // The exec's LD_LIBRARY_PATH, and whether it names a K42 folder.
  auto *Env = reinterpret_cast<const long *>(Envp);
  long LibAt = -1, PreAt = -1;
  bool OthersPreloaded = false;
  long Count = ExecEnvironment::forEachEntry(Envp, [&](long At, long Word) {
    char Head[sizeof(LibPathName)];
    size_t Got = UserMemory::copyInSome(
        Head, reinterpret_cast<const char *>(Word), sizeof(Head) - 1);
    Head[Got] = 0;
    if (std::strcmp(Head, LibPathName) == 0)
      LibAt = At;
    else if (std::strncmp(Head, PreloadName, sizeof(PreloadName) - 1) == 0) {
      PreAt = At;
      // Anything but the personality's own library (a quick look at
      // the start: a long list has others).
      char Value[256];
      size_t N = UserMemory::copyInSome(
          Value, reinterpret_cast<const char *>(Word) + sizeof(PreloadName) - 1,
          sizeof(Value) - 1);
      Value[N] = 0;
      for (const char *E = Value; *E;) {
        size_t Length = std::strcspn(E, ": ");
        const char *Slash = lastSlash(E, Length);
        const char *Base = Slash ? Slash + 1 : E;
        if (Length && (size_t(E + Length - Base) != sizeof(OwnLibrary) - 1 ||
                       std::strncmp(Base, OwnLibrary, sizeof(OwnLibrary) - 1)))
          OthersPreloaded = true;
        E += Length;
        E += std::strspn(E, ": ");
      }
    }
  });
  if (Count < 0)
    return Envp;
  LoaderRun Run;
  bool Loader = !K42Program && loaderRun(Image, Argv, Run);
  // Most execs: a program of the host's, no LD_LIBRARY_PATH and nothing
  // preloaded but the personality.
  if (!K42Program && !Loader && LibAt < 0 && !OthersPreloaded)
    return Envp;
  long Map = hostCall(SYS_mmap, 0, sizeof(Scratch), PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (isError(Map))
    return Envp;
  Scratch &S = *reinterpret_cast<Scratch *>(Map);
  S.LibPathSet = false;
  S.PreloadSet = S.PreloadChanged = false;
  if (PreAt >= 0 && OthersPreloaded)
    S.PreloadSet = valueAt(Env, PreAt, sizeof(PreloadName) - 1, S.Preload);
  bool K42Folder = false;
  if (LibAt >= 0) {
    S.LibPathSet = valueAt(Env, LibAt, sizeof(LibPathName) - 1, S.LibPath);
    for (const char *At = S.LibPath; S.LibPathSet && !K42Folder;) {
      size_t Length = std::strcspn(At, ":;");
      if (candidate(At, Length, "/", ".", S.Path))
        K42Folder = FileDispatch::path(AT_FDCWD, reinterpret_cast<long>(S.Path),
                                       S.Abs) == 1;
      if (!At[Length])
        break;
      At += Length + 1;
    }
  }
  // ld.so run as a program: the program it is given, when that is a K42
  // file (a path: a bare name is searched as a library is).
  const char *ProgramName = nullptr;
  if (Loader) {
    const auto *Args = reinterpret_cast<const long *>(Argv);
    long Word = 0;
    (void)UserMemory::copyIn(&Word, Args + Run.ProgramAt, sizeof(Word));
    size_t Got = UserMemory::copyInSome(
        S.Path, reinterpret_cast<const char *>(Word), sizeof(S.Path) - 1);
    S.Path[Got] = 0;
    const char *Slash = std::strrchr(S.Path, '/');
    FileAttr Attr;
    Loader = std::strlen(S.Path) < sizeof(S.Path) - 1 && Slash && Slash[1] &&
             std::strlen(Slash + 1) < sizeof(S.Name) &&
             FileDispatch::path(AT_FDCWD, reinterpret_cast<long>(S.Path),
                                S.Abs) == 1 &&
             FsBridge::stat(S.Abs, true, Attr) == 0 && S_ISREG(Attr.Mode);
    if (Loader)
      std::memcpy(S.Name, Slash + 1, std::strlen(Slash + 1) + 1);
    // ld.so searches the option's list instead of LD_LIBRARY_PATH.
    if (Loader && Run.LibraryPathAt >= 0) {
      (void)UserMemory::copyIn(&Word, Args + Run.LibraryPathAt, sizeof(Word));
      Got = UserMemory::copyInSome(S.LoaderLibPath,
                                   reinterpret_cast<const char *>(Word),
                                   sizeof(S.LoaderLibPath) - PathBytes);
      S.LoaderLibPath[Got] = 0;
      Loader = std::strlen(S.LoaderLibPath) < Got;
    }
  }
  // A program of the host's, no K42 folder to search, nothing preloaded
  // from K42's files.
  if (!K42Program && !Loader && !K42Folder && !S.PreloadSet) {
    (void)hostCall(SYS_munmap, Map, sizeof(Scratch));
    return Envp;
  }
  Work = &S;
  long Fd = -1;
  if (Loader) {
    // Handed on as a library is, under its own name; ld.so is to open it
    // from the folder. Only an ELF file: anything else ld.so refuses by
    // the name it was given.
    char Magic[SELFMAG];
    char Name[sizeof(S.Name)];
    std::memcpy(Name, S.Name, sizeof(Name));
    if (!handOn(S, Name) || S.Fds[0] < 0 ||
        !readAt(S.Fds[0], Magic, sizeof(Magic), 0) ||
        std::memcmp(Magic, ELFMAG, SELFMAG) != 0) {
      dropWork();
      return Envp;
    }
    ProgramName = S.Names[0];
  } else {
    // The program's host path, copied now that it is needed (into
    // S.Target, free until a library is handed on).
    size_t Got = UserMemory::copyInSome(
        S.Target, reinterpret_cast<const char *>(Image), sizeof(S.Target) - 1);
    S.Target[Got] = 0;
    Fd = hostCall(SYS_open, reinterpret_cast<long>(S.Target),
                  O_RDONLY | O_CLOEXEC);
    if (isError(Fd)) {
      dropWork();
      return Envp;
    }
    S.Objects[0].Fd = int(Fd);
    folderOf(K42Program ? K42Program : S.Target, S.Objects[0].Origin);
    S.NumObjects = 1;
  }
  const char *SearchPath = Loader && Run.LibraryPathAt >= 0 ? S.LoaderLibPath
                           : S.LibPathSet                   ? S.LibPath
                                                            : nullptr;
  // S.Name, needed by object I (with dynamic section D), searched as ld.so
  // does: the object's DT_RPATH (and the program's) when it has no
  // DT_RUNPATH, LD_LIBRARY_PATH, its DT_RUNPATH; then the host's cache
  // and folders (not searched: ld.so's own).
  auto Search = [&](unsigned I, const Dynamic &D) {
    if (known(S, S.Name))
      return;
    const Object &O = S.Objects[I];
    Look L = Look::Missing;
    if (!D.HasRunpath && D.HasRpath)
      L = searchList(S, D.Rpath, O.Origin, S.Name);
    if (L == Look::Missing && I != 0 && !D.HasRunpath && !S.Main.HasRunpath &&
        S.Main.HasRpath)
      L = searchList(S, S.Main.Rpath, S.Objects[0].Origin, S.Name);
    if (L == Look::Missing && SearchPath)
      L = searchList(S, SearchPath, O.Origin, S.Name);
    if (L == Look::Missing && D.HasRunpath)
      L = searchList(S, D.Runpath, O.Origin, S.Name);
    if (L != Look::Handed)
      remember(S, S.Name);
  };
  bool MainIsElf = readDynamic(S.Objects[0].Fd, S.Main, S.DynamicBytes);
  if (!MainIsElf)
    S.Main = Dynamic{};
  // LD_PRELOAD first, as ld.so loads it: a K42 path is handed on under its
  // last component and the entry renamed to the folder's; a bare name is
  // searched as the program's own need would be.
  if (S.PreloadSet) {
    char *Out = S.NewPreload;
    for (const char *E = S.Preload; *E;) {
      size_t Length = std::strcspn(E, ": ");
      const char *Slash = lastSlash(E, Length);
      const char *Base = Slash ? Slash + 1 : E;
      size_t BaseLength = size_t(E + Length - Base);
      bool Own = BaseLength == sizeof(OwnLibrary) - 1 &&
                 !std::strncmp(Base, OwnLibrary, BaseLength);
      bool Renamed = false;
      if (Length && !Own && Length < sizeof(S.Path) &&
          BaseLength < sizeof(S.Name)) {
        std::memcpy(S.Name, Base, BaseLength);
        S.Name[BaseLength] = 0;
        if (!Slash) {
          Search(0, S.Main);
        } else {
          std::memcpy(S.Path, E, Length);
          S.Path[Length] = 0;
          FileAttr Attr;
          if (FileDispatch::path(AT_FDCWD, reinterpret_cast<long>(S.Path),
                                 S.Abs) == 1 &&
              FsBridge::stat(S.Abs, true, Attr) == 0 && S_ISREG(Attr.Mode))
            // A name handed on already (the same library named twice) is
            // renamed to it too: ld.so loads one.
            Renamed =
                handed(S, S.Name) || (!known(S, S.Name) && handOn(S, S.Name));
        }
      }
      // Room for the longest the entry can become, else the list is left
      // as it was (a K42 entry in it then fails as before).
      size_t Room = std::strlen(S.Dir) + 2 + Length;
      if (size_t(S.NewPreload + sizeof(S.NewPreload) - Out) <= Room) {
        S.PreloadChanged = false;
        break;
      }
      if (Out != S.NewPreload)
        *Out++ = ':';
      if (Renamed) {
        size_t DirLength = std::strlen(S.Dir);
        std::memcpy(Out, S.Dir, DirLength);
        Out += DirLength;
        *Out++ = '/';
        std::memcpy(Out, Base, BaseLength);
        Out += BaseLength;
        S.PreloadChanged = true;
      } else {
        std::memcpy(Out, E, Length);
        Out += Length;
      }
      E += Length;
      E += std::strspn(E, ": ");
    }
    *Out = 0;
  }
  // Breadth first, as ld.so loads them.
  for (unsigned I = 0; I < S.NumObjects && MainIsElf; ++I) {
    Object &O = S.Objects[I];
    Dynamic &D = I == 0 ? S.Main : S.Current;
    if (I != 0 && !readDynamic(O.Fd, D, S.DynamicBytes))
      continue;
    for (unsigned K = 0; K < D.NumNeeded; ++K) {
      if (!readString(O.Fd, D, D.Needed[K], S.Name) ||
          std::strlen(S.Name) >= sizeof(S.Name) || std::strchr(S.Name, '/'))
        continue;
      Search(I, D);
    }
  }
  if (Fd >= 0)
    (void)hostCall(SYS_close, Fd);
  if (S.Count == 0) {
    dropWork();
    return Envp;
  }
  if (Loader)
    Argv = argumentsWith(Argv, Run, ProgramName);
  return environmentWith(Env, Count, LibAt, PreAt);
}

bool LibraryExport::listsOnly(long Image, long Argv) {
  LoaderRun Run;
  return loaderRun(Image, Argv, Run) && Run.Lists;
}

void LibraryExport::execFailed() {
  dropWork();
  if (EnvCopy)
    (void)hostCall(SYS_munmap, EnvCopy, EnvCopyBytes);
  EnvCopy = 0;
  if (ArgvCopy)
    (void)hostCall(SYS_munmap, ArgvCopy, ArgvCopyBytes);
  ArgvCopy = 0;
}

namespace {
/// The program's LD_LIBRARY_PATH as ld.so took it at start (dlopenPath),
/// and the folder the exec handed libraries on in (handedOn); in GateHeap.
const char *StartLibraryPath = nullptr;
const char *HandedFolder = nullptr;

/// A GateHeap copy of \p Text.
const char *keep(const char *Text) {
  size_t Bytes = std::strlen(Text) + 1;
  auto *Copy = static_cast<char *>(GateHeap::allocate(Bytes));
  if (Copy)
    std::memcpy(Copy, Text, Bytes);
  return Copy;
}

/// Takes \p Environment's LD_LIBRARY_PATH as ld.so did.
void keepLibraryPath(char **Environment) {
  for (char **E = Environment; E && *E; ++E)
    if (startsWith(*E, LibPathName)) {
      StartLibraryPath = keep(*E + sizeof(LibPathName) - 1);
      return;
    }
}

/// The search of path list \p List (':' or ';' apart, $ORIGIN \p Origin:
/// entries naming it skipped when null) for \p Name: Handed with the K42
/// candidate in \p Out, Host when a host folder has it first.
Look searchDlopen(const char *List, const char *Origin, const char *Name,
                  char *Out) {
  if (!List)
    return Look::Missing;
  return firstFound(List, [&](const char *Entry, size_t Length) {
    char Abs[PathBytes];
    if (!candidate(Entry, Length, Origin, Name, Out))
      return Look::Missing;
    Look L = whereIs(Out, Abs);
    if (L != Look::Handed)
      return L;
    // A K42 file (a symlink of K42's followed to the host's, too); a
    // folder of that name, or nothing, is not a library.
    FileAttr Attr;
    long E = FsBridge::stat(Abs, true, Attr);
    if (E == FsBridge::LeftK42) {
      char Host[PathBytes];
      FsBridge::takeHostPath(Host); // ld.so opens it by the K42 name
      return Look::Handed;
    }
    return E == 0 && S_ISREG(Attr.Mode) ? Look::Handed : Look::Missing;
  });
}
} // namespace

bool LibraryExport::dlopenPath(const char *Name, const DlopenCaller &C,
                               char *Out) {
  // ld.so's order (AT_SECURE programs, which ignore LD_LIBRARY_PATH, do
  // not run on the personality): the caller's DT_RPATH and its loaders'
  // (the program's), LD_LIBRARY_PATH, the caller's DT_RUNPATH; the cache
  // and the default folders are the host's, which ld.so searches itself.
  struct List {
    const char *Text;
    const char *Origin;
  } Lists[] = {{C.RPath, C.Origin},
               {C.ProgramRPath, C.ProgramOrigin},
               {StartLibraryPath, nullptr},
               {C.RunPath, C.Origin}};
  for (const List &L : Lists)
    if (Look Found = searchDlopen(L.Text, L.Origin, Name, Out);
        Found != Look::Missing)
      return Found == Look::Handed;
  return false;
}

bool LibraryExport::handedOn(const char *Name) {
  if (!HandedFolder || !Name)
    return false;
  size_t Length = std::strlen(HandedFolder);
  return std::strncmp(Name, HandedFolder, Length) == 0 && Name[Length] == '/';
}

void LibraryExport::start(char **Environment) {
  startHandedOn(Environment);
  keepLibraryPath(Environment);
}

void LibraryExport::startHandedOn(char **Environment) {
  if (!Environment)
    return;
  char **Mark = nullptr;
  char **Lib = nullptr;
  char **Pre = nullptr;
  char **PreMark = nullptr;
  const char *Socket = nullptr;
  for (char **E = Environment; *E; ++E) {
    if (!Mark && startsWith(*E, MarkName))
      Mark = E;
    else if (!Lib && startsWith(*E, LibPathName))
      Lib = E;
    else if (!Pre && startsWith(*E, PreloadName))
      Pre = E;
    else if (!PreMark && startsWith(*E, PreloadMarkName))
      PreMark = E;
    else if (!Socket && startsWith(*E, SocketName))
      Socket = *E + sizeof(SocketName) - 1;
  }
  if (!Mark)
    return;
  // Only the folder this process's exec made (makeFolder's name, from the
  // same socket path and this pid): a mark the program's environment
  // carried from elsewhere changes nothing and removes nothing.
  char Expected[256];
  {
    char Path[256];
    KernelConnection::socketPath(Socket, Path, sizeof(Path));
    const char *Slash = std::strrchr(Path, '/');
    size_t N = Slash ? size_t(Slash - Path) : 0;
    if (N + 40 > sizeof(Expected))
      return;
    std::memcpy(Expected, Path, N);
    std::memcpy(Expected + N, "/libs/", 6);
    *putDecimal(Expected + N + 6, uint64_t(hostCall(SYS_getpid))) = 0;
  }
  if (std::strcmp(*Mark + sizeof(MarkName), Expected) != 0)
    return;
  // LD_PRELOAD as the exec had it: the mark holds "LD_PRELOAD=...", and
  // its entry leaves the environment (last, so the others stay put).
  if (PreMark && Pre) {
    *Pre = *PreMark + sizeof(PreloadMarkName) - 1;
    for (char **E = PreMark; *E; ++E)
      E[0] = E[1];
  }
  const char *Value = *Mark + sizeof(MarkName) - 1;
  bool WasSet = Value[0] == 's';
  char Dir[256];
  size_t DirLength = std::strlen(Value + 1);
  if (DirLength >= sizeof(Dir) || (Value[0] != 's' && Value[0] != 'u'))
    return;
  std::memcpy(Dir, Value + 1, DirLength + 1);
  // The environment as the program gave it: the mark out, LD_LIBRARY_PATH
  // without the folder (or not there at all).
  auto Remove = [&](char **Entry) {
    for (char **E = Entry; *E; ++E)
      E[0] = E[1];
  };
  if (Lib) {
    char *Path = *Lib + sizeof(LibPathName) - 1;
    if (!WasSet && std::strcmp(Path, Dir) == 0) {
      Remove(Lib);
      if (Mark > Lib)
        --Mark;
    } else if (WasSet && std::strncmp(Path, Dir, DirLength) == 0 &&
               Path[DirLength] == ':') {
      std::memmove(Path, Path + DirLength + 1,
                   std::strlen(Path + DirLength + 1) + 1);
    }
  }
  Remove(Mark);
  // ld.so has mapped the libraries: their memfds and names go.
  clearFolder(Dir, true);
  HandedFolder = keep(Dir);
}
