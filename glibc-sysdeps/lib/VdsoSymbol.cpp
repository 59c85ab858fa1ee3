//===- glibc-sysdeps/lib/VdsoSymbol.cpp - The vDSO's own functions --------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/VdsoSymbol.h"

#include <cstdint>
#include <cstring>

#include <elf.h>
#include <sys/auxv.h>

using namespace k42::personality;

void *VdsoSymbol::find(const char *Name) {
  uintptr_t Base = getauxval(AT_SYSINFO_EHDR);
  if (!Base)
    return nullptr;
  const auto *Header = reinterpret_cast<const Elf64_Ehdr *>(Base);
  if (std::memcmp(Header->e_ident, ELFMAG, SELFMAG) != 0 ||
      Header->e_ident[EI_CLASS] != ELFCLASS64 ||
      Header->e_phentsize != sizeof(Elf64_Phdr))
    return nullptr;
  // The image is mapped whole from its first byte: an address it was
  // linked at is Bias past where it is.
  const auto *Phdrs =
      reinterpret_cast<const Elf64_Phdr *>(Base + Header->e_phoff);
  uintptr_t Bias = 0;
  bool Loaded = false;
  const Elf64_Dyn *Dynamic = nullptr;
  for (unsigned I = 0; I < Header->e_phnum; ++I) {
    if (Phdrs[I].p_type == PT_LOAD && !Loaded) {
      Bias = Base + Phdrs[I].p_offset - Phdrs[I].p_vaddr;
      Loaded = true;
    } else if (Phdrs[I].p_type == PT_DYNAMIC) {
      Dynamic = reinterpret_cast<const Elf64_Dyn *>(Base + Phdrs[I].p_offset);
    }
  }
  if (!Loaded || !Dynamic)
    return nullptr;
  const Elf64_Sym *Symbols = nullptr;
  const char *Strings = nullptr;
  const Elf32_Word *Hash = nullptr;
  for (const Elf64_Dyn *D = Dynamic; D->d_tag != DT_NULL; ++D) {
    if (D->d_tag == DT_SYMTAB)
      Symbols = reinterpret_cast<const Elf64_Sym *>(Bias + D->d_un.d_ptr);
    else if (D->d_tag == DT_STRTAB)
      Strings = reinterpret_cast<const char *>(Bias + D->d_un.d_ptr);
    else if (D->d_tag == DT_HASH)
      Hash = reinterpret_cast<const Elf32_Word *>(Bias + D->d_un.d_ptr);
  }
  if (!Symbols || !Strings)
    return nullptr;
  // DT_HASH's chain count is the number of symbols; without it, the
  // table runs up to the strings, which follow it in a vDSO.
  uintptr_t Count = Hash ? Hash[1]
                    : reinterpret_cast<uintptr_t>(Strings) >
                            reinterpret_cast<uintptr_t>(Symbols)
                        ? (reinterpret_cast<uintptr_t>(Strings) -
                           reinterpret_cast<uintptr_t>(Symbols)) /
                              sizeof(Elf64_Sym)
                        : 0;
  for (uintptr_t I = 0; I < Count; ++I) {
    const Elf64_Sym &S = Symbols[I];
    if (S.st_shndx != SHN_UNDEF && ELF64_ST_TYPE(S.st_info) == STT_FUNC &&
        std::strcmp(Strings + S.st_name, Name) == 0)
      return reinterpret_cast<void *>(Bias + S.st_value);
  }
  return nullptr;
}
