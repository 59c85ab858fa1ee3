//===- runtime/linux/ElfImage.cpp - An ELF program's load plan ------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The checks binfmt_elf makes of a file's headers, stricter where the
/// loaders here would not be exact (segments in ascending order without
/// overlap, bss only in writable segments, every segment inside the file),
/// and the mappings that load it as binfmt_elf maps it.
///
//===----------------------------------------------------------------------===//

#include "k42/personality/ElfImage.h"

#include <sys/mman.h>

using namespace k42::personality;

namespace {

constexpr uintptr_t Page = ElfImage::Page;
uintptr_t pageDown(uintptr_t A) { return A & ~(Page - 1); }
uintptr_t pageUp(uintptr_t A) { return pageDown(A + Page - 1); }

int protOf(uint32_t Flags) {
  return (Flags & PF_R ? PROT_READ : 0) | (Flags & PF_W ? PROT_WRITE : 0) |
         (Flags & PF_X ? PROT_EXEC : 0);
}

} // namespace

const char *ElfImage::read(const void *Head, size_t HeadLength,
                           uint64_t FileSize, Reader ReadMore, void *Context) {
  InterpAt = -1;
  ExecStack = false;
  Low = ~uintptr_t(0);
  High = 0;
  Align = Page;
  if (HeadLength > FileSize)
    HeadLength = size_t(FileSize);
  const auto *Magic = static_cast<const unsigned char *>(Head);
  if (HeadLength < SELFMAG || Magic[EI_MAG0] != ELFMAG0 ||
      Magic[EI_MAG1] != ELFMAG1 || Magic[EI_MAG2] != ELFMAG2 ||
      Magic[EI_MAG3] != ELFMAG3)
    return "not an ELF file";
  if (HeadLength < sizeof(Header))
    return "a truncated ELF header";
  __builtin_memcpy(&Header, Head, sizeof(Header));
  const unsigned char *Id = Header.e_ident;
  if (Id[EI_CLASS] != ELFCLASS64 || Id[EI_DATA] != ELFDATA2LSB ||
      Header.e_machine != EM_X86_64)
    return "not an x86_64 ELF file";
  if (Header.e_type != ET_EXEC && Header.e_type != ET_DYN)
    return "not an ELF program or shared object";
  if (Header.e_phentsize != sizeof(Elf64_Phdr))
    return "a program header size not Elf64_Phdr's";
  if (Header.e_phnum == 0 || Header.e_phnum > MaxPhdrs)
    return "no program headers, or too many";
  size_t Bytes = Header.e_phnum * sizeof(Elf64_Phdr);
  uint64_t At = Header.e_phoff;
  if (At > FileSize || Bytes > FileSize - At)
    return "program headers past the file's end";
  if (At + Bytes <= HeadLength)
    __builtin_memcpy(Phdrs, static_cast<const char *>(Head) + At, Bytes);
  else if (!ReadMore || !ReadMore(Context, Phdrs, Bytes, At))
    return "program headers that cannot be read";

  uintptr_t LastEnd = 0;
  for (unsigned N = 0; N < Header.e_phnum; ++N) {
    const Elf64_Phdr &P = Phdrs[N];
    if (P.p_type == PT_GNU_STACK && (P.p_flags & PF_X))
      ExecStack = true;
    if (P.p_type == PT_INTERP) {
      if (InterpAt >= 0)
        return "two interpreters";
      if (P.p_offset > FileSize || P.p_filesz > FileSize - P.p_offset)
        return "an interpreter's path past the file's end";
      InterpAt = int(N);
    }
    if (P.p_type != PT_LOAD || P.p_memsz == 0)
      continue;
    if (P.p_align & (P.p_align - 1))
      return "a segment alignment that is not a power of two";
    if ((P.p_vaddr - P.p_offset) % Page != 0)
      return "a segment's address and file offset on different page offsets";
    if (P.p_filesz > P.p_memsz)
      return "a segment with more file than memory";
    if (P.p_offset > FileSize || P.p_filesz > FileSize - P.p_offset)
      return "a segment past the file's end (a truncated file)";
    if (P.p_vaddr + P.p_memsz < P.p_vaddr || P.p_vaddr + P.p_memsz > UserEnd)
      return "a segment past the user address space";
    if (P.p_vaddr < LastEnd)
      return "overlapping or unordered segments";
    // A bss in a segment that cannot be written: binfmt_elf's corner.
    if (P.p_memsz > P.p_filesz && !(P.p_flags & PF_W))
      return "a bss in a read-only segment";
    LastEnd = P.p_vaddr + P.p_memsz;
    if (P.p_vaddr < Low)
      Low = P.p_vaddr;
    if (LastEnd > High)
      High = LastEnd;
    if (P.p_align > Align)
      Align = P.p_align;
  }
  if (High == 0)
    return "no loadable segment";
  if (Align > MaxAlign)
    return "a segment alignment past 1 GiB";
  return nullptr;
}

size_t ElfImage::reservation() const {
  size_t Span = ((High + Page - 1) & ~(Page - 1)) - (Low & ~(Page - 1));
  return Span + (movable() && Align > Page ? Align : 0);
}

uintptr_t ElfImage::biasIn(uintptr_t Reserved) const {
  return ((Reserved + Align - 1) & ~(Align - 1)) - (Low & ~(Page - 1));
}

uintptr_t ElfImage::phdrAddress(uintptr_t Bias) const {
  for (unsigned N = 0; N < Header.e_phnum; ++N)
    if (Phdrs[N].p_type == PT_PHDR)
      return Bias + Phdrs[N].p_vaddr;
  for (unsigned N = 0; N < Header.e_phnum; ++N) {
    const Elf64_Phdr &P = Phdrs[N];
    if (P.p_type == PT_LOAD && P.p_offset == 0)
      return Bias + P.p_vaddr + Header.e_phoff;
  }
  return 0;
}

size_t ElfImage::mappings(uintptr_t Bias, Mapping *Out) const {
  size_t Count = 0;
  for (unsigned N = 0; N < Header.e_phnum; ++N) {
    const Elf64_Phdr &P = Phdrs[N];
    if (P.p_type != PT_LOAD || P.p_memsz == 0)
      continue;
    uintptr_t Start = Bias + pageDown(P.p_vaddr);
    uintptr_t FileEnd = Bias + P.p_vaddr + P.p_filesz;
    uintptr_t MemEnd = Bias + P.p_vaddr + P.p_memsz;
    int Prot = protOf(P.p_flags);
    uintptr_t AnonStart = Start;
    if (P.p_filesz) {
      Out[Count++] = {Mapping::File, Start, pageUp(FileEnd) - Start, Prot,
                      pageDown(P.p_offset)};
      if (MemEnd > FileEnd && FileEnd % Page)
        Out[Count++] = {Mapping::Zero, FileEnd, pageUp(FileEnd) - FileEnd, Prot,
                        0};
      AnonStart = pageUp(FileEnd);
    }
    if (pageUp(MemEnd) > AnonStart)
      Out[Count++] = {Mapping::Anonymous, AnonStart, pageUp(MemEnd) - AnonStart,
                      Prot, 0};
  }
  return Count;
}

bool ElfImage::staticPie(Reader ReadMore, void *Context) const {
  if (!movable() || InterpAt >= 0 || !ReadMore)
    return false;
  for (unsigned I = 0; I < Header.e_phnum && I < MaxPhdrs; ++I) {
    const Elf64_Phdr &P = Phdrs[I];
    if (P.p_type != PT_DYNAMIC)
      continue;
    // A dynamic section is a few dozen entries; a longer one is read in
    // part, its DT_FLAGS_1 early as the linker writes it.
    Elf64_Dyn Entries[64];
    size_t Count = P.p_filesz / sizeof(Elf64_Dyn);
    if (Count > sizeof(Entries) / sizeof(Entries[0]))
      Count = sizeof(Entries) / sizeof(Entries[0]);
    if (!Count ||
        !ReadMore(Context, Entries, Count * sizeof(Elf64_Dyn), P.p_offset))
      return false;
    for (size_t N = 0; N < Count && Entries[N].d_tag != DT_NULL; ++N)
      if (Entries[N].d_tag == DT_FLAGS_1)
        return (Entries[N].d_un.d_val & DF_1_PIE) != 0;
    return false;
  }
  return false;
}
