//===- test/unit/ElfImageTest.cpp - An ELF program's load plan ------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/ElfImage.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include <elf.h>
#include <sys/mman.h>

using namespace k42::personality;

namespace {

/// A small ELF file made in memory: a header, program headers right after
/// it, and room for the segments' bytes.
struct File {
  Elf64_Ehdr Header{};
  std::vector<Elf64_Phdr> Phdrs;
  size_t Size = 0x3000;

  File(uint16_t Type = ET_EXEC) {
    std::memcpy(Header.e_ident, ELFMAG, SELFMAG);
    Header.e_ident[EI_CLASS] = ELFCLASS64;
    Header.e_ident[EI_DATA] = ELFDATA2LSB;
    Header.e_ident[EI_VERSION] = EV_CURRENT;
    Header.e_type = Type;
    Header.e_machine = EM_X86_64;
    Header.e_entry = 0x401000;
    Header.e_phoff = sizeof(Elf64_Ehdr);
    Header.e_phentsize = sizeof(Elf64_Phdr);
    // Text (headers included) and data with a bss.
    load(0, 0x400000, 0x1800, 0x1800, PF_R | PF_X);
    load(0x2000, 0x402000, 0x100, 0x2000, PF_R | PF_W);
  }
  Elf64_Phdr &load(uint64_t Offset, uint64_t Vaddr, uint64_t FileSize,
                   uint64_t MemSize, uint32_t Flags, uint64_t Align = 0x1000) {
    Elf64_Phdr P{};
    P.p_type = PT_LOAD;
    P.p_offset = Offset;
    P.p_vaddr = P.p_paddr = Vaddr;
    P.p_filesz = FileSize;
    P.p_memsz = MemSize;
    P.p_flags = Flags;
    P.p_align = Align;
    Phdrs.push_back(P);
    return Phdrs.back();
  }
  /// The same two segments, position independent: at 0 and 0x2000.
  static File positionIndependent() {
    File F(ET_DYN);
    F.Phdrs[0].p_vaddr = 0;
    F.Phdrs[1].p_vaddr = 0x2000;
    return F;
  }
  /// A header of \p Type (not PT_LOAD) over \p Size bytes at file offset
  /// (and address) \p Offset, after the others.
  Elf64_Phdr &add(uint32_t Type, uint64_t Offset, uint64_t Size) {
    Elf64_Phdr P{};
    P.p_type = Type;
    P.p_offset = P.p_vaddr = Offset;
    P.p_filesz = P.p_memsz = Size;
    Phdrs.push_back(P);
    return Phdrs.back();
  }
  std::string bytes() {
    Header.e_phnum = uint16_t(Phdrs.size());
    std::string B(reinterpret_cast<const char *>(&Header), sizeof(Header));
    B.append(reinterpret_cast<const char *>(Phdrs.data()),
             Phdrs.size() * sizeof(Elf64_Phdr));
    return B;
  }
  /// What ElfImage says of the file (its first \p Head bytes given).
  std::string check(ElfImage &Image, size_t Head = ~size_t(0)) {
    std::string B = bytes();
    const char *Why =
        Image.read(B.data(), Head < B.size() ? Head : B.size(), Size);
    return Why ? Why : "ok";
  }
  std::string check() {
    ElfImage Image;
    return check(Image);
  }
};

TEST(ElfImageTest, ReadsAStaticProgramAndMapsItAsBinfmtElf) {
  File F;
  ElfImage Image;
  ASSERT_EQ(F.check(Image), "ok");
  EXPECT_FALSE(Image.movable());
  EXPECT_EQ(Image.interpIndex(), -1);
  EXPECT_FALSE(Image.executableStack());
  EXPECT_EQ(Image.low(), 0x400000u);
  EXPECT_EQ(Image.high(), 0x404000u);
  EXPECT_EQ(Image.align(), 0x1000u);
  // The headers are in the segment mapping offset 0.
  EXPECT_EQ(Image.phdrAddress(0), 0x400000u + sizeof(Elf64_Ehdr));

  ElfImage::Mapping M[ElfImage::MaxMappings];
  ASSERT_EQ(Image.mappings(0, M), 4u);
  EXPECT_EQ(M[0].What, ElfImage::Mapping::File);
  EXPECT_EQ(M[0].Start, 0x400000u);
  EXPECT_EQ(M[0].Length, 0x2000u);
  EXPECT_EQ(M[0].Prot, PROT_READ | PROT_EXEC);
  EXPECT_EQ(M[0].Offset, 0u);
  // Data: one file page, the rest of it zeroed, then anonymous pages.
  EXPECT_EQ(M[1].What, ElfImage::Mapping::File);
  EXPECT_EQ(M[1].Start, 0x402000u);
  EXPECT_EQ(M[1].Length, 0x1000u);
  EXPECT_EQ(M[1].Offset, 0x2000u);
  EXPECT_EQ(M[2].What, ElfImage::Mapping::Zero);
  EXPECT_EQ(M[2].Start, 0x402100u);
  EXPECT_EQ(M[2].Length, 0xf00u);
  EXPECT_EQ(M[3].What, ElfImage::Mapping::Anonymous);
  EXPECT_EQ(M[3].Start, 0x403000u);
  EXPECT_EQ(M[3].Length, 0x1000u);
  EXPECT_EQ(M[3].Prot, PROT_READ | PROT_WRITE);
}

TEST(ElfImageTest, APositionIndependentProgramIsMappedAtItsBias) {
  File F = File::positionIndependent();
  F.add(PT_INTERP, 0x200, 28);
  // First, where the linker puts it.
  std::rotate(F.Phdrs.begin(), F.Phdrs.end() - 1, F.Phdrs.end());
  F.add(PT_GNU_STACK, 0, 0).p_flags = PF_R | PF_W | PF_X;
  ElfImage Image;
  ASSERT_EQ(F.check(Image), "ok");
  EXPECT_TRUE(Image.movable());
  EXPECT_EQ(Image.interpIndex(), 0);
  EXPECT_TRUE(Image.executableStack());
  ElfImage::Mapping M[ElfImage::MaxMappings];
  ASSERT_EQ(Image.mappings(0x7f0000000000, M), 4u);
  EXPECT_EQ(M[0].Start, 0x7f0000000000u);
  EXPECT_EQ(M[3].Start, 0x7f0000003000u);
  EXPECT_EQ(Image.phdrAddress(0x7f0000000000),
            0x7f0000000000u + sizeof(Elf64_Ehdr));
  // Its room: the span alone at a page's alignment, and its base anywhere.
  EXPECT_EQ(Image.reservation(), 0x4000u);
  EXPECT_EQ(Image.biasIn(0x7f0000003000), 0x7f0000003000u);
  // At 2 MiB's, 2 MiB more, and the first aligned base in it.
  File Big = File::positionIndependent();
  Big.Phdrs[0].p_align = Big.Phdrs[1].p_align = 0x200000;
  Big.Phdrs[1].p_vaddr = 0x202000;
  Big.Phdrs[1].p_offset = 0x2000;
  ElfImage BigImage;
  ASSERT_EQ(Big.check(BigImage), "ok");
  EXPECT_EQ(BigImage.reservation(), 0x204000u + 0x200000u);
  EXPECT_EQ(BigImage.biasIn(0x7f0000003000), 0x7f0000200000u);
  // A program at a fixed address reserves its span only.
  File Fixed;
  ElfImage FixedImage;
  ASSERT_EQ(Fixed.check(FixedImage), "ok");
  EXPECT_EQ(FixedImage.reservation(), 0x4000u);
}

TEST(ElfImageTest, AStaticPieProgramIsToldFromLdSoByItsDynamicFlags) {
  // ET_DYN without PT_INTERP, with a dynamic section at 0x2000 (in the
  // data segment): DT_FLAGS_1 with DF_1_PIE is a static-pie program, none
  // (ld.so, a library) or without the flag is not one.
  auto Make = [](int64_t FlagsTag, uint64_t Flags) {
    File F = File::positionIndependent();
    F.add(PT_DYNAMIC, 0x2000, 3 * sizeof(Elf64_Dyn));
    std::string B = F.bytes();
    B.resize(F.Size);
    Elf64_Dyn Entries[3] = {
        {DT_DEBUG, {0}}, {FlagsTag, {Flags}}, {DT_NULL, {0}}};
    std::memcpy(&B[0x2000], Entries, sizeof(Entries));
    return B;
  };
  auto Reader = [](void *Context, void *To, size_t Length, uint64_t Offset) {
    auto *Bytes = static_cast<std::string *>(Context);
    if (Offset + Length > Bytes->size())
      return false;
    std::memcpy(To, Bytes->data() + Offset, Length);
    return true;
  };
  auto Says = [&](std::string B) {
    ElfImage Image;
    if (Image.read(B.data(), B.size(), B.size(), Reader, &B))
      return std::string("unread");
    return std::string(Image.staticPie(Reader, &B) ? "static-pie" : "not");
  };
  EXPECT_EQ(Says(Make(DT_FLAGS_1, DF_1_PIE | DF_1_NOW)), "static-pie");
  EXPECT_EQ(Says(Make(DT_FLAGS_1, DF_1_NOW)), "not");
  EXPECT_EQ(Says(Make(DT_FLAGS, DF_STATIC_TLS)), "not");
  // No dynamic section to read: not one (a reader that fails the same).
  std::string Whole = Make(DT_FLAGS_1, DF_1_PIE);
  std::string Cut = Whole.substr(0, 0x2000);
  ElfImage Image;
  ASSERT_EQ(
      Image.read(Whole.data(), Whole.size(), Whole.size(), Reader, &Whole),
      nullptr);
  EXPECT_FALSE(Image.staticPie(Reader, &Cut));
  // A program at a fixed address, or one with an interpreter, is not one
  // whatever its flags.
  File Fixed;
  ElfImage FixedImage;
  ASSERT_EQ(Fixed.check(FixedImage), "ok");
  EXPECT_FALSE(FixedImage.staticPie(Reader, &Cut));
}

TEST(ElfImageTest, MalformedHeadersAreRefusedWithWhy) {
  {
    File F;
    F.Header.e_ident[1] = 'X';
    EXPECT_EQ(F.check(), "not an ELF file");
  }
  {
    File F;
    F.Header.e_ident[EI_CLASS] = ELFCLASS32;
    EXPECT_EQ(F.check(), "not an x86_64 ELF file");
  }
  {
    File F;
    F.Header.e_machine = EM_AARCH64;
    EXPECT_EQ(F.check(), "not an x86_64 ELF file");
  }
  {
    File F(ET_REL);
    EXPECT_EQ(F.check(), "not an ELF program or shared object");
  }
  {
    File F;
    F.Header.e_phentsize = 32;
    EXPECT_EQ(F.check(), "a program header size not Elf64_Phdr's");
  }
  {
    File F;
    F.Phdrs.clear();
    EXPECT_EQ(F.check(), "no program headers, or too many");
  }
  {
    File F;
    Elf64_Phdr Note{};
    Note.p_type = PT_NOTE;
    F.Phdrs.assign(ElfImage::MaxPhdrs + 1, Note);
    EXPECT_EQ(F.check(), "no program headers, or too many");
  }
  {
    File F;
    F.Phdrs.resize(1);
    F.Phdrs[0].p_type = PT_NOTE;
    EXPECT_EQ(F.check(), "no loadable segment");
  }
  {
    File F;
    Elf64_Phdr Interp{};
    Interp.p_type = PT_INTERP;
    Interp.p_offset = 0x200;
    Interp.p_filesz = 10;
    F.Phdrs.insert(F.Phdrs.begin(), {Interp, Interp});
    EXPECT_EQ(F.check(), "two interpreters");
  }
}

TEST(ElfImageTest, TruncatedFilesAreRefused) {
  File F;
  std::string B = F.bytes();
  ElfImage Image;
  // Less than a header, with and without the magic.
  EXPECT_STREQ(Image.read(B.data(), 40, 40), "a truncated ELF header");
  EXPECT_STREQ(Image.read(B.data(), 3, 3), "not an ELF file");
  EXPECT_STREQ(Image.read(B.data(), 0, 0), "not an ELF file");
  // A header whose program headers are past the file's end.
  EXPECT_STREQ(Image.read(B.data(), B.size(), B.size() - 1),
               "program headers past the file's end");
  // Program headers past the bytes given, and no way to read more.
  EXPECT_STREQ(Image.read(B.data(), sizeof(Elf64_Ehdr), F.Size),
               "program headers that cannot be read");
  // A segment whose file bytes end past the file's.
  F.Size = 0x2000 + 0x80;
  EXPECT_EQ(F.check(), "a segment past the file's end (a truncated file)");
  File G;
  G.Phdrs[0].p_offset = 0x10000;
  G.Phdrs[0].p_vaddr = 0x410000;
  G.Phdrs[1].p_vaddr = 0x412000;
  G.Phdrs[1].p_offset = 0x2000;
  EXPECT_EQ(G.check(), "a segment past the file's end (a truncated file)");
}

TEST(ElfImageTest, ProgramHeadersPastTheFirstBytesAreReadOnDemand) {
  File F;
  std::string B = F.bytes();
  struct Source {
    std::string Bytes;
    int Calls = 0;
  } S{B, 0};
  auto Reader = [](void *Context, void *To, size_t Length, uint64_t Offset) {
    auto *Src = static_cast<Source *>(Context);
    ++Src->Calls;
    if (Offset + Length > Src->Bytes.size())
      return false;
    std::memcpy(To, Src->Bytes.data() + Offset, Length);
    return true;
  };
  ElfImage Image;
  EXPECT_EQ(Image.read(B.data(), sizeof(Elf64_Ehdr), F.Size, Reader, &S),
            nullptr);
  EXPECT_EQ(S.Calls, 1);
  EXPECT_EQ(Image.high(), 0x404000u);
  // A reader that fails: refused, not read from garbage.
  S.Bytes.resize(sizeof(Elf64_Ehdr) + 8);
  EXPECT_STREQ(Image.read(B.data(), sizeof(Elf64_Ehdr), F.Size, Reader, &S),
               "program headers that cannot be read");
}

TEST(ElfImageTest, OverlappingOrUnorderedSegmentsAreRefused) {
  {
    File F;
    F.Phdrs[1].p_vaddr = 0x401000; // inside the text's 0x1800 bytes
    F.Phdrs[1].p_offset = 0x1000;
    EXPECT_EQ(F.check(), "overlapping or unordered segments");
  }
  {
    File F;
    std::swap(F.Phdrs[0], F.Phdrs[1]);
    EXPECT_EQ(F.check(), "overlapping or unordered segments");
  }
}

TEST(ElfImageTest, BadAlignmentsAreRefused) {
  {
    File F;
    F.Phdrs[1].p_align = 0x3000;
    EXPECT_EQ(F.check(), "a segment alignment that is not a power of two");
  }
  {
    File F;
    F.Phdrs[1].p_offset = 0x2010; // address and offset 0x10 apart in a page
    EXPECT_EQ(F.check(),
              "a segment's address and file offset on different page "
              "offsets");
  }
  {
    File F;
    F.Phdrs[0].p_align = F.Phdrs[1].p_align = uint64_t(1) << 31;
    EXPECT_EQ(F.check(), "a segment alignment past 1 GiB");
  }
}

TEST(ElfImageTest, SegmentsBinfmtElfWouldNotLoadExactlyAreRefused) {
  {
    File F;
    F.Phdrs[1].p_filesz = 0x3000;
    F.Phdrs[1].p_memsz = 0x2000;
    F.Size = 0x10000;
    EXPECT_EQ(F.check(), "a segment with more file than memory");
  }
  {
    File F;
    F.Phdrs[0].p_memsz = 0x2000; // a bss in the text
    EXPECT_EQ(F.check(), "a bss in a read-only segment");
  }
  {
    File F;
    F.Phdrs[1].p_vaddr = ElfImage::UserEnd - 0x1000;
    EXPECT_EQ(F.check(), "a segment past the user address space");
  }
  {
    File F;
    F.Phdrs[1].p_vaddr = ~uint64_t(0) - 0xfff;
    EXPECT_EQ(F.check(), "a segment past the user address space");
  }
}

} // namespace
