//===- glibc-sysdeps/exec/ElfLoader.cpp - Static programs, in-process -----===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "ElfLoader.h"

#include "k42/personality/ElfImage.h"

#include <cerrno>
#include <cstring>
#include <vector>

#include <elf.h>
#include <fcntl.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace k42::personality;

namespace {

/// Reads exactly \p Length bytes at \p Offset.
bool readAt(int Fd, void *To, size_t Length, off_t Offset) {
  auto *P = static_cast<char *>(To);
  while (Length) {
    ssize_t N = pread(Fd, P, Length, Offset);
    if (N <= 0)
      return false;
    P += N;
    Length -= size_t(N);
    Offset += N;
  }
  return true;
}

/// ElfImage's reader of the bytes past the file's first ones.
bool readMore(void *Fd, void *To, size_t Length, uint64_t Offset) {
  return readAt(*static_cast<int *>(Fd), To, Length, off_t(Offset));
}

/// The headers of the file open at \p Fd, as ElfImage checks them; null
/// or what is wrong.
const char *readImage(int Fd, ElfImage &Image) {
  struct stat Info;
  if (fstat(Fd, &Info) != 0)
    return "cannot be examined";
  char Head[1024];
  ssize_t Got = pread(Fd, Head, sizeof(Head), 0);
  if (Got < 0)
    return "cannot be read";
  return Image.read(Head, size_t(Got), uint64_t(Info.st_size), readMore, &Fd);
}

} // namespace

ProgramKind ElfLoader::classify(const std::string &Path) {
  int Fd = open(Path.c_str(), O_RDONLY | O_CLOEXEC);
  if (Fd < 0)
    return ProgramKind::Other;
  ElfImage Image;
  ProgramKind Kind = ProgramKind::Other;
  // A static-pie program is one too, loaded at a base of this loader's
  // choosing as binfmt_elf chooses one (load()). Other position-
  // independent files without an interpreter (ld.so itself, a library,
  // run as a program) are the host's: ld.so would load the program and
  // the personality again into this armed process.
  if (!readImage(Fd, Image))
    Kind = Image.interpIndex() >= 0 ? ProgramKind::Dynamic
           : !Image.movable() || Image.staticPie(readMore, &Fd)
               ? ProgramKind::Static
               : ProgramKind::Other;
  close(Fd);
  return Kind;
}

long ElfLoader::load(const std::string &Path, std::string &Error) {
  int Fd = open(Path.c_str(), O_RDONLY | O_CLOEXEC);
  if (Fd < 0) {
    Error = "cannot open " + Path + ": " + std::strerror(errno);
    return -errno;
  }
  ElfImage Image;
  if (const char *Why = readImage(Fd, Image)) {
    close(Fd);
    Error = Path + ": " + Why;
    return -ENOEXEC;
  }
  if (Image.interpIndex() >= 0 ||
      (Image.movable() && !Image.staticPie(readMore, &Fd))) {
    close(Fd);
    Error = Path + " is not a static x86_64 program";
    return -ENOEXEC;
  }
  // The whole span reserved, where it must be for a program at a fixed
  // address (refusing to land on anything already mapped), anywhere the
  // host puts it for a position-independent one, aligned to its largest
  // segment alignment (its load bias the difference); then the segments
  // as binfmt_elf maps them, and the holes between them given back.
  uintptr_t Low = Image.low() & ~(ElfImage::Page - 1);
  uintptr_t High = (Image.high() + ElfImage::Page - 1) & ~(ElfImage::Page - 1);
  uintptr_t Bias = 0;
  if (Image.movable()) {
    size_t Room = Image.reservation();
    void *At = mmap(nullptr, Room, PROT_NONE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (At == MAP_FAILED) {
      close(Fd);
      Error = "no room for " + Path + ": " + std::strerror(errno);
      return -ENOMEM;
    }
    // The room around the image's span given back.
    uintptr_t Start = reinterpret_cast<uintptr_t>(At);
    Bias = Image.biasIn(Start);
    if (Low + Bias > Start)
      munmap(At, Low + Bias - Start);
    if (Start + Room > High + Bias)
      munmap(reinterpret_cast<void *>(High + Bias), Start + Room - High - Bias);
  } else {
    void *At =
        mmap(reinterpret_cast<void *>(Low), High - Low, PROT_NONE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE,
             -1, 0);
    if (At != reinterpret_cast<void *>(Low)) {
      int Why = At == MAP_FAILED ? errno : EEXIST;
      if (At != MAP_FAILED)
        munmap(At, High - Low);
      close(Fd);
      Error = "cannot map " + Path + " where it must be: " + std::strerror(Why);
      return -ENOMEM;
    }
  }
  Low += Bias;
  ElfImage::Mapping Maps[ElfImage::MaxMappings];
  size_t Count = Image.mappings(Bias, Maps);
  long Status = 0;
  uintptr_t Mapped = Low;
  for (size_t N = 0; N < Count && Status == 0; ++N) {
    const ElfImage::Mapping &M = Maps[N];
    void *To = reinterpret_cast<void *>(M.Start);
    if (M.Start > Mapped)
      munmap(reinterpret_cast<void *>(Mapped), M.Start - Mapped);
    if (M.Start + M.Length > Mapped)
      Mapped = M.Start + M.Length;
    if (M.What == ElfImage::Mapping::Zero) {
      std::memset(To, 0, M.Length);
      continue;
    }
    bool File = M.What == ElfImage::Mapping::File;
    if (mmap(To, M.Length, M.Prot,
             MAP_PRIVATE | MAP_FIXED | (File ? 0 : MAP_ANONYMOUS),
             File ? Fd : -1, off_t(File ? M.Offset : 0)) != To) {
      Error = "cannot map " + Path + ": " + std::strerror(errno);
      Status = -ENOMEM;
    }
  }
  close(Fd);
  Entry = Image.header().e_entry + Bias;
  Phdr = Image.phdrAddress(Bias);
  Phnum = Image.phdrCount();
  return Status;
}

uintptr_t ElfLoader::buildStack(int Argc, char **Argv, char **Envp,
                                const std::string &Path) {
  // The program's stack: 8 MiB, like the host's default, above 1 MiB that
  // is never accessible (the kernel's stack guard gap): an overflow faults
  // as it does natively, where it would run into the mapping below.
  constexpr size_t StackSize = 8 << 20;
  constexpr size_t GuardSize = 1 << 20;
  char *Map = static_cast<char *>(
      mmap(nullptr, GuardSize + StackSize, PROT_READ | PROT_WRITE,
           MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0));
  if (Map == MAP_FAILED)
    return 0;
  if (mprotect(Map, GuardSize, PROT_NONE) != 0) {
    munmap(Map, GuardSize + StackSize);
    return 0;
  }
  char *Base = Map + GuardSize;
  char *Top = Base + StackSize;
  auto PushString = [&](const char *S) {
    size_t Length = std::strlen(S) + 1;
    Top -= Length;
    std::memcpy(Top, S, Length);
    return Top;
  };
  std::vector<char *> Args, Envs;
  for (int I = 0; I < Argc; ++I)
    Args.push_back(PushString(Argv[I]));
  for (char **E = Envp; *E; ++E)
    Envs.push_back(PushString(*E));
  char *ExecFn = PushString(Path.c_str());
  Top -= 16;
  char *Random = Top;
  if (getrandom(Random, 16, 0) != 16)
    std::memcpy(Random, reinterpret_cast<void *>(getauxval(AT_RANDOM)), 16);

  std::vector<uintptr_t> Aux;
  auto Add = [&](uintptr_t Key, uintptr_t Value) {
    Aux.push_back(Key);
    Aux.push_back(Value);
  };
  for (unsigned long Key :
       {AT_SYSINFO_EHDR, AT_MINSIGSTKSZ, AT_HWCAP, AT_HWCAP2, AT_PAGESZ,
        AT_CLKTCK, AT_UID, AT_EUID, AT_GID, AT_EGID, AT_SECURE, AT_PLATFORM})
    if (uintptr_t Value = getauxval(Key); Value || Key == AT_SECURE)
      Add(Key, Value);
  Add(AT_PHDR, Phdr);
  Add(AT_PHENT, sizeof(Elf64_Phdr));
  Add(AT_PHNUM, Phnum);
  Add(AT_BASE, 0);
  Add(AT_FLAGS, 0);
  Add(AT_ENTRY, Entry);
  Add(AT_RANDOM, reinterpret_cast<uintptr_t>(Random));
  Add(AT_EXECFN, reinterpret_cast<uintptr_t>(ExecFn));
  Add(AT_NULL, 0);

  // argc, argv, NULL, envp, NULL, auxv: 16-byte aligned at argc.
  size_t Words = 1 + Args.size() + 1 + Envs.size() + 1 + Aux.size();
  auto *Sp = reinterpret_cast<uintptr_t *>(
      (reinterpret_cast<uintptr_t>(Top) - Words * sizeof(uintptr_t)) &
      ~uintptr_t(15));
  uintptr_t *W = Sp;
  *W++ = Args.size();
  for (char *A : Args)
    *W++ = reinterpret_cast<uintptr_t>(A);
  *W++ = 0;
  for (char *E : Envs)
    *W++ = reinterpret_cast<uintptr_t>(E);
  *W++ = 0;
  for (uintptr_t A : Aux)
    *W++ = A;
  return reinterpret_cast<uintptr_t>(Sp);
}

void ElfLoader::enter(uintptr_t Sp) {
  // As the kernel starts a program: rsp at argc, rdx (the loader's
  // finaliser) zero.
  asm volatile("movq %0, %%rsp\n\t"
               "xorl %%edx, %%edx\n\t"
               "xorl %%ebp, %%ebp\n\t"
               "jmp *%1"
               :
               : "D"(Sp), "a"(Entry)
               : "memory");
  __builtin_unreachable();
}
