//===- runtime/linux/ExecEnvironment.cpp - What exec must keep ------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/ExecEnvironment.h"

#include "k42/personality/GateHeap.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/UserMemory.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/syscall.h>

using namespace k42::personality;

namespace {

/// The variables, LD_PRELOAD first; the others are kept whole.
constexpr const char *Names[] = {
    "LD_PRELOAD=", "K42_KERNEL_SOCKET=", "K42_EXEC=", "K42_HOST_PATHS="};
constexpr unsigned NumNames = sizeof(Names) / sizeof(Names[0]);
constexpr char Library[] = "libk42linux.so";

/// added()'s bits: LD_PRELOAD made (1) or its value prefixed with the
/// library and a colon (2); then one bit per other variable.
constexpr uint32_t PreloadMade = 1;
constexpr uint32_t PreloadPrefixed = 2;
constexpr uint32_t madeBit(unsigned Name) { return 2u << Name; }

/// This image's library path (LD_PRELOAD's component naming it) and the
/// others' whole "NAME=value" strings; null where this image had none.
const char *Kept[NumNames];
/// The copy prepare() made, until the exec or its failure.
long Copy = 0;
long CopyBytes = 0;
uint32_t Added = 0;

size_t nameLength(unsigned Name) { return std::strlen(Names[Name]); }

/// Which of Names \p Entry (in this memory) starts with; NumNames: none.
unsigned nameOf(const char *Entry) {
  for (unsigned I = 0; I < NumNames; ++I)
    if (std::strncmp(Entry, Names[I], nameLength(I)) == 0)
      return I;
  return NumNames;
}

/// The caller's string at \p User: its length (at most \p Limit).
size_t userLength(const char *User, size_t Limit) {
  char Piece[64];
  size_t Length = 0;
  while (Length < Limit) {
    size_t Got = UserMemory::copyInSome(Piece, User + Length, sizeof(Piece));
    for (size_t I = 0; I < Got; ++I)
      if (!Piece[I])
        return Length + I;
    Length += Got;
    if (Got < sizeof(Piece))
      break;
  }
  return Length;
}

/// Whether the caller's LD_PRELOAD entry \p User names the library. Read
/// in small pieces: an exec may run on posix_spawn's small stack.
bool namesLibrary(const char *User) {
  constexpr size_t Keep = sizeof(Library) - 2;
  char Window[Keep + 64 + 1];
  size_t Held = 0;
  for (size_t At = 0; At < (1 << 17); At += 64) {
    size_t Got = UserMemory::copyInSome(Window + Held, User + At, 64);
    size_t Length = Held;
    while (Length < Held + Got && Window[Length])
      ++Length;
    Window[Length] = 0;
    if (std::strstr(Window, Library))
      return true;
    if (Length < Held + Got || Got < 64)
      return false;
    Held = Length < Keep ? Length : Keep;
    std::memmove(Window, Window + Length - Held, Held);
  }
  return false;
}

/// ld.so's variable that makes it list a program's libraries and exit
/// before any constructor runs (ldd's).
constexpr char Trace[] = "LD_TRACE_LOADED_OBJECTS=";

/// An exec whose ld.so will only list the libraries: the copy of \p Env
/// (\p Count entries) that lists the program's own, as the host's exec
/// would (LD_PRELOAD without the library, and gone if nothing else is
/// left in it). ld.so prints before the personality could arm, so the
/// image never runs on it anyway. \p Env itself if the copy cannot be
/// made.
long untraced(const long *Env, long Count, long PreloadAt, long &Map,
              long &Bytes) {
  long Word;
  (void)UserMemory::copyIn(&Word, Env + PreloadAt, sizeof(Word));
  const char *User = reinterpret_cast<const char *>(Word);
  size_t Length = userLength(User, 1 << 17);
  Bytes = long((size_t(Count) + 1) * sizeof(long) + Length + 1);
  Map = hostCall(SYS_mmap, 0, Bytes, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (isError(Map)) {
    Map = 0;
    return reinterpret_cast<long>(Env);
  }
  auto *New = reinterpret_cast<long *>(Map);
  char *Text = reinterpret_cast<char *>(New + Count + 1);
  UserMemory::copyInSome(Text, User, Length);
  Text[Length] = 0;
  // Each component naming the library goes, with its separator.
  char *Value = Text + nameLength(0);
  char *Out = Value;
  for (char *In = Value; *In;) {
    size_t Piece = std::strcspn(In, ": ");
    bool Ours = Piece >= sizeof(Library) - 1 &&
                std::strncmp(In + Piece - (sizeof(Library) - 1), Library,
                             sizeof(Library) - 1) == 0;
    if (!Ours && Piece) {
      if (Out != Value)
        *Out++ = ':';
      std::memmove(Out, In, Piece);
      Out += Piece;
    }
    In += Piece;
    while (*In == ':' || *In == ' ')
      ++In;
  }
  *Out = 0;
  long N = 0;
  for (long I = 0; I < Count; ++I) {
    (void)UserMemory::copyIn(&Word, Env + I, sizeof(Word));
    if (I != PreloadAt)
      New[N++] = Word;
    else if (Out != Value)
      New[N++] = reinterpret_cast<long>(Text);
  }
  New[N] = 0;
  return Map;
}

/// Removes \p Entry from its null-terminated environment.
void removeEntry(char **Entry) {
  for (char **At = Entry; *At; ++At)
    At[0] = At[1];
}

} // namespace

void ExecEnvironment::start(char **Environment) {
  for (char **At = Environment; At && *At; ++At) {
    unsigned Name = nameOf(*At);
    if (Name == NumNames || Kept[Name])
      continue;
    const char *Value = *At;
    size_t Length = std::strlen(Value);
    if (Name == 0) {
      // The component naming the library: up to a colon or space.
      const char *Lib = std::strstr(Value, Library);
      if (!Lib)
        continue;
      const char *Begin = Lib;
      while (Begin > Value + nameLength(0) && Begin[-1] != ':' &&
             Begin[-1] != ' ')
        --Begin;
      const char *End = Lib + sizeof(Library) - 1;
      Value = Begin;
      Length = size_t(End - Begin);
    }
    auto *Own = static_cast<char *>(GateHeap::allocate(Length + 1));
    if (!Own)
      continue;
    std::memcpy(Own, Value, Length);
    Own[Length] = 0;
    Kept[Name] = Own;
  }
}

long ExecEnvironment::prepare(long Envp, bool Lists) {
  Added = 0;
  if (!Kept[0])
    return Envp; // no library to put back: nothing else would use them
  auto *Env = reinterpret_cast<const long *>(Envp);
  bool Have[NumNames] = {};
  long PreloadAt = -1;
  long OursAt = -1;
  bool Traced = Lists;
  long Count = forEachEntry(Envp, [&](long At, long Word) {
    char Head[sizeof(Trace)] = {};
    UserMemory::copyInSome(Head, reinterpret_cast<const char *>(Word),
                           sizeof(Head) - 1);
    if (std::strncmp(Head, Trace, sizeof(Trace) - 1) == 0)
      Traced = true;
    unsigned Name = nameOf(Head);
    if (Name == NumNames || Have[Name])
      return;
    Have[Name] = true;
    if (Name == 0 && !namesLibrary(reinterpret_cast<const char *>(Word)))
      PreloadAt = At;
    else if (Name == 0)
      OursAt = At;
  });
  if (Count < 0)
    return Envp;
  if (Traced)
    return OursAt < 0 ? Envp : untraced(Env, Count, OursAt, Copy, CopyBytes);
  uint32_t Want = 0;
  if (!Have[0])
    Want |= PreloadMade;
  else if (PreloadAt >= 0)
    Want |= PreloadPrefixed;
  for (unsigned I = 1; I < NumNames; ++I)
    if (Kept[I] && !Have[I])
      Want |= madeBit(I);
  if (!Want)
    return Envp;
  // The copy: the pointers, then LD_PRELOAD's new text.
  size_t LibraryBytes = std::strlen(Kept[0]);
  size_t Old = 0;
  if (Want & PreloadPrefixed) {
    long Word;
    (void)UserMemory::copyIn(&Word, Env + PreloadAt, sizeof(Word));
    Old = userLength(reinterpret_cast<const char *>(Word) + nameLength(0),
                     1 << 17);
  }
  size_t Pointers = (size_t(Count) + NumNames + 1) * sizeof(long);
  size_t Text = nameLength(0) + LibraryBytes + 1 + Old + 1;
  long Bytes = long(Pointers + Text);
  long Map = hostCall(SYS_mmap, 0, Bytes, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (isError(Map))
    return Envp;
  auto *New = reinterpret_cast<long *>(Map);
  char *Preload = reinterpret_cast<char *>(Map) + Pointers;
  char *At = Preload;
  std::memcpy(At, Names[0], nameLength(0));
  At += nameLength(0);
  std::memcpy(At, Kept[0], LibraryBytes);
  At += LibraryBytes;
  if (Want & PreloadPrefixed) {
    *At++ = ':';
    long Word;
    (void)UserMemory::copyIn(&Word, Env + PreloadAt, sizeof(Word));
    UserMemory::copyInSome(
        At, reinterpret_cast<const char *>(Word) + nameLength(0), Old);
    At += Old;
  }
  *At = 0;
  long N = 0;
  for (long I = 0; I < Count; ++I) {
    long Word = 0;
    (void)UserMemory::copyIn(&Word, Env + I, sizeof(Word));
    New[N++] = I == PreloadAt ? reinterpret_cast<long>(Preload) : Word;
  }
  if (Want & PreloadMade)
    New[N++] = reinterpret_cast<long>(Preload);
  for (unsigned I = 1; I < NumNames; ++I)
    if (Want & madeBit(I))
      New[N++] = reinterpret_cast<long>(Kept[I]);
  New[N] = 0;
  Copy = Map;
  CopyBytes = Bytes;
  Added = Want;
  return Map;
}

bool ExecEnvironment::preloads(long Envp) {
  auto *Env = reinterpret_cast<const long *>(Envp);
  for (long I = 0; Env && I < (1 << 20); ++I) {
    long Word;
    if (UserMemory::copyIn(&Word, Env + I, sizeof(Word)) < 0 || !Word)
      break;
    char Head[24] = {};
    UserMemory::copyInSome(Head, reinterpret_cast<const char *>(Word),
                           sizeof(Head) - 1);
    if (nameOf(Head) == 0)
      return namesLibrary(reinterpret_cast<const char *>(Word));
  }
  return false;
}

uint32_t ExecEnvironment::added() { return Added; }

long ExecEnvironment::libraryReadable() {
  // Root reads it wherever it is; so does the user the process started
  // as, whose ld.so loaded it.
  if (!Kept[0] || hostCall(SYS_geteuid) == 0)
    return 0;
  if (hostCall(SYS_faccessat2, AT_FDCWD, reinterpret_cast<long>(Kept[0]), R_OK,
               AT_EACCESS) == 0)
    return 0;
  static bool Said = false;
  if (!Said) {
    Said = true;
    static const char Line[] =
        "k42: the personality's library is not readable by this process's "
        "user, so a program it ran would escape to the host: exec fails "
        "with EACCES (build K42 where every user may read it)\n";
    (void)hostCall(SYS_write, 2, reinterpret_cast<long>(Line),
                   sizeof(Line) - 1);
  }
  return -EACCES;
}

void ExecEnvironment::execFailed() {
  if (Copy)
    (void)hostCall(SYS_munmap, Copy, CopyBytes);
  Copy = 0;
  Added = 0;
}

void ExecEnvironment::restore(char **Environment, uint32_t Bits) {
  if (!Environment)
    return;
  for (char **At = Environment; *At;) {
    unsigned Name = nameOf(*At);
    bool Remove = Name < NumNames && (Name == 0 ? (Bits & PreloadMade) != 0
                                                : (Bits & madeBit(Name)) != 0);
    if (Remove) {
      removeEntry(At);
      Bits &= Name == 0 ? ~PreloadMade : ~madeBit(Name);
      continue;
    }
    if (Name == 0 && (Bits & PreloadPrefixed)) {
      // "LD_PRELOAD=<library>:<the program's>" back to the program's.
      char *Value = *At + nameLength(0);
      char *Colon = std::strchr(Value, ':');
      if (Colon && Colon - Value >= long(sizeof(Library) - 1) &&
          std::strncmp(Colon - (sizeof(Library) - 1), Library,
                       sizeof(Library) - 1) == 0)
        std::memmove(Value, Colon + 1, std::strlen(Colon + 1) + 1);
      Bits &= ~PreloadPrefixed;
    }
    ++At;
  }
}
