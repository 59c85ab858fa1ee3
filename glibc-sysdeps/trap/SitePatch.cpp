//===- glibc-sysdeps/trap/SitePatch.cpp - Trapped sites made branches -----===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A site `b8 <nr> 0f 05` (mov $nr, %eax; syscall) in libc's text becomes
/// `e9 <to stub> 0f 05`. Its stub, 64 bytes in a trampoline page within
/// +-2 GiB of libc:
///
///   48 8d 64 24 80            lea -128(%rsp), %rsp   the caller's red zone
///   [the site's moves]        (below)
///   b8 <nr>                   mov $nr, %eax
///   ff 15 <to entry slot>     call *slot(%rip)       k42_site_entry
///   48 8d a4 24 80 00 00 00   lea 128(%rsp), %rsp
///   e9 <past the syscall>     jmp
///
/// glibc often sets arguments between the number and the syscall
/// (__open64_nocancel: `mov $257, %eax; mov %rdi, %rsi; mov $-100, %edi;
/// syscall`, the most trapped site of a program start). Such moves, when
/// they are register or immediate moves into registers other than rax and
/// rsp, are copied into the stub ahead of its own mov: they do the same
/// there. Only the five bytes of the mov are ever rewritten, so a branch to
/// any later instruction (eax set elsewhere) runs the original bytes and
/// traps, as before.
///
/// read (call 0, `xor %eax, %eax`: two bytes) has no such mov: its sites
/// are the starts of glibc's read and __read_nocancel, rewritten as
/// SiteKind says, the stub doing what the jump covered.
///
/// The page's first 8 bytes are the slot holding k42_site_entry's address
/// (the library may be loaded further than 2 GiB from the page).
///
/// Writing goes through /proc/self/mem, as a debugger writes its
/// breakpoints: the kernel writes through the page's protection (it
/// becomes the process's private copy), and the libc and trampoline pages
/// stay R-X all along, never writable. A patch so costs an open, two
/// pwrites and a close, where making each page RW and R-X again cost four
/// mprotects (each splitting libc's text mapping and flushing the TLB) and
/// two sigprocmasks around them (no handler may run code on a page while
/// it is not executable). Where the host refuses such writes
/// (proc_mem.force_override=never, no /proc), that is what is done. A
/// handler that traps while a patch is being written patches nothing
/// (Writing). A fork child inherits the patched text and the trampoline
/// (same addresses, private copies): right, since its calls go through the
/// same table.
///
/// An exec carries the sites this image had patched (their offsets in
/// libc's text and their numbers, sorted) in the exec state: the new image
/// patches them all at start-up, before it is armed, if its libc is the
/// same build (GNU build id and text size) and each is still, byte for
/// byte, the site a trap found (findSite). Only sites a trap confirmed,
/// in this image or one before it, are ever patched. The stubs are
/// written into fresh pages before they become executable, and the jumps
/// through /proc/self/mem a span of nearby sites at a time. The
/// /proc/self/mem descriptor is kept (close-on-exec, at 1010 or above)
/// for later patches; a fork child opens its own before its first patch
/// (the inherited one writes its parent's memory), and a process running
/// in this one's memory (posix_spawn's child) one for each patch.
///
//===----------------------------------------------------------------------===//

#include "k42/personality/SitePatch.h"

#include "k42/personality/GateHeap.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/ProcessState.h"
#include "k42/personality/SyscallTable.h"

#include <atomic>
#include <cstddef>
#include <initializer_list>

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>

using namespace k42::personality;

namespace {

constexpr uintptr_t PageSize = 4096;
constexpr size_t StubBytes = 64;
/// The first stub's offset in a page: the slot for the entry comes first.
constexpr size_t FirstStub = 64;
/// The most bytes of register moves between a site's mov and its syscall.
constexpr size_t MaxGap = 16;
/// How far a rel32 reaches.
constexpr long Reach = 0x7fff'0000;

/// libc's executable segment; empty: patch nothing.
uintptr_t TextBegin = 0;
uintptr_t TextEnd = 0;
/// glibc's read and __read_nocancel (SitePatch::readEntries); 0: unknown.
uintptr_t ReadAt = 0;
uintptr_t ReadNoCancelAt = 0;
/// Set while another thread of execution shares this memory (a fork child
/// clears it: it has one thread).
std::atomic<bool> Shared{false};
/// Set by a program's own mprotect of libc's text, or when no trampoline
/// page can be had near libc: patching stops for good in this process.
std::atomic<bool> Stopped{false};
/// The trampoline page being filled and the offset of its next stub.
uintptr_t Page = 0;
size_t Next = PageSize;
/// Whether patches may be written through /proc/self/mem.
bool ThroughMemory = true;
/// Set while a patch is being written: a handler that traps meanwhile
/// patches nothing (the process has one thread).
std::atomic<bool> Writing{false};

/// The trap at which a site is patched (SitePatch::DefaultPatchAt).
uint32_t PatchAt = SitePatch::DefaultPatchAt;
/// Traps seen per site of libc's text so far, by the syscall's end's offset
/// in it (open addressing; when full, sites are patched at their first
/// trap). Eight bytes a site: the table is one page, which every process
/// that traps writes (a page fault each, a copy in a fork child).
struct SiteCount {
  uint32_t Offset; ///< Rip - TextBegin; 0: a free slot (no site ends there).
  uint32_t Traps;
};
static_assert(sizeof(SiteCount) * 512 == 4096);
constexpr size_t CountSlots = 512;
alignas(TableAlign) SiteCount Counts[CountSlots];

std::atomic<unsigned long> Sites{0};
std::atomic<unsigned long> Calls{0};
/// Of Sites, those patched at start-up from what the exec carried.
unsigned long CarriedOver = 0;

/// A patched site as an exec hands it on: the syscall's end's offset in
/// libc's text and the call's number.
struct CarriedSite {
  uint32_t End;
  uint32_t Number;
};
/// The record an exec hands on (SitePatch::beforeExec), then Count sites.
struct CarriedHeader {
  uint32_t Magic;
  uint32_t Count;
  uint64_t TextBytes;
  uint32_t IdBytes;
  uint8_t Id[SitePatch::MaxIdBytes];
};
constexpr uint32_t CarriedMagic = 0x4b343253; // "S24K"
/// The most sites recorded for the next image (more are patched, not
/// carried); far more than the 350 a whole SDET script patches.
constexpr size_t MaxCarried = 1024;
/// This image's patched sites, sorted by End.
CarriedSite Patched[MaxCarried];
size_t NumPatched = 0;
/// libc's GNU build id: the key of the sites carried across exec.
uint8_t LibcId[SitePatch::MaxIdBytes];
size_t LibcIdBytes = 0;

/// The kept /proc/self/mem descriptor (-1: none yet); stale in a fork
/// child, whose inherited one writes its parent's memory.
long MemoryFd = -1;
bool MemoryStale = false;
/// Where the kept descriptor goes: the personality's own range, with the
/// channels' memfds (GateTransport::FirstFd).
constexpr long FirstMemoryFd = 1010;

/// What SiteEntry.S saved, in the order it pushed (lowest address first).
struct SiteRegisters {
  long Rbx, R9, R8, R10, Rdx, Rsi, Rdi, Flags;
};
static_assert(sizeof(SiteRegisters) == 64);

/// Whether \p Byte before a `b8` could make it another instruction, or
/// make the `e9` written over it another jump: REX (0x48 b8 is movabs
/// with eight bytes, 0x41 b8 a move to r8d), 0x66 (a two-byte immediate),
/// 0x67 (a jump with a 32-bit address) and 0xf0 (lock). Not 0xf2 and 0xf3:
/// a real one before b8 leaves the same move, and before e9 the same jump
/// (bnd, rep: no effect), while as the last byte of the instruction before
/// (`89 f2`, mov %esi, %edx) they stand before the mov of glibc's
/// __open64_nocancel, the site a program start traps most.
bool isPrefix(uint8_t Byte) {
  return (Byte >= 0x40 && Byte <= 0x4f) || Byte == 0x66 || Byte == 0x67 ||
         Byte == 0xf0;
}

bool reaches(uintptr_t From, uintptr_t To) {
  long Distance = static_cast<long>(To - From);
  return Distance > -Reach && Distance < Reach;
}

void putWord(volatile uint8_t *At, uint32_t Value) {
  for (int I = 0; I < 4; ++I)
    At[I] = static_cast<uint8_t>(Value >> (8 * I));
}

uint32_t rel32(uintptr_t From, uintptr_t To) {
  return static_cast<uint32_t>(static_cast<int32_t>(To - From));
}

/// Whether [\p Begin, \p End) overlaps libc's text.
bool touchesText(uintptr_t Begin, uintptr_t End) {
  return Begin < TextEnd && TextBegin < End;
}

/// The length of the instruction at \p P if it is a move into a register
/// from a register or an immediate (`89`/`8b` with mod 11, `b8+r imm32`,
/// with or without REX) that touches neither rax nor rsp: the same
/// whether it runs in place or in a stub (no memory, no rip, no flags, not
/// the stack the stub moved). 0 for anything else.
size_t registerMove(const uint8_t *P) {
  size_t I = 0;
  uint8_t Rex = 0;
  if ((P[0] & 0xf0) == 0x40)
    Rex = P[I++];
  if (Rex & 2) // REX.X: no index register in such a move.
    return 0;
  uint8_t Op = P[I];
  auto Free = [](int R) { return R != 0 && R != 4; };
  if (Op == 0x89 || Op == 0x8b) {
    uint8_t ModRm = P[I + 1];
    int Reg = ((ModRm >> 3) & 7) | ((Rex & 4) ? 8 : 0);
    int Rm = (ModRm & 7) | ((Rex & 1) ? 8 : 0);
    return (ModRm & 0xc0) == 0xc0 && Free(Reg) && Free(Rm) ? I + 2 : 0;
  }
  if (Op >= 0xb8 && Op <= 0xbf && !(Rex & 8)) // REX.W would take imm64.
    return Free((Op & 7) | ((Rex & 1) ? 8 : 0)) ? I + 5 : 0;
  return 0;
}

/// What a site is, and so which of its bytes become its jump and what its
/// stub does besides the call.
enum class SiteKind : uint8_t {
  /// `mov $nr, %eax`, register moves, `syscall`: the mov becomes the jump.
  Move,
  /// read's start: `80 3d <rel32> 00` (cmpb $0, __libc_single_threaded),
  /// `74 <rel8>` (je: the cancellable path), `31 c0` (xor %eax, %eax:
  /// read is call 0), `0f 05`. The cmpb's first five bytes become the
  /// jump; the stub does the cmpb and the je itself, and jumps back to the
  /// `cmp $-4096, %rax` after the syscall. The cmpb is one instruction, so
  /// no program is ever stopped within those five bytes.
  ReadEntry,
  /// __read_nocancel's start: `31 c0 0f 05 48 3d 00 f0 ff ff 77` (xor,
  /// syscall, cmp $-4096, %rax, ja). The xor, the syscall and the cmp's
  /// first byte become the jump; the stub does the cmp and jumps to the
  /// ja. A program may be stopped after the xor, or after the syscall (its
  /// trap in progress): patched only at an image's start-up, before any of
  /// its code ran (afterExec), from what a trap in an earlier image found.
  ReadBare,
};

/// A site: where its five-byte jump goes (0: no site), its kind, and for
/// a Move the bytes of register moves between its mov and its syscall.
struct Site {
  uintptr_t Jump = 0;
  SiteKind Kind = SiteKind::Move;
  size_t Gap = 0;
};

/// Whether the bytes at \p At are \p Bytes, AnyByte matching any.
constexpr uint16_t AnyByte = 0x100;
bool bytesAre(uintptr_t At, std::initializer_list<uint16_t> Bytes) {
  const auto *B = reinterpret_cast<const uint8_t *>(At);
  for (uint16_t Want : Bytes) {
    if (Want != AnyByte && *B != Want)
      return false;
    ++B;
  }
  return true;
}

/// Where a site's mov is: the `syscall` that trapped ends at \p Rip, and
/// `b8 <Number>` (not after a prefix) comes before it with nothing between
/// but register moves (registerMove), at most MaxGap bytes of them, as
/// glibc sets the arguments after the number (__open64_nocancel's `mov
/// $257, %eax; mov %rdi, %rsi; mov $-100, %edi; syscall`). All of it, and
/// the byte before, in libc's text. 0 if there is no such site.
uintptr_t findMove(long Number, uintptr_t Rip, size_t &Gap) {
  uintptr_t Syscall = Rip - 2;
  if (Rip > TextEnd || Syscall < TextBegin + 6 ||
      reinterpret_cast<const uint8_t *>(Syscall)[0] != 0x0f ||
      reinterpret_cast<const uint8_t *>(Syscall)[1] != 0x05)
    return 0;
  for (Gap = 0; Gap <= MaxGap; ++Gap) {
    uintptr_t Mov = Syscall - Gap - 5;
    if (Mov - 1 < TextBegin || Mov > Syscall)
      return 0;
    const auto *B = reinterpret_cast<const uint8_t *>(Mov);
    uint32_t Imm = uint32_t(B[1]) | uint32_t(B[2]) << 8 | uint32_t(B[3]) << 16 |
                   uint32_t(B[4]) << 24;
    if (B[0] != 0xb8 || Imm != static_cast<uint32_t>(Number) || isPrefix(B[-1]))
      continue;
    size_t At = 5;
    while (At < 5 + Gap)
      if (size_t Length = registerMove(B + At))
        At += Length;
      else
        break;
    if (At == 5 + Gap)
      return Mov;
  }
  return 0;
}

/// The site whose `syscall` (of call \p Number) ends at \p Rip: read's or
/// __read_nocancel's start if it is one of them, with the bytes SiteKind
/// says, else a Move (findMove). No Jump if there is none.
Site findSite(long Number, uintptr_t Rip) {
  Site S;
  if (Number == 0 && ReadAt && Rip == ReadAt + 13 && ReadAt >= TextBegin &&
      Rip <= TextEnd &&
      bytesAre(ReadAt, {0x80, 0x3d, AnyByte, AnyByte, AnyByte, AnyByte, 0x00,
                        0x74, AnyByte, 0x31, 0xc0, 0x0f, 0x05})) {
    S.Jump = ReadAt;
    S.Kind = SiteKind::ReadEntry;
  } else if (Number == 0 && ReadNoCancelAt && Rip == ReadNoCancelAt + 4 &&
             ReadNoCancelAt >= TextBegin && ReadNoCancelAt + 11 <= TextEnd &&
             bytesAre(ReadNoCancelAt, {0x31, 0xc0, 0x0f, 0x05, 0x48, 0x3d, 0x00,
                                       0xf0, 0xff, 0xff, 0x77})) {
    S.Jump = ReadNoCancelAt;
    S.Kind = SiteKind::ReadBare;
  } else {
    S.Jump = findMove(Number, Rip, S.Gap);
  }
  return S;
}

/// New trampoline pages (\p Length bytes) within reach of all of libc's
/// text, mapped with \p Protection; 0 if none could be had.
uintptr_t newPage(long Protection, uintptr_t Length = PageSize) {
  auto Try = [Protection, Length](uintptr_t Hint, long Exact) -> uintptr_t {
    long At = hostCall(SYS_mmap, static_cast<long>(Hint), long(Length),
                       Protection, MAP_PRIVATE | MAP_ANONYMOUS | Exact, -1, 0);
    if (isError(At))
      return 0;
    auto P = static_cast<uintptr_t>(At);
    if (reaches(P, TextBegin) && reaches(TextEnd, P + Length))
      return P;
    (void)hostCall(SYS_munmap, At, long(Length));
    return 0;
  };
  uintptr_t Low = TextBegin & ~(PageSize - 1);
  uintptr_t High = (TextEnd + PageSize - 1) & ~(PageSize - 1);
  constexpr uintptr_t Step = uintptr_t(1) << 20;
  // A hint the kernel takes if it is free, and else the highest free range
  // below the mappings made so far, beside the libraries: nearly always in
  // reach, in one mmap (the exact tries below were refused three times in
  // four, the libraries' neighbourhood being full).
  if (Low > Step + Length)
    if (uintptr_t P = Try(Low - Step - Length + PageSize, 0))
      return P;
  // Below libc (where the kernel puts later mappings anyway), then above
  // it, a megabyte apart, up to 1 GiB away.
  for (uintptr_t Away = Step; Away <= (uintptr_t(1) << 30); Away += Step) {
    if (Low > Away + Length)
      if (uintptr_t P =
              Try(Low - Away - Length + PageSize, MAP_FIXED_NOREPLACE))
        return P;
    if (uintptr_t P = Try(High + Away - PageSize, MAP_FIXED_NOREPLACE))
      return P;
  }
  return 0;
}

/// Rewrites [\p At, \p At + \p Length) with \p Bytes on pages that are
/// R-X before and after: through \p Memory (/proc/self/mem) if it is a
/// descriptor, else by making them writable for the while (signals must
/// then be blocked). False if they could not be written.
bool writeCode(long Memory, uintptr_t At, const uint8_t *Bytes, size_t Length) {
  if (Memory >= 0)
    return hostCall(SYS_pwrite64, Memory, reinterpret_cast<long>(Bytes),
                    static_cast<long>(Length),
                    static_cast<long>(At)) == static_cast<long>(Length);
  uintptr_t First = At & ~(PageSize - 1);
  uintptr_t Last = (At + Length - 1) & ~(PageSize - 1);
  long Span = static_cast<long>(Last - First + PageSize);
  if (hostCall(SYS_mprotect, static_cast<long>(First), Span,
               PROT_READ | PROT_WRITE) < 0)
    return false;
  // Byte by byte, through volatile: no call into libc's memcpy, which may
  // live on the very page that is not executable now.
  auto *To = reinterpret_cast<volatile uint8_t *>(At);
  for (size_t I = 0; I < Length; ++I)
    To[I] = Bytes[I];
  (void)hostCall(SYS_mprotect, static_cast<long>(First), Span,
                 PROT_READ | PROT_EXEC);
  return true;
}

/// The stub (StubBytes into \p Code) to be written at \p Stub, in the
/// trampoline page at \p PageAt, for call \p Number from site \p S (its
/// kind says what the stub does besides the call). False if the stub is
/// out of a rel32's reach of what it refers to.
bool buildStub(uint8_t *Code, uintptr_t Stub, uintptr_t PageAt, long Number,
               const Site &S) {
  const auto *At = reinterpret_cast<const uint8_t *>(S.Jump);
  size_t N = 0;
  bool Reached = reaches(S.Jump + 5, Stub);
  auto Put = [&](std::initializer_list<uint8_t> Bytes) {
    for (uint8_t B : Bytes)
      Code[N++] = B;
  };
  // A rel32 to \p Target from the end of the instruction, \p After bytes
  // past the rel32.
  auto PutRel = [&](uintptr_t Target, size_t After = 0) {
    uintptr_t End = Stub + N + 4 + After;
    putWord(Code + N, rel32(End, Target));
    N += 4;
    Reached &= reaches(End, Target);
  };
  uintptr_t Back = S.Jump + 5 + S.Gap + 2; // Past the syscall.
  if (S.Kind == SiteKind::ReadEntry) {
    int32_t Disp;
    __builtin_memcpy(&Disp, At + 2, sizeof(Disp));
    uintptr_t Flag = S.Jump + 7 + static_cast<uintptr_t>(long(Disp));
    uintptr_t Cancel = S.Jump + 9 + static_cast<uintptr_t>(long(int8_t(At[8])));
    Put({0x80, 0x3d}); // cmpb $0, Flag(%rip)
    PutRel(Flag, 1);
    Put({0x00});
    Put({0x0f, 0x84}); // je Cancel
    PutRel(Cancel);
    Back = S.Jump + 13; // The cmp past the syscall.
  }
  Put({0x48, 0x8d, 0x64, 0x24, 0x80}); // lea -128(%rsp), %rsp
  if (S.Kind == SiteKind::Move)
    for (size_t I = 0; I < S.Gap; ++I) // the site's register moves
      Code[N++] = At[5 + I];
  Put({0xb8, 0, 0, 0, 0}); // mov $Number, %eax
  putWord(Code + N - 4, static_cast<uint32_t>(Number));
  Put({0xff, 0x15}); // call *slot(%rip)
  PutRel(PageAt);
  Put({0x48, 0x8d, 0xa4, 0x24, 0x80, 0, 0, 0}); // lea 128(%rsp), %rsp
  if (S.Kind == SiteKind::ReadBare) {
    Put({0x48, 0x3d, 0x00, 0xf0, 0xff, 0xff}); // cmp $-4096, %rax
    Back = S.Jump + 10;                        // The ja.
  }
  Put({0xe9}); // jmp Back
  PutRel(Back);
  while (N < StubBytes)
    Code[N++] = 0xcc;
  return Reached;
}

/// The five bytes (into \p Jump) that replace a site's at \p At.
void putJump(uint8_t *Jump, uintptr_t At, uintptr_t Stub) {
  Jump[0] = 0xe9;
  putWord(Jump + 1, rel32(At + 5, Stub));
}

/// Notes the site whose syscall ends at \p End for the next image
/// (SitePatch::beforeExec): one patched here, or one patched only at an
/// image's start (SiteKind::ReadBare). The list stays sorted.
void record(uintptr_t End, long Number) {
  auto Offset = static_cast<uint32_t>(End - TextBegin);
  size_t At = NumPatched;
  while (At > 0 && Patched[At - 1].End > Offset)
    --At;
  if (NumPatched == MaxCarried || (At > 0 && Patched[At - 1].End == Offset))
    return;
  for (size_t I = NumPatched; I > At; --I)
    Patched[I] = Patched[I - 1];
  Patched[At] = {Offset, static_cast<uint32_t>(Number)};
  ++NumPatched;
}

/// /proc/self/mem for writing a patch, or a negated errno (the pages are
/// then made writable for the while). Kept once opened; \p Temporary: the
/// caller closes this one after the patch (a process running in this one's
/// memory, whose descriptors are not this process's, or no room at 1010
/// and above).
long memory(bool &Temporary) {
  Temporary = false;
  if (!ThroughMemory)
    return -ENOENT;
  bool Own = ProcessState::callerIsThisProcess();
  if (Own && MemoryFd >= 0 && !MemoryStale)
    return MemoryFd;
  static const char Self[] = "/proc/self/mem";
  long Fd = hostCall(SYS_openat, AT_FDCWD, reinterpret_cast<long>(Self),
                     O_RDWR | O_CLOEXEC);
  if (isError(Fd) || !Own) {
    Temporary = !isError(Fd);
    return Fd;
  }
  // A fork child's stale one is replaced at its number.
  long Kept = MemoryStale
                  ? hostCall(SYS_dup3, Fd, MemoryFd, O_CLOEXEC)
                  : hostCall(SYS_fcntl, Fd, F_DUPFD_CLOEXEC, FirstMemoryFd);
  if (isError(Kept)) {
    Temporary = true;
    return Fd;
  }
  (void)hostCall(SYS_close, Fd);
  MemoryFd = Kept;
  MemoryStale = false;
  return Kept;
}

/// Runs \p Write(Memory) the way this process writes its code: through
/// /proc/self/mem (memory()), or, without it, with every signal blocked
/// while \p Write makes the pages writable for the while (Memory < 0): no
/// handler may run code from a page while it is not executable. \p Write
/// is not run when neither way is open.
template <typename WriteFn> void withCodeWriter(WriteFn &&Write) {
  bool Temporary = false;
  long Memory = memory(Temporary);
  uint64_t All = ~uint64_t(0), Saved = 0;
  bool Blocked =
      Memory < 0 &&
      hostCall(SYS_rt_sigprocmask, SIG_BLOCK, reinterpret_cast<long>(&All),
               reinterpret_cast<long>(&Saved), sizeof(All)) == 0;
  if (Memory >= 0 || Blocked)
    Write(Memory);
  if (Blocked)
    (void)hostCall(SYS_rt_sigprocmask, SIG_SETMASK,
                   reinterpret_cast<long>(&Saved), 0, sizeof(Saved));
  if (Temporary)
    (void)hostCall(SYS_close, Memory);
}

/// Writes the stub for site \p S, whose syscall ends at \p End, and points
/// the site at it, through \p Memory (writeCode). The process has one
/// thread, and signals are blocked unless \p Memory is a descriptor.
void patch(long Memory, long Number, const Site &S, uintptr_t End) {
  if (Next + StubBytes > PageSize) {
    uintptr_t Fresh =
        newPage(Memory >= 0 ? PROT_READ | PROT_EXEC : PROT_READ | PROT_WRITE);
    if (!Fresh) {
      Stopped.store(true, std::memory_order_relaxed); // No room near libc.
      return;
    }
    uint64_t Entry = reinterpret_cast<uintptr_t>(&k42_site_entry);
    bool Written;
    if (Memory >= 0) {
      uint8_t Slot[sizeof(Entry)];
      for (size_t I = 0; I < sizeof(Entry); ++I)
        Slot[I] = static_cast<uint8_t>(Entry >> (8 * I));
      Written = writeCode(Memory, Fresh, Slot, sizeof(Slot));
    } else {
      *reinterpret_cast<volatile uint64_t *>(Fresh) = Entry;
      Written = hostCall(SYS_mprotect, static_cast<long>(Fresh), PageSize,
                         PROT_READ | PROT_EXEC) == 0;
    }
    if (!Written) {
      (void)hostCall(SYS_munmap, static_cast<long>(Fresh), PageSize);
      Stopped.store(true, std::memory_order_relaxed);
      return;
    }
    Page = Fresh;
    Next = FirstStub;
  }
  uintptr_t Stub = Page + Next;
  uint8_t Code[StubBytes];
  if (!buildStub(Code, Stub, Page, Number, S) ||
      !writeCode(Memory, Stub, Code, StubBytes))
    return;
  Next += StubBytes;
  uint8_t Jump[5];
  putJump(Jump, S.Jump, Stub);
  if (writeCode(Memory, S.Jump, Jump, sizeof(Jump))) {
    Sites.fetch_add(1, std::memory_order_relaxed);
    record(End, Number);
  }
}

/// A call that changes the protection of libc's text: patching would later
/// set R-X over what the program chose, so it stops instead.
void noteProtection(long Number, long Address, long Length) {
  if (Number == SYS_mprotect && touchesText(static_cast<uintptr_t>(Address),
                                            static_cast<uintptr_t>(Address) +
                                                static_cast<uintptr_t>(Length)))
    Stopped.store(true, std::memory_order_relaxed);
}

/// Whether a `syscall` ending at \p Rip lies in libc's text, where sites
/// are (findSite checks the bytes).
bool inText(uintptr_t Rip) { return Rip > TextBegin + 2 && Rip <= TextEnd; }

/// Counts a trap of the site ending at \p Rip (inText); whether it is due.
bool due(uintptr_t Rip) {
  auto Offset = static_cast<uint32_t>(Rip - TextBegin);
  size_t Slot = (Offset ^ (Offset >> 12)) % CountSlots;
  for (size_t Probe = 0; Probe < CountSlots; ++Probe) {
    SiteCount &C = Counts[(Slot + Probe) % CountSlots];
    if (C.Offset == Offset || C.Offset == 0) {
      C.Offset = Offset;
      return ++C.Traps >= PatchAt;
    }
  }
  return true;
}

/// Whether a site may be patched now.
bool patching() {
  return TextEnd != 0 && !Shared.load(std::memory_order_relaxed) &&
         !Stopped.load(std::memory_order_relaxed);
}

} // namespace

void SitePatch::configure(uintptr_t Begin, uintptr_t End, unsigned At,
                          bool Memory) {
  TextBegin = Begin;
  TextEnd = End;
  PatchAt = At ? At : 1;
  ThroughMemory = Memory;
}

bool SitePatch::patchable(long Number) {
  switch (Number) {
  // The file, stat and descriptor calls: their handlers take the arguments
  // and answer, as the replaced wrappers' direct branches already do. A
  // blocking one (a read of a pipe) is interrupted as a direct branch is:
  // the program's handler runs on the program's stack below the stub, and
  // the host's EINTR or SA_RESTART applies to the personality's own wait.
  case SYS_read:
  case SYS_write:
  case SYS_open:
  case SYS_close:
  case SYS_stat:
  case SYS_fstat:
  case SYS_lstat:
  case SYS_lseek:
  case SYS_ioctl:
  case SYS_pread64:
  case SYS_pwrite64:
  case SYS_readv:
  case SYS_writev:
  case SYS_access:
  case SYS_pipe:
  case SYS_dup:
  case SYS_dup2:
  case SYS_fcntl:
  case SYS_fsync:
  case SYS_fdatasync:
  case SYS_truncate:
  case SYS_ftruncate:
  case SYS_getcwd:
  case SYS_chdir:
  case SYS_fchdir:
  case SYS_rename:
  case SYS_mkdir:
  case SYS_rmdir:
  case SYS_creat:
  case SYS_link:
  case SYS_unlink:
  case SYS_symlink:
  case SYS_readlink:
  case SYS_chmod:
  case SYS_fchmod:
  case SYS_chown:
  case SYS_fchown:
  case SYS_lchown:
  case SYS_umask:
  case SYS_statfs:
  case SYS_fstatfs:
  case SYS_getdents64:
  case SYS_fadvise64:
  case SYS_openat:
  case SYS_mkdirat:
  case SYS_fchownat:
  case SYS_newfstatat:
  case SYS_unlinkat:
  case SYS_renameat:
  case SYS_linkat:
  case SYS_symlinkat:
  case SYS_readlinkat:
  case SYS_fchmodat:
  case SYS_faccessat:
  case SYS_utimensat:
  case SYS_fallocate:
  case SYS_dup3:
  case SYS_pipe2:
  case SYS_renameat2:
  case SYS_statx:
  case SYS_close_range:
  case SYS_faccessat2:
  // The xattr getters (ls -l asks two per file).
  case SYS_getxattr:
  case SYS_lgetxattr:
  case SYS_fgetxattr:
  case SYS_listxattr:
  case SYS_llistxattr:
  case SYS_flistxattr:
  // Memory mappings, the host's (a K42 descriptor's mmap is a copy made by
  // the handler).
  case SYS_mmap:
  case SYS_mprotect:
  case SYS_munmap:
  case SYS_brk:
  case SYS_mremap:
  case SYS_madvise:
  // Ids, answered from the process's own state or the process server.
  case SYS_getpid:
  case SYS_getppid:
  case SYS_gettid:
  case SYS_getuid:
  case SYS_geteuid:
  case SYS_getgid:
  case SYS_getegid:
  case SYS_getresuid:
  case SYS_getresgid:
  case SYS_getgroups:
  case SYS_getpgrp:
  case SYS_getpgid:
  case SYS_getsid:
  // Actions, kept in the process for SIGSYS, SIGSEGV and SIGBUS and the
  // host's for the rest: the handler reads no frame. Not rare: bash sets
  // its handlers around every command (900 traps an SDET script).
  case SYS_rt_sigaction:
  // Waits: a host wait, then the reap told to the process server
  // (WaitCalls); interrupted as a blocking read is. A shell waits for
  // every command from one site (100 traps an SDET script).
  case SYS_wait4:
  case SYS_waitid:
  // The mask: a direct call changes the host's (SignalCalls), keeping
  // SIGSYS out of it. bash blocks SIGCHLD around every command and every
  // builtin test: 450 traps an SDET script, 14 for a `(:)` subshell.
  case SYS_rt_sigprocmask:
    return true;
  // Everything else keeps trapping, these in particular:
  // - clone, clone3, fork, vfork: a clone with a new stack takes the
  //   caller's registers from the trap frame (CloneCalls), and a child
  //   must not return through a stub frame on a stack it shares.
  // - execve, execveat, exit, exit_group: made once per process, so a
  //   patch would cost more than the trap it saves; exit_group's trap is
  //   also where the counts are logged (TrapReflection).
  // - rt_sigreturn: re-issued from the gate with the stack exactly as the
  //   trap left it; a stub's frame would be in the way.
  // - sigaltstack: a trapped call changes the alternate stack saved in the
  //   trap's frame, which rt_sigreturn then restores (SignalCalls); a
  //   program sets it once or twice.
  // - rt_sigsuspend, pause, rt_sigtimedwait: read the waiting thread's mask
  //   from the trap frame (SignalWaitCalls).
  default:
    return false;
  }
}

void SitePatch::trapped(const SyscallCall &Call, uintptr_t Rip) {
  long Number = Call.Number;
  noteProtection(Number, Call.Arg[0], Call.Arg[1]);
  if (!patching() || !patchable(Number) || !inText(Rip))
    return;
  Site S = findSite(Number, Rip);
  bool StartOnly = S.Kind == SiteKind::ReadBare;
  if (!S.Jump || (!StartOnly && !due(Rip)))
    return;
  // One thread: a handler interrupting this finds Writing set and patches
  // nothing; one that ran before it was set may have patched this site or
  // started a thread, so the site is looked at again below.
  if (Writing.exchange(true, std::memory_order_acquire))
    return;
  if (StartOnly) {
    // Not patched in this image: noted for the next one's start-up, from
    // its first trap (it may trap only once or twice an image).
    record(Rip, Number);
  } else {
    withCodeWriter([&](long Memory) {
      Site Again = patching() ? findSite(Number, Rip) : Site();
      if (Again.Jump && Again.Kind != SiteKind::ReadBare)
        patch(Memory, Number, Again, Rip);
    });
  }
  Writing.store(false, std::memory_order_release);
}

void SitePatch::readEntries(uintptr_t Read, uintptr_t ReadNoCancel) {
  ReadAt = Read;
  ReadNoCancelAt = ReadNoCancel;
}

void SitePatch::sharingMemory() {
  Shared.store(true, std::memory_order_relaxed);
}

void SitePatch::forked() {
  // The child's one thread is the one that forked; the reasons in Stopped
  // (the program's mprotect, no room) are inherited as they are.
  Shared.store(false, std::memory_order_relaxed);
  MemoryStale = MemoryFd >= 0;
}

void SitePatch::identify(const uint8_t *Id, size_t Bytes) {
  LibcIdBytes = Bytes <= MaxIdBytes ? Bytes : 0;
  for (size_t I = 0; I < LibcIdBytes; ++I)
    LibcId[I] = Id[I];
}

size_t SitePatch::beforeExec(void *Out, size_t Room) {
  size_t Bytes = sizeof(CarriedHeader) + NumPatched * sizeof(CarriedSite);
  if (!NumPatched || !LibcIdBytes || !TextEnd || Bytes > Room)
    return 0;
  CarriedHeader H{};
  H.Magic = CarriedMagic;
  H.Count = static_cast<uint32_t>(NumPatched);
  H.TextBytes = TextEnd - TextBegin;
  H.IdBytes = static_cast<uint32_t>(LibcIdBytes);
  for (size_t I = 0; I < LibcIdBytes; ++I)
    H.Id[I] = LibcId[I];
  auto *To = static_cast<uint8_t *>(Out);
  __builtin_memcpy(To, &H, sizeof(H));
  __builtin_memcpy(To + sizeof(H), Patched, NumPatched * sizeof(CarriedSite));
  return Bytes;
}

namespace {

/// Whether \p H describes this image's libc: the same build (id) and text.
bool sameLibc(const CarriedHeader &H) {
  if (!LibcIdBytes || H.IdBytes != LibcIdBytes ||
      H.TextBytes != TextEnd - TextBegin)
    return false;
  for (size_t I = 0; I < LibcIdBytes; ++I)
    if (H.Id[I] != LibcId[I])
      return false;
  return true;
}

/// The sites of \p Sites (\p Count, sorted) that are still sites here, in
/// order: Visit(index, carried, site) for each. How many.
template <typename VisitFn>
size_t eachCarried(const CarriedSite *Sites, size_t Count, VisitFn Visit) {
  size_t N = 0;
  uint32_t Last = 0;
  for (size_t I = 0; I < Count; ++I) {
    const CarriedSite &C = Sites[I];
    if (C.End <= Last) // not sorted: a damaged record ends here
      break;
    Last = C.End;
    Site S;
    if (SitePatch::patchable(C.Number) && inText(TextBegin + C.End))
      S = findSite(C.Number, TextBegin + C.End);
    if (S.Jump)
      Visit(N++, C, S);
  }
  return N;
}

/// Writes the jumps of the carried sites: \p Jumps (\p N, sorted by place)
/// a span at a time, a span being sites no more than a page apart, written
/// from the text's own bytes with the jumps in place.
struct CarriedJump {
  uintptr_t At;
  uintptr_t Stub;
  CarriedSite Site;
  bool Written;
};
size_t writeJumps(long Memory, CarriedJump *Jumps, size_t N) {
  constexpr size_t SpanBytes = 4096;
  size_t Written = 0;
  for (size_t First = 0; First < N;) {
    uintptr_t Begin = Jumps[First].At;
    size_t Last = First;
    while (Last + 1 < N && Jumps[Last + 1].At + 5 - Begin <= SpanBytes &&
           (Jumps[Last + 1].At >> 12) <= (Jumps[Last].At >> 12) + 1)
      ++Last;
    size_t Length = Jumps[Last].At + 5 - Begin;
    uint8_t Span[SpanBytes];
    const auto *Text = reinterpret_cast<const uint8_t *>(Begin);
    for (size_t I = 0; I < Length; ++I)
      Span[I] = Text[I];
    for (size_t I = First; I <= Last; ++I)
      putJump(Span + (Jumps[I].At - Begin), Jumps[I].At, Jumps[I].Stub);
    bool Ok = writeCode(Memory, Begin, Span, Length);
    for (size_t I = First; I <= Last; ++I)
      Jumps[I].Written = Ok;
    Written += Ok ? Last - First + 1 : 0;
    First = Last + 1;
  }
  return Written;
}

/// Patches the \p N sites of \p Carried (\p Count, as carried) that are
/// still sites here (eachCarried), their jumps built in \p Jumps.
void patchCarried(const CarriedSite *Carried, size_t Count, CarriedJump *Jumps,
                  size_t N) {
  // The stubs, in fresh pages written before they become executable (each
  // page's first StubBytes hold the entry's slot, as patch() lays them).
  constexpr size_t PerPage = (PageSize - FirstStub) / StubBytes;
  size_t Pages = (N + PerPage - 1) / PerPage;
  uintptr_t Fresh = newPage(PROT_READ | PROT_WRITE, Pages * PageSize);
  if (!Fresh)
    return;
  uint64_t Entry = reinterpret_cast<uintptr_t>(&k42_site_entry);
  for (size_t P = 0; P < Pages; ++P)
    *reinterpret_cast<uint64_t *>(Fresh + P * PageSize) = Entry;
  bool Reached = true;
  eachCarried(
      Carried, Count, [&](size_t I, const CarriedSite &C, const Site &S) {
        uintptr_t At = Fresh + (I / PerPage) * PageSize;
        uintptr_t Stub = At + FirstStub + (I % PerPage) * StubBytes;
        Reached &=
            buildStub(reinterpret_cast<uint8_t *>(Stub), Stub, At, C.Number, S);
        Jumps[I] = {S.Jump, Stub, C, false};
      });
  if (!Reached ||
      hostCall(SYS_mprotect, static_cast<long>(Fresh), long(Pages * PageSize),
               PROT_READ | PROT_EXEC) != 0) {
    (void)hostCall(SYS_munmap, static_cast<long>(Fresh),
                   long(Pages * PageSize));
    return;
  }
  size_t Done = 0;
  withCodeWriter([&](long Memory) { Done = writeJumps(Memory, Jumps, N); });
  for (size_t I = 0; I < N; ++I)
    if (Jumps[I].Written)
      record(TextBegin + Jumps[I].Site.End, Jumps[I].Site.Number);
  Sites.fetch_add(Done, std::memory_order_relaxed);
  CarriedOver += Done;
  // Later patches go on in the last page.
  Page = Fresh + (Pages - 1) * PageSize;
  Next = FirstStub + (N - (Pages - 1) * PerPage) * StubBytes;
}

} // namespace

void SitePatch::afterExec(const void *In, size_t Bytes) {
  CarriedHeader H;
  if (!patching() || Bytes < sizeof(H))
    return;
  __builtin_memcpy(&H, In, sizeof(H));
  if (H.Magic != CarriedMagic || H.Count > MaxCarried ||
      sizeof(H) + H.Count * sizeof(CarriedSite) > Bytes || !sameLibc(H))
    return;
  // Aligned for reading (the record follows the header at any offset),
  // and the jumps to write: in the heap, sized to the record, where start-up
  // writes anyway, not in tables sized for the most sites (8 and 32 KiB
  // in .bss: two pages more written by every program's start).
  auto *Carried = static_cast<CarriedSite *>(
      GateHeap::allocate(H.Count * sizeof(CarriedSite)));
  if (!Carried)
    return;
  __builtin_memcpy(Carried, static_cast<const uint8_t *>(In) + sizeof(H),
                   H.Count * sizeof(CarriedSite));
  size_t N = eachCarried(Carried, H.Count,
                         [](size_t, const CarriedSite &, const Site &) {});
  auto *Jumps = N ? static_cast<CarriedJump *>(
                        GateHeap::allocate(N * sizeof(CarriedJump)))
                  : nullptr;
  if (Jumps)
    patchCarried(Carried, H.Count, Jumps, N);
  GateHeap::release(Jumps);
  GateHeap::release(Carried);
}

unsigned long SitePatch::carriedOver() { return CarriedOver; }

unsigned long SitePatch::sites() {
  return Sites.load(std::memory_order_relaxed);
}

unsigned long SitePatch::calls() {
  return Calls.load(std::memory_order_relaxed);
}

extern "C" [[gnu::visibility("hidden")]] long
k42_site_call(unsigned Number, const SiteRegisters *R) {
  Calls.fetch_add(1, std::memory_order_relaxed);
  SyscallCall Call;
  Call.Number = Number;
  Call.Arg[0] = R->Rdi;
  Call.Arg[1] = R->Rsi;
  Call.Arg[2] = R->Rdx;
  Call.Arg[3] = R->R10;
  Call.Arg[4] = R->R8;
  Call.Arg[5] = R->R9;
  noteProtection(Number, Call.Arg[0], Call.Arg[1]);
  return SyscallTable::dispatch(Call);
}
