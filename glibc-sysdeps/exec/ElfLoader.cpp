//===- glibc-sysdeps/exec/ElfLoader.cpp - Static programs, in-process -----===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "ElfLoader.h"

#include <cerrno>
#include <cstring>
#include <vector>

#include <elf.h>
#include <fcntl.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <unistd.h>

using namespace k42::personality;

namespace {

constexpr uintptr_t PageSize = 4096;
uintptr_t pageDown(uintptr_t A) { return A & ~(PageSize - 1); }
uintptr_t pageUp(uintptr_t A) { return pageDown(A + PageSize - 1); }

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

/// The header and program headers of an x86_64 ELF program, or false.
bool readHeaders(int Fd, Elf64_Ehdr &Header, std::vector<Elf64_Phdr> &Phdrs) {
  if (!readAt(Fd, &Header, sizeof(Header), 0))
    return false;
  if (std::memcmp(Header.e_ident, ELFMAG, SELFMAG) != 0 ||
      Header.e_ident[EI_CLASS] != ELFCLASS64 || Header.e_machine != EM_X86_64 ||
      (Header.e_type != ET_EXEC && Header.e_type != ET_DYN) ||
      Header.e_phentsize != sizeof(Elf64_Phdr) || Header.e_phnum == 0 ||
      Header.e_phnum > 64)
    return false;
  Phdrs.resize(Header.e_phnum);
  return readAt(Fd, Phdrs.data(), Phdrs.size() * sizeof(Elf64_Phdr),
                off_t(Header.e_phoff));
}

int protOf(uint32_t Flags) {
  return (Flags & PF_R ? PROT_READ : 0) | (Flags & PF_W ? PROT_WRITE : 0) |
         (Flags & PF_X ? PROT_EXEC : 0);
}

} // namespace

ProgramKind ElfLoader::classify(const std::string &Path) {
  int Fd = open(Path.c_str(), O_RDONLY | O_CLOEXEC);
  if (Fd < 0)
    return ProgramKind::Other;
  Elf64_Ehdr Header;
  std::vector<Elf64_Phdr> Phdrs;
  ProgramKind Kind = ProgramKind::Other;
  if (readHeaders(Fd, Header, Phdrs)) {
    Kind = ProgramKind::Static;
    for (const Elf64_Phdr &P : Phdrs)
      if (P.p_type == PT_INTERP)
        Kind = ProgramKind::Dynamic;
    // A shared object without an interpreter (ld.so itself, a library) is
    // not a static program; the host decides what to do with it.
    if (Kind == ProgramKind::Static && Header.e_type != ET_EXEC)
      Kind = ProgramKind::Other;
  }
  close(Fd);
  return Kind;
}

long ElfLoader::load(const std::string &Path, std::string &Error) {
  int Fd = open(Path.c_str(), O_RDONLY | O_CLOEXEC);
  if (Fd < 0) {
    Error = "cannot open " + Path + ": " + std::strerror(errno);
    return -errno;
  }
  Elf64_Ehdr Header;
  std::vector<Elf64_Phdr> Phdrs;
  if (!readHeaders(Fd, Header, Phdrs) || Header.e_type != ET_EXEC) {
    close(Fd);
    Error = Path + " is not a static x86_64 program";
    return -ENOEXEC;
  }
  long Status = 0;
  for (const Elf64_Phdr &P : Phdrs) {
    if (P.p_type == PT_PHDR)
      Phdr = P.p_vaddr;
    if (P.p_type != PT_LOAD || P.p_memsz == 0)
      continue;
    if (!Phdr && P.p_offset == 0)
      Phdr = P.p_vaddr + Header.e_phoff;
    uintptr_t Start = pageDown(P.p_vaddr);
    uintptr_t End = pageUp(P.p_vaddr + P.p_memsz);
    // Anonymous memory filled from the file: simple, and the zero tail of
    // .bss comes for free. Refuse to land on anything already mapped.
    void *At = mmap(reinterpret_cast<void *>(Start), End - Start,
                    PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (At == MAP_FAILED || At != reinterpret_cast<void *>(Start)) {
      Error = "cannot map " + Path + " where it must be: " +
              std::strerror(At == MAP_FAILED ? errno : EEXIST);
      Status = -ENOMEM;
      break;
    }
    if (P.p_filesz && !readAt(Fd, reinterpret_cast<void *>(P.p_vaddr),
                              P.p_filesz, off_t(P.p_offset))) {
      Error = "cannot read " + Path;
      Status = -EIO;
      break;
    }
    mprotect(At, End - Start, protOf(P.p_flags));
  }
  close(Fd);
  Entry = Header.e_entry;
  Phnum = Header.e_phnum;
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
