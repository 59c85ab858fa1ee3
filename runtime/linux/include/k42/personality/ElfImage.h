//===- k42/personality/ElfImage.h - An ELF program's load plan -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// One x86_64 ELF file's headers checked as Linux's binfmt_elf takes them,
/// and the mappings that load it: the one reading of ELF files that both
/// the exec overlay (inside the execve handler) and k42-exec's loader of
/// static programs use. Freestanding: no libc call, no allocation, errors
/// as values (a sentence saying what is wrong with the file).
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_ELFIMAGE_H
#define K42_PERSONALITY_ELFIMAGE_H

#include <cstddef>
#include <cstdint>

#include <elf.h>

namespace k42::personality {

/// The headers of one ELF program (or interpreter) and where its
/// segments go.
class ElfImage {
public:
  static constexpr uintptr_t Page = 4096;
  /// Program headers taken (more: an unusual file, left to the host).
  static constexpr unsigned MaxPhdrs = 32;
  /// The end of a 47-bit address space (TASK_SIZE).
  static constexpr uintptr_t UserEnd = 0x7ffffffff000;
  /// The largest segment alignment taken (larger: an unusual file).
  static constexpr uintptr_t MaxAlign = uintptr_t(1) << 30;

  /// One step of loading: a file mapping, zeros written over the rest of
  /// the last file page (the bss's start), or anonymous pages.
  struct Mapping {
    enum Kind { File, Zero, Anonymous } What;
    uintptr_t Start;
    uintptr_t Length;
    int Prot;
    uint64_t Offset; ///< In the file (File only).
  };
  /// The most mappings one image needs (three a loadable segment).
  static constexpr size_t MaxMappings = 3 * MaxPhdrs;

  /// Reads the headers from \p Head, the file's first \p HeadLength bytes,
  /// of a file of \p FileSize bytes; program headers past \p Head come
  /// from \p ReadMore (pread semantics: exactly Length bytes at Offset, or
  /// false), which may be null. Null when the file is an x86_64 ELF
  /// program or shared object whose segments binfmt_elf would load as
  /// this class maps them; else what is wrong.
  using Reader = bool (*)(void *Context, void *To, size_t Length,
                          uint64_t Offset);
  const char *read(const void *Head, size_t HeadLength, uint64_t FileSize,
                   Reader ReadMore = nullptr, void *Context = nullptr);

  const Elf64_Ehdr &header() const { return Header; }
  unsigned phdrCount() const { return Header.e_phnum; }
  const Elf64_Phdr &phdr(unsigned N) const { return Phdrs[N]; }
  /// A position-independent file (ET_DYN), placed anywhere.
  bool movable() const { return Header.e_type == ET_DYN; }
  /// Whether this image (read()) is a static-pie program: position
  /// independent, no interpreter, and its dynamic section's DT_FLAGS_1
  /// says DF_1_PIE, which the linker gives executables only (ld.so itself
  /// and libraries, also ET_DYN without an interpreter, have it not).
  /// \p ReadMore reads the dynamic section (read()'s reader); false when
  /// it cannot.
  bool staticPie(Reader ReadMore, void *Context) const;
  /// The PT_INTERP header's index, or -1 (a static program).
  int interpIndex() const { return InterpAt; }
  /// Whether PT_GNU_STACK asks for an executable stack.
  bool executableStack() const { return ExecStack; }
  /// The lowest and highest addresses of the loadable segments (before
  /// any bias), and their largest alignment (at least a page).
  uintptr_t low() const { return Low; }
  uintptr_t high() const { return High; }
  uintptr_t align() const { return Align; }
  /// Where the program headers are in memory once loaded at \p Bias
  /// (AT_PHDR): PT_PHDR's address, else inside the segment mapping file
  /// offset 0; 0 if neither.
  uintptr_t phdrAddress(uintptr_t Bias) const;
  /// The bytes to reserve for the image before it is placed: its span in
  /// whole pages, and for a position-independent image with an alignment
  /// past a page that alignment more, so that an aligned base lies within.
  size_t reservation() const;
  /// The load bias of a position-independent image placed in room
  /// reserved at \p Reserved (reservation() bytes): the first base aligned
  /// to align() there, less low()'s page.
  uintptr_t biasIn(uintptr_t Reserved) const;

  /// The mappings that load the image at \p Bias, in order, into \p Out
  /// (at least MaxMappings): how many. A file mapping's pages cover the
  /// segment's file part, the zeros the rest of its last page, anonymous
  /// pages the rest of its memory size.
  size_t mappings(uintptr_t Bias, Mapping *Out) const;

private:
  Elf64_Ehdr Header{};
  Elf64_Phdr Phdrs[MaxPhdrs]{};
  int InterpAt = -1;
  bool ExecStack = false;
  uintptr_t Low = 0;
  uintptr_t High = 0;
  uintptr_t Align = Page;
};

} // namespace k42::personality

#endif // K42_PERSONALITY_ELFIMAGE_H
