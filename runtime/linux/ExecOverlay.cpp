//===- runtime/linux/ExecOverlay.cpp - execve in user space ---------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The exec of a dynamic program without a host execve: the checks Linux
/// makes, then a plan of system calls and copies (the old mappings
/// unmapped, the program and its interpreter mapped as binfmt_elf maps
/// them, a fresh stack with argv, envp and auxv, the mm's fields and
/// /proc/self/exe by PR_SET_MM_MAP, the name, close-on-exec descriptors
/// closed, caught signals reset, the alternate stack dropped) carried out
/// by position-independent code in a page of its own
/// (x86_64/ExecOverlay.S). The interpreter then loads libk42linux.so from
/// LD_PRELOAD, which arms the new image and reads the exec state
/// (FileState, fd 1009) as after a host exec. Anything that cannot be made
/// exact answers why, before anything was changed, and the caller asks the
/// host.
///
//===----------------------------------------------------------------------===//

#include "k42/personality/ExecOverlay.h"

#include "k42/personality/ElfImage.h"
#include "k42/personality/FaultSignals.h"
#include "k42/personality/FileDispatch.h"
#include "k42/personality/FileState.h"
#include "k42/personality/HandlerStack.h"
#include "k42/personality/Handlers.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/HostFolder.h"
#include "k42/personality/OwnMemfd.h"
#include "k42/personality/ProcNames.h"
#include "k42/personality/ProcessState.h"
#include "k42/personality/RefusalLog.h"
#include "k42/personality/ScriptLine.h"
#include "k42/personality/SigsysState.h"
#include "k42/personality/SpawnView.h"
#include "k42/personality/TrapReflection.h"
#include "k42/personality/UserMemory.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>

#include <elf.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

extern "C" {
/// The bytes of x86_64/ExecOverlay.S, copied into the plan's page.
extern char k42_overlay_begin[];
extern char k42_overlay_end[];
/// glibc's rseq area in the thread's TLS (2.35 and later; ld.so's).
[[gnu::weak]] extern const ptrdiff_t __rseq_offset;
[[gnu::weak]] extern const unsigned int __rseq_size;
/// argc on the stack the kernel (or an overlay) gave the program (ld.so's).
[[gnu::weak]] extern void *__libc_stack_end;
}

using namespace k42::personality;

namespace {

constexpr uintptr_t Page = 4096;
uintptr_t pageDown(uintptr_t A) { return A & ~(Page - 1); }
uintptr_t pageUp(uintptr_t A) { return pageDown(A + Page - 1); }

/// The end of a 47-bit address space (TASK_SIZE): mappings above it (a
/// program that asked for 57-bit addresses) are left to the host's exec.
constexpr uintptr_t UserEnd = ElfImage::UserEnd;
/// binfmt_elf's base for a position-independent program (ELF_ET_DYN_BASE)
/// and the bits of its randomisation (vm.mmap_rnd_bits' default).
constexpr uintptr_t DynBase = 0x555555554000;
constexpr unsigned RandomBits = 28;
/// Room for the strings and pointers an overlay takes; Linux's limit
/// (a quarter of RLIMIT_STACK, 128 KiB a string) and its E2BIG are the
/// host's to apply beyond.
constexpr size_t MaxStrings = 256 * 1024;
constexpr size_t MaxString = 128 * 1024;
constexpr size_t MaxOps = 512;
constexpr int MaxKept = 16;
constexpr size_t MaxAuxWords = 128;
/// What the kernel gives a new stack beyond its contents (stack_expand).
constexpr uintptr_t StackSlack = 128 * 1024;
/// The stack guard gap below a stack mapping.
constexpr uintptr_t GuardGap = 256 * Page;
constexpr size_t PathBytes = FileDispatch::PathBytes;

// <linux/prctl.h> and <linux/rseq.h> names, for older headers.
constexpr long SetMm = 35;
constexpr long SetMmMap = 14;
constexpr long SetMmMapSize = 15;
constexpr long RseqUnregister = 1;
constexpr uint32_t RseqSignature = 0x53053053;
constexpr int CapSysAdmin = 21;
constexpr int CapCheckpointRestore = 40;

bool Enabled = false;
bool Logging = false;
/// K42_EXEC_MAPS_TEXT=1: the layout from the text of /proc/self/maps even
/// where PROCMAP_QUERY answers (what a kernel before 6.11 gets).
bool MapsText = false;
std::atomic<bool> Shared{false};
/// Signals whose default action the program set with flags, a mask or a
/// restorer since the personality armed (ExecOverlay::actionSet): bits
/// are only ever set (a stale one costs a reset that changes nothing).
std::atomic<uint64_t> DirtyDefaults{0};
/// Whether the process holds no POSIX timer (ExecOverlay::forked,
/// ExecOverlay::timerMade). Zero at first, so in .bss beside the small
/// variables a fork child writes anyway: no page of its own to copy.
std::atomic<bool> NoTimers{false};

/// One step of the plan (ExecOverlay.S reads this layout).
struct Op {
  uint64_t Kind;
  uint64_t Number;
  uint64_t Arg[6];
};
static_assert(sizeof(Op) == 64);
enum : uint64_t { Call = 0, MustCall = 1, Copy = 2, Zero = 3 };

/// The plan's header (ExecOverlay.S reads these offsets).
struct Plan {
  uint64_t OpCount;
  uint64_t Ops;
  uint64_t Sp;
  uint64_t Gadget;
  uint64_t Self;
  uint64_t SelfLength;
  uint64_t StackTop;
};
static_assert(offsetof(Plan, StackTop) == 48);

/// struct prctl_mm_map.
struct MmMap {
  uint64_t StartCode, EndCode, StartData, EndData, StartBrk, Brk;
  uint64_t StartStack, ArgStart, ArgEnd, EnvStart, EnvEnd;
  uint64_t Auxv;
  uint32_t AuxvSize;
  uint32_t ExeFd;
};
static_assert(sizeof(MmMap) == 104);

/// What the last steps read besides their steps, in the plan's pages.
struct Staged {
  Plan Header;
  MmMap Map;
  KernelSigaction Default;
  KernelSigaction Ignore;
  stack_t NoAltStack;
  uint64_t Mask;
  char Name[16];
};

/// The plan's pages: code, the last steps' stack (one word: the steps'
/// system calls use none), Staged, the new stack's image, then the steps,
/// so that the pages an exec writes are the first ones and the room for
/// MaxOps steps past the usual count is never touched.
constexpr size_t CodePages = 1;
constexpr size_t StackPages = 1;
/// The steps of most execs (signals reset, descriptors closed, the
/// segments and the holes): the pages populated for them.
constexpr size_t UsualOps = 96;

/// One ELF file of the exec: the program or its interpreter.
struct Image {
  long Fd = -1;
  uint64_t Size = 0;
  ElfImage Elf;
  uintptr_t Bias = 0;
  long Reserved = -1;
  size_t ReservedBytes = 0;
  /// Its headers were read (ElfImage took them).
  bool Read = false;
};

/// The first bytes of a file, read once: its headers, and most often its
/// program headers and interpreter's path, with no further read.
struct Head {
  char *Bytes;
  size_t Room;
  size_t Length = 0;
};

/// Reads exactly \p Length bytes at \p Offset of \p Fd: from \p H where it
/// holds them, else from the file.
bool readAt(long Fd, void *To, size_t Length, long Offset,
            const Head *H = nullptr) {
  if (H && Offset >= 0 && size_t(Offset) <= H->Length &&
      Length <= H->Length - size_t(Offset)) {
    std::memcpy(To, H->Bytes + Offset, Length);
    return true;
  }
  return hostCall(SYS_pread64, Fd, reinterpret_cast<long>(To), long(Length),
                  Offset) == long(Length);
}

/// ElfImage's reader of the bytes past a file's first ones.
bool readMore(void *Fd, void *To, size_t Length, uint64_t Offset) {
  return readAt(long(reinterpret_cast<intptr_t>(Fd)), To, Length, long(Offset));
}

/// Reads the first bytes of \p I's file into \p First.
void readHead(const Image &I, Head &First) {
  long Got = hostCall(SYS_pread64, I.Fd, reinterpret_cast<long>(First.Bytes),
                      long(First.Room), 0);
  First.Length = Got > 0 ? size_t(Got) : 0;
}

/// Checks \p I's headers (in \p First) as binfmt_elf would take them, and
/// what the overlay maps itself: null, or why not.
const char *readImage(Image &I, bool Interp, const Head &First,
                      bool Loader = false) {
  if (const char *Why = I.Elf.read(First.Bytes, First.Length, I.Size, readMore,
                                   reinterpret_cast<void *>(intptr_t(I.Fd))))
    return Why;
  I.Read = true;
  if (I.Elf.executableStack())
    return "an executable stack";
  if (Interp && !I.Elf.movable())
    return "an interpreter at a fixed address";
  if (Interp && I.Elf.interpIndex() >= 0)
    return "an interpreter with an interpreter";
  if (!Interp && I.Elf.interpIndex() < 0 && !(Loader && I.Elf.movable()))
    return "a static program";
  return nullptr;
}

/// Whether \p Fd may be exec'd exactly by the overlay: not set-id, no file
/// capabilities (\p Program: an ELF interpreter's are not applied, so not
/// looked for), not on a noexec mount.
const char *checkFile(long Fd, uint64_t &Size, bool Program) {
  struct stat Info;
  if (hostCall(SYS_fstat, Fd, reinterpret_cast<long>(&Info)) != 0 ||
      !S_ISREG(Info.st_mode))
    return "not a regular file";
  Size = uint64_t(Info.st_size);
  if (Info.st_mode & (S_ISUID | S_ISGID))
    return "a set-user-id or set-group-id file";
  struct statfs Fs;
  if (hostCall(SYS_fstatfs, Fd, reinterpret_cast<long>(&Fs)) != 0 ||
      (Fs.f_flags & ST_NOEXEC))
    return "a noexec mount";
  static const char Caps[] = "security.capability";
  if (Program &&
      hostCall(SYS_fgetxattr, Fd, reinterpret_cast<long>(Caps), 0, 0) >= 0)
    return "a file with capabilities";
  // A file open for writing is ETXTBSY, the host's to say (and the new
  // /proc/self/exe would be refused): a read lease is refused then too.
  if (hostCall(SYS_fcntl, Fd, F_SETLEASE, F_RDLCK) != 0)
    return "a file open for writing, or no lease on it";
  (void)hostCall(SYS_fcntl, Fd, F_SETLEASE, F_UNLCK);
  return nullptr;
}

/// Opens \p Path (kernel memory) for the overlay, close-on-exec, checked
/// for execution as the host would check it: a lookup or permission that
/// fails is execve's own error, in \p Error.
const char *openFile(const char *Path, Image &I, long &Error,
                     bool Program = true) {
  Error = hostCall(SYS_faccessat2, AT_FDCWD, reinterpret_cast<long>(Path), X_OK,
                   AT_EACCESS);
  if (Error != 0)
    return "no such program";
  I.Fd = hostCall(SYS_openat, AT_FDCWD, reinterpret_cast<long>(Path),
                  O_RDONLY | O_CLOEXEC);
  if (I.Fd < 0)
    return "cannot open";
  return checkFile(I.Fd, I.Size, Program);
}

/// Opens \p Path, a file to exec, as openFile; \p K42Path: the K42 path of
/// a file only K42 has (\p Path names the host's copy), whose execute
/// permission is K42's to answer.
const char *openExec(const char *Path, const char *K42Path, Image &I,
                     long &Error) {
  if (K42Path) {
    SyscallCall Access;
    Access.Number = SYS_access;
    Access.Arg[0] = reinterpret_cast<long>(K42Path);
    Access.Arg[1] = X_OK;
    Error = sys::access(Access);
    if (Error != 0)
      return "no such program";
  }
  return openFile(Path, I, Error);
}

uintptr_t parseHex(const char *&At) {
  uintptr_t V = 0;
  for (;; ++At) {
    char C = *At;
    if (C >= '0' && C <= '9')
      V = V * 16 + uintptr_t(C - '0');
    else if (C >= 'a' && C <= 'f')
      V = V * 16 + uintptr_t(C - 'a' + 10);
    else
      return V;
  }
}

struct Range {
  uintptr_t Start, End;
};

/// What /proc/self/maps says the overlay must keep and where things are.
struct Layout {
  Range Kept[MaxKept];
  int KeptCount = 0;
  Range Vdso{0, 0};
  uintptr_t StackTop = 0;
  /// The end of the highest mapping below UserEnd: nothing to unmap past
  /// it.
  uintptr_t MappedEnd = 0;
};

/// A mapping's name in /proc/self/maps (no NUL).
struct MapName {
  const char *Text;
  size_t Length;
  bool is(const char *What) const {
    size_t N = std::strlen(What);
    return Length >= N && std::memcmp(Text, What, N) == 0;
  }
  /// One the kernel made and the process cannot make again (the vDSO,
  /// vvar, uprobes' page, [vsyscall]): kept across the exec.
  bool special() const {
    return Length && Text[0] == '[' && !is("[heap]") && !is("[anon:") &&
           !is("[stack]");
  }
};

/// Adds mapping \p R, named \p Name, to \p L; why the overlay cannot
/// replace a process with it, if it cannot.
const char *noteMapping(Layout &L, Range R, MapName Name) {
  if (R.End <= UserEnd && R.End > L.MappedEnd)
    L.MappedEnd = R.End;
  if (Name.is("[stack]")) {
    L.StackTop = R.End;
  } else if (Name.special()) {
    if (Name.is("[vdso]"))
      L.Vdso = R;
    if (R.End <= UserEnd || Name.is("[vsyscall]")) {
      if (L.KeptCount == MaxKept)
        return "too many special mappings";
      L.Kept[L.KeptCount++] = R;
    }
  } else if (R.End > UserEnd) {
    return "mappings above 47 bits";
  }
  return nullptr;
}

/// The layout from the text of /proc/self/maps (\p Fd, unread).
const char *readMaps(long Fd, char *Buffer, size_t Room, Layout &L) {
  long Length = readHostFd(Fd, Buffer, Room - 1);
  if (Length <= 0)
    return "no /proc/self/maps";
  Buffer[Length] = 0;
  for (const char *Line = Buffer; *Line;) {
    const char *At = Line;
    uintptr_t Start = parseHex(At);
    ++At;
    uintptr_t End = parseHex(At);
    const char *Eol = At;
    while (*Eol && *Eol != '\n')
      ++Eol;
    // The name is the sixth field: skip five.
    const char *Name = At;
    for (int Field = 0; Field < 5 && Name < Eol; ++Field) {
      while (Name < Eol && *Name != ' ')
        ++Name;
      while (Name < Eol && *Name == ' ')
        ++Name;
    }
    if (const char *Why =
            noteMapping(L, {Start, End}, {Name, size_t(Eol - Name)}))
      return Why;
    Line = *Eol ? Eol + 1 : Eol;
  }
  if (!L.StackTop || !L.Vdso.Start)
    return "no [stack] or [vdso]";
  return nullptr;
}

// <linux/fs.h>'s PROCMAP_QUERY (Linux 6.11), for older headers.
struct ProcmapQuery {
  uint64_t Size, Flags, Address;
  uint64_t VmaStart, VmaEnd, VmaFlags, VmaPageSize, VmaOffset, Inode;
  uint32_t DevMajor, DevMinor, NameSize, BuildIdSize;
  uint64_t NameAddress, BuildIdAddress;
};
static_assert(sizeof(ProcmapQuery) == 104);
constexpr long ProcmapQueryIoctl = 0xc0686611; // _IOWR('f', 17, 104 bytes)
constexpr uint64_t CoveringOrNext = 0x10;

/// The mapping covering \p Address (or, with \p OrNext, the first above
/// it) and its name in \p Name's \p Room bytes: 0, -ENOENT where there is
/// none, or the host's error (ENOTTY or EINVAL before Linux 6.11).
long queryMap(long Fd, uintptr_t Address, bool OrNext, char *Name, size_t Room,
              Range &R, MapName &Named) {
  ProcmapQuery Q{};
  Q.Size = sizeof(Q);
  Q.Flags = OrNext ? CoveringOrNext : 0;
  Q.Address = Address;
  Q.NameSize = uint32_t(Room);
  Q.NameAddress = reinterpret_cast<uint64_t>(Name);
  long Result =
      hostCall(SYS_ioctl, Fd, ProcmapQueryIoctl, reinterpret_cast<long>(&Q));
  if (Result < 0)
    return Result;
  R = {uintptr_t(Q.VmaStart), uintptr_t(Q.VmaEnd)};
  Named = {Name, Q.NameSize ? Q.NameSize - 1 : 0};
  return 0;
}

/// The layout from PROCMAP_QUERY on /proc/self/maps (\p Fd), asking only
/// for the mappings the overlay needs: the stack (around
/// __libc_stack_end), every mapping above it (the only place a mapping
/// past 47 bits or the last one below it can be, and where uprobes puts
/// its page), and the vDSO (at AT_SYSINFO_EHDR) with the special mappings
/// beside it (vvar: the kernel maps them together). Where the kernel has
/// no such query, or the stack or the vDSO is not where the process was
/// told (a program that moved it), \p Answered is false and the text
/// answers: that query found nothing else the text would (a process's
/// other special mappings are [vsyscall], above 47 bits and never
/// unmapped, and uprobes' page, which is put above the stack).
const char *queryMaps(long Fd, char *Name, size_t Room, Layout &L,
                      bool &Answered) {
  Answered = false;
  uintptr_t InStack = reinterpret_cast<uintptr_t>(
      &__libc_stack_end ? __libc_stack_end : nullptr);
  uintptr_t Vdso = getauxval(AT_SYSINFO_EHDR);
  if (!InStack || !Vdso)
    return nullptr;
  Range R;
  MapName Named;
  if (queryMap(Fd, InStack, false, Name, Room, R, Named) != 0 ||
      !Named.is("[stack]") || Named.Length != 7)
    return nullptr;
  if (const char *Why = noteMapping(L, R, Named))
    return Why;
  // Above the stack: usually nothing.
  for (int Count = 0;; ++Count) {
    long Result = queryMap(Fd, R.End, true, Name, Room, R, Named);
    if (Result == -ENOENT)
      break;
    if (Result != 0 || Count == 64)
      return nullptr;
    if (const char *Why = noteMapping(L, R, Named))
      return Why;
  }
  if (!L.Vdso.Start) {
    if (queryMap(Fd, Vdso, false, Name, Room, R, Named) != 0 ||
        !Named.is("[vdso]") || Named.Length != 6 || R.Start != Vdso)
      return nullptr;
    if (const char *Why = noteMapping(L, R, Named))
      return Why;
    Range Vd = R;
    // Down from the vDSO, then up, while the next is special and touches.
    for (uintptr_t Low = Vd.Start; Low;) {
      long Result = queryMap(Fd, Low - 1, false, Name, Room, R, Named);
      if (Result == -ENOENT)
        break;
      if (Result != 0)
        return nullptr;
      if (R.End != Low || !Named.special())
        break;
      if (const char *Why = noteMapping(L, R, Named))
        return Why;
      Low = R.Start;
    }
    for (uintptr_t High = Vd.End;;) {
      long Result = queryMap(Fd, High, true, Name, Room, R, Named);
      if (Result == -ENOENT)
        break;
      if (Result != 0)
        return nullptr;
      if (R.Start != High || !Named.special())
        break;
      if (const char *Why = noteMapping(L, R, Named))
        return Why;
      High = R.End;
    }
  }
  Answered = true;
  return nullptr;
}

/// The process's layout: PROCMAP_QUERY where the kernel has it (five to
/// ten queries; the text of a hundred mappings cost the kernel about
/// 50 us an exec), else the text (\p Text says which answered).
const char *readLayout(char *Buffer, size_t Room, Layout &L, bool &Text) {
  static const char Maps[] = "/proc/self/maps";
  long Fd = hostCall(SYS_openat, AT_FDCWD, reinterpret_cast<long>(Maps),
                     O_RDONLY | O_CLOEXEC);
  if (Fd < 0)
    return "no /proc/self/maps";
  bool Answered = false;
  const char *Why = nullptr;
  if (!MapsText)
    Why = queryMaps(Fd, Buffer, Room, L, Answered);
  Text = !Why && !Answered;
  if (Text) {
    L = Layout{};
    Why = readMaps(Fd, Buffer, Room, L);
  }
  (void)hostCall(SYS_close, Fd);
  return Why;
}

/// A `syscall` in the vDSO followed only by xors of registers other than
/// the stack pointer and a `ret`: where the last step returns through.
uintptr_t findGadget(Range Vdso) {
  auto *B = reinterpret_cast<const unsigned char *>(Vdso.Start);
  size_t Size = Vdso.End - Vdso.Start;
  for (size_t I = 0; I + 3 <= Size; ++I) {
    if (B[I] != 0x0f || B[I + 1] != 0x05)
      continue;
    size_t J = I + 2;
    while (J < Size) {
      if (B[J] == 0xc3)
        return Vdso.Start + I;
      size_t K = J;
      bool RexR = false, RexB = false;
      if (B[K] >= 0x40 && B[K] <= 0x4f) {
        RexR = B[K] & 4;
        RexB = B[K] & 1;
        ++K;
      }
      if (K + 1 >= Size || B[K] != 0x31)
        break;
      unsigned ModRm = B[K + 1];
      unsigned Reg = (ModRm >> 3) & 7, Rm = ModRm & 7;
      if ((ModRm >> 6) != 3 || Reg != Rm || RexR != RexB || (Reg == 4 && !RexR))
        break;
      J = K + 2;
    }
  }
  return 0;
}

/// Appends the plan's steps.
struct Steps {
  Op *Ops;
  size_t Count = 0;
  bool Full = false;
  void add(uint64_t Kind, uint64_t Number, uint64_t A0 = 0, uint64_t A1 = 0,
           uint64_t A2 = 0, uint64_t A3 = 0, uint64_t A4 = 0, uint64_t A5 = 0) {
    if (Count == MaxOps) {
      Full = true;
      return;
    }
    Ops[Count++] = {Kind, Number, {A0, A1, A2, A3, A4, A5}};
  }
};

/// Reserves room for \p I (PROT_NONE, unmapped again in the plan before
/// its segments are mapped) and fixes its bias: a position-independent
/// program near binfmt_elf's base, an interpreter where mmap puts it, a
/// fixed program where it says or not at all.
const char *reserve(Image &I, uintptr_t Hint) {
  uintptr_t Low = pageDown(I.Elf.low());
  bool Fixed = !I.Elf.movable();
  I.ReservedBytes = I.Elf.reservation();
  long Flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
               (Fixed ? MAP_FIXED_NOREPLACE : 0);
  I.Reserved = hostCall(SYS_mmap, Fixed ? long(Low) : long(Hint),
                        long(I.ReservedBytes), PROT_NONE, Flags, -1, 0);
  if (Fixed && I.Reserved == -EEXIST) {
    // The old image is there (a program at the same fixed address):
    // free once it is unmapped, unless something kept is (fixedRoom()).
    I.Reserved = -1;
    I.Bias = 0;
    return nullptr;
  }
  if (isError(I.Reserved)) {
    I.Reserved = -1;
    return "no room for the program";
  }
  if (Fixed) {
    if (uintptr_t(I.Reserved) != Low)
      return "the program's fixed address is taken";
    I.Bias = 0;
    return nullptr;
  }
  I.Bias = I.Elf.biasIn(uintptr_t(I.Reserved));
  return nullptr;
}

/// The steps that map \p I's segments as binfmt_elf does (ElfImage's
/// mappings).
void mapSegments(const Image &I, Steps &S) {
  ElfImage::Mapping Maps[ElfImage::MaxMappings];
  size_t Count = I.Elf.mappings(I.Bias, Maps);
  for (size_t N = 0; N < Count; ++N) {
    const ElfImage::Mapping &M = Maps[N];
    if (M.What == ElfImage::Mapping::File)
      S.add(MustCall, SYS_mmap, M.Start, M.Length, uint64_t(M.Prot),
            MAP_PRIVATE | MAP_FIXED, uint64_t(I.Fd), M.Offset);
    else if (M.What == ElfImage::Mapping::Zero)
      S.add(Zero, 0, M.Start, M.Length);
    else
      S.add(MustCall, SYS_mmap, M.Start, M.Length, uint64_t(M.Prot),
            MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, uint64_t(-1), 0);
  }
}

/// Copies the caller's strings at \p Vector into \p To, one after the
/// other with their NULs (at most \p Room bytes): how many and their
/// bytes, or why the host should do it. Few copies: each may be a system
/// call (UserMemory, while a signal mask may block SIGSEGV). \p Skip: the
/// first strings left out (a script's argv[0]).
const char *gather(long Vector, char *To, size_t Room, long &Count,
                   size_t &Bytes, long Skip = 0) {
  Count = 0;
  Bytes = 0;
  if (!Vector)
    return "a null argv or envp";
  constexpr size_t Batch = 64;
  long Pointers[Batch];
  for (long Index = 0;;) {
    uintptr_t From = uintptr_t(Vector) + uintptr_t(Index) * sizeof(long);
    size_t Want = Page - From % Page;
    if (Want > sizeof(Pointers))
      Want = sizeof(Pointers);
    size_t Got = UserMemory::copyInSome(
        Pointers, reinterpret_cast<const void *>(From), Want);
    if (Got < sizeof(long))
      return "a bad argv or envp";
    for (size_t N = 0; N < Got / sizeof(long); ++N) {
      long P = Pointers[N];
      if (!P)
        return nullptr;
      if (Index++ < Skip)
        continue;
      ++Count;
      size_t Length = 0;
      for (;;) {
        // Up to the end of the page, never past it: a copy that faults
        // costs a signal.
        size_t Want = Room - Bytes - Length;
        size_t ToPageEnd = Page - (uintptr_t(P) + Length) % Page;
        if (Want > ToPageEnd)
          Want = ToPageEnd;
        if (Want == 0)
          return "long arguments";
        size_t Piece = UserMemory::copyInSome(
            To + Bytes + Length, reinterpret_cast<const char *>(P) + Length,
            Want);
        const void *Nul = std::memchr(To + Bytes + Length, 0, Piece);
        if (Nul) {
          Length = size_t(static_cast<const char *>(Nul) - (To + Bytes)) + 1;
          // Past MAX_ARG_STRLEN with its NUL: the host's exec says E2BIG
          // (the overlay took strings up to a page longer).
          if (Length > MaxString)
            return "a long argument";
          break;
        }
        if (Piece < Want)
          return "a bad argv or envp";
        Length += Piece;
        if (Length > MaxString)
          return "a long argument";
      }
      Bytes += Length;
      if (Bytes + 8 * size_t(Count) > MaxStrings)
        return "long arguments";
    }
  }
}

/// The addresses of \p Count strings laid out from \p At as in \p From.
void place(const char *From, long Count, uintptr_t At, uint64_t *Pointers) {
  for (long N = 0; N < Count; ++N) {
    Pointers[N] = At;
    size_t Length = std::strlen(From) + 1;
    From += Length;
    At += Length;
  }
}

/// The auxiliary vector the image was started with, as the kernel (or
/// the overlay) put it past envp on the first stack, into \p Out: its
/// bytes with AT_NULL, or -1 if that stack does not look as it should
/// (then /proc/self/auxv, the kernel's copy, answers: three calls).
long stackAuxv(uint64_t *Out, size_t Words) {
  if (!&__libc_stack_end || !__libc_stack_end)
    return -1;
  auto *At = static_cast<const uint64_t *>(__libc_stack_end);
  uint64_t Word = 0;
  if (UserMemory::copyIn(&Word, At, sizeof(Word)) < 0 || Word > (1u << 20))
    return -1;
  At += Word + 2; // argc, argv, NULL
  for (size_t N = 0;; ++N, ++At) {
    if (N > (1u << 20) || UserMemory::copyIn(&Word, At, sizeof(Word)) < 0)
      return -1;
    if (!Word)
      break;
  }
  ++At;
  // The stack may end sooner (few strings above the vector).
  Words = UserMemory::copyInSome(Out, At, Words * sizeof(uint64_t)) /
          sizeof(uint64_t);
  bool PageSize = false, Vdso = false;
  for (size_t I = 0; I + 1 < Words; I += 2) {
    if (Out[I] == AT_PAGESZ)
      PageSize = Out[I + 1] == Page;
    if (Out[I] == AT_SYSINFO_EHDR)
      Vdso = Out[I + 1] == getauxval(AT_SYSINFO_EHDR);
    if (Out[I] == AT_NULL)
      return PageSize && Vdso ? long((I + 2) * sizeof(uint64_t)) : -1;
  }
  return -1;
}

/// Whether the caller may be given a new image: no other process in its
/// memory, no personality flag or unlimited stack, PR_SET_MM_MAP there
/// (capabilities and ids: checkStatus).
const char *checkProcess() {
  if (!Enabled)
    return "K42_HOST_EXEC=1, or a static program's process";
  if (Shared.load(std::memory_order_relaxed))
    return "threads or shared memory";
  if (SpawnView::current() || hostCall(SYS_getpid) != ProcessState::pid())
    return "a child in its parent's memory";
  // The overlay unmaps what it does not keep, the personality's stacks
  // among them.
  if (HandlerStack::onPool())
    return "a call on the personality's stack (a small alternate stack's)";
  // A personality(2) flag (ADDR_NO_RANDOMIZE, READ_IMPLIES_EXEC...) or an
  // unlimited stack (the legacy bottom-up layout) shape the new image's
  // memory, which the overlay does not lay out again.
  if (hostCall(SYS_personality, 0xffffffff) != 0)
    return "a personality(2) flag";
  rlimit Stack{};
  if (hostCall(SYS_prlimit64, 0, RLIMIT_STACK, 0,
               reinterpret_cast<long>(&Stack)) != 0 ||
      Stack.rlim_cur == RLIM_INFINITY)
    return "an unlimited stack";
  uint32_t MapSize = 0;
  if (hostCall(SYS_prctl, SetMm, SetMmMapSize, reinterpret_cast<long>(&MapSize),
               0, 0) != 0 ||
      MapSize != sizeof(MmMap))
    return "no PR_SET_MM_MAP";
  return nullptr;
}

/// The thread's rseq area, if glibc registered one.
uintptr_t rseqArea() {
  if (!&__rseq_offset || !&__rseq_size || __rseq_size == 0)
    return 0;
  uintptr_t Fs = 0;
  if (hostCall(SYS_arch_prctl, 0x1003 /* ARCH_GET_FS */,
               reinterpret_cast<long>(&Fs)) != 0 ||
      !Fs)
    return 0;
  uintptr_t Area = Fs + uintptr_t(__rseq_offset);
  int32_t CpuId = 0;
  if (UserMemory::copyIn(&CpuId, reinterpret_cast<const char *>(Area) + 4,
                         sizeof(CpuId)) < 0 ||
      CpuId < 0)
    return 0;
  return Area;
}

/// Unregisters the rseq area (the kernel would write into memory the new
/// image reuses); false if it cannot.
bool dropRseq(uintptr_t Area, long &Length) {
  if (!Area)
    return true;
  for (long L : {32L, long(__rseq_size)}) {
    if (hostCall(SYS_rseq, long(Area), L, RseqUnregister, RseqSignature) == 0) {
      Length = L;
      return true;
    }
  }
  return false;
}

void log(const char *What, const char *Path) {
  if (!Logging)
    return;
  char Line[PathBytes + 128];
  char *At = Line;
  auto Put = [&](const char *Text) {
    while (*Text && At < Line + sizeof(Line) - 2)
      *At++ = *Text++;
  };
  Put("k42-linux: pid ");
  At = putDecimal(At, uint64_t(hostCall(SYS_getpid)));
  Put(What);
  Put(Path);
  *At++ = '\n';
  RefusalLog::say(Line, static_cast<unsigned long>(At - Line));
}

/// The open descriptors with FD_CLOEXEC, as closes in \p S, from a listing
/// of /proc/self/fd.
const char *listOnExec(Steps &S) {
  bool Listed =
      forEachHostEntry("/proc/self/fd", [&](long Dir, const char *Name) {
        if (*Name < '0' || *Name > '9')
          return;
        long Number = 0;
        for (; *Name >= '0' && *Name <= '9'; ++Name)
          Number = Number * 10 + (*Name - '0');
        if (Number == Dir)
          return;
        long Flags = hostCall(SYS_fcntl, Number, F_GETFD);
        if (Flags >= 0 && (Flags & FD_CLOEXEC))
          S.add(Call, SYS_close, uint64_t(Number));
      });
  return Listed ? nullptr : "no /proc/self/fd";
}

/// The open descriptors with FD_CLOEXEC, as closes in \p S. Which are open
/// is one poll over the descriptor table's \p TableSize slots (the FDSize
/// of /proc/self/status: no descriptor lies past it), each asked for no
/// event: a closed one answers POLLNVAL. Listing /proc/self/fd cost an
/// open, two getdents64 and a close, and the kernel a dentry and an inode
/// per descriptor; it is what answers when there is no FDSize (\p
/// TableSize < 0) or the host refuses the poll (a descriptor limit below
/// the slots asked about: EINVAL).
const char *closeOnExec(Steps &S, char *Buffer, size_t Room, long TableSize) {
  size_t Count0 = S.Count;
  bool Full0 = S.Full;
  size_t Most = Room / sizeof(pollfd);
  auto *Fds = reinterpret_cast<pollfd *>(Buffer);
  for (long First = 0; TableSize > 0 && First < TableSize;) {
    size_t Count =
        size_t(TableSize - First) < Most ? size_t(TableSize - First) : Most;
    for (size_t I = 0; I < Count; ++I)
      Fds[I] = pollfd{int(First + long(I)), 0, 0};
    if (hostCall(SYS_poll, reinterpret_cast<long>(Fds), long(Count), 0) < 0) {
      TableSize = -1;
      break;
    }
    for (size_t I = 0; I < Count; ++I) {
      if (Fds[I].revents & POLLNVAL)
        continue;
      long Flags = hostCall(SYS_fcntl, Fds[I].fd, F_GETFD);
      if (Flags >= 0 && (Flags & FD_CLOEXEC))
        S.add(Call, SYS_close, uint64_t(Fds[I].fd));
    }
    First += long(Count);
  }
  if (TableSize > 0)
    return nullptr;
  S.Count = Count0;
  S.Full = Full0;
  return listOnExec(S);
}

/// The signal set on \p Key's line of /proc/self/status (\p Status, NUL
/// terminated): 16 hex digits, bit N-1 for signal N; false if not there.
bool statusMask(const char *Status, const char *Key, uint64_t &Out) {
  const char *At = std::strstr(Status, Key);
  if (!At)
    return false;
  At += std::strlen(Key);
  const char *Start = At;
  Out = parseHex(At);
  return At - Start == 16 && *At == '\n';
}

/// Null when an exec of a program without file capabilities or set-id
/// bits leaves the process's capabilities as they are (\p Status: its
/// /proc/self/status, \p Effective its CapEff, \p Root whether its ids
/// are 0), by Linux's rules: root's permitted set becomes the bounding
/// set with the inheritable one (and ambient), its effective set the
/// permitted one, unless SECBIT_NOROOT; anyone else's both become the
/// ambient set. Otherwise why the overlay cannot do the exec: it keeps
/// the capabilities as they are, and the host's exec is the one that
/// changes them (capsh --drop took a capability from the bounding set,
/// and the program kept it).
const char *capabilitiesKept(const char *Status, uint64_t Effective,
                             bool Root) {
  uint64_t Inheritable = 0, Permitted = 0, Bounding = 0, Ambient = 0;
  if (!statusMask(Status, "CapInh:\t", Inheritable) ||
      !statusMask(Status, "CapPrm:\t", Permitted) ||
      !statusMask(Status, "CapBnd:\t", Bounding) ||
      !statusMask(Status, "CapAmb:\t", Ambient))
    return "no capability sets in /proc/self/status";
  constexpr long NoRoot = 1; // SECBIT_NOROOT
  if (Root) {
    long Bits = hostCall(SYS_prctl, PR_GET_SECUREBITS, 0, 0, 0, 0);
    Root = !isError(Bits) && !(Bits & NoRoot);
  }
  uint64_t NewPermitted = Root ? (Bounding | Inheritable | Ambient) : Ambient;
  uint64_t NewEffective = Root ? NewPermitted : Ambient;
  if (NewPermitted != Permitted || NewEffective != Effective)
    return "capabilities that the exec changes";
  return nullptr;
}

/// The decimal number on \p Key's line of /proc/self/status (\p Status,
/// NUL terminated); -1 if not there.
long statusNumber(const char *Status, const char *Key) {
  const char *At = std::strstr(Status, Key);
  if (!At)
    return -1;
  At += std::strlen(Key);
  long V = 0;
  const char *Start = At;
  for (; *At >= '0' && *At <= '9' && V < (1L << 40); ++At)
    V = V * 10 + (*At - '0');
  return At > Start && *At == '\n' ? V : -1;
}

/// The real and effective ids on \p Key's line of /proc/self/status
/// ("Uid:" or "Gid:": real, effective, saved, file system); false if not
/// there.
bool statusIds(const char *Status, const char *Key, unsigned &Real,
               unsigned &Effective) {
  const char *At = std::strstr(Status, Key);
  if (!At)
    return false;
  At += std::strlen(Key);
  unsigned *Out[2] = {&Real, &Effective};
  for (unsigned *Id : Out) {
    if (*At < '0' || *At > '9')
      return false;
    uint64_t V = 0;
    for (; *At >= '0' && *At <= '9'; ++At)
      V = V * 10 + uint64_t(*At - '0');
    if (V > 0xffffffffu || *At != '\t')
      return false;
    ++At;
    *Id = unsigned(V);
  }
  return true;
}

/// POSIX timers end at exec: their deletions (/proc/self/timers).
void deleteTimers(char *Buffer, size_t Room, Steps &S) {
  if (NoTimers.load(std::memory_order_relaxed))
    return;
  static const char Timers[] = "/proc/self/timers";
  long Length = readHostFile(Timers, Buffer, Room - 1);
  if (Length <= 0)
    return;
  Buffer[Length] = 0;
  for (const char *At = Buffer; (At = std::strstr(At, "ID: "));) {
    At += 4;
    long Id = 0;
    for (; *At >= '0' && *At <= '9'; ++At)
      Id = Id * 10 + (*At - '0');
    S.add(Call, SYS_timer_delete, uint64_t(Id));
  }
}

/// The exec's three paths (the program's, the one the caller named, the
/// interpreter's): side by side in one page while they fit, else each in
/// a path's room of its own.
struct PathRooms {
  char *Next;
  char *End;
  char *Long;

  /// Room for \p Bytes (at most PathBytes): in the page if they fit.
  char *take(size_t Bytes) {
    if (Bytes <= size_t(End - Next)) {
      char *At = Next;
      Next += (Bytes + 15) & ~size_t(15);
      if (Next > End)
        Next = End;
      return At;
    }
    char *At = Long;
    Long += PathBytes;
    return At;
  }

  /// Copies the string at \p From (the caller's, or the personality's)
  /// into \p To, at most PathBytes with its NUL, in small pieces that stop
  /// at the NUL; false if it is unreadable or longer.
  bool copyIn(long From, char *&To) {
    size_t Room = size_t(End - Next);
    if (size_t N =
            copyString(Next, From, Room < PathBytes ? Room : PathBytes)) {
      To = take(N);
      return true;
    }
    To = take(PathBytes);
    return copyString(To, From, PathBytes) != 0;
  }

  /// The string's length with its NUL, or 0 (unreadable, or no NUL in
  /// \p Room bytes).
  static size_t copyString(char *To, long From, size_t Room) {
    constexpr size_t Piece = 64;
    for (size_t At = 0; At < Room;) {
      size_t Want = Room - At < Piece ? Room - At : Piece;
      size_t Got = UserMemory::copyInSome(
          To + At, reinterpret_cast<const char *>(From) + At, Want);
      if (const void *Nul = std::memchr(To + At, 0, Got))
        return size_t(static_cast<const char *>(Nul) - To) + 1;
      if (Got < Want)
        return 0;
      At += Got;
    }
    return 0;
  }
};

/// Everything replace() holds until it commits or gives up.
struct Attempt {
  Image Program;
  /// None (Fd -1, nothing reserved) for k42-exec, which has no interpreter.
  Image Interp;
  /// The file is k42-exec (replace()'s Loader).
  bool Loader = false;
  long Staging = -1;
  size_t StagingBytes = 0;
  long Scratch = -1;
  static constexpr size_t ScratchBytes = 1 << 20;
  /// A script's interpreter only K42 has was copied to FileState::ImageFd
  /// (which held the script's copy if \p TopK42).
  bool ImageMade = false;
  bool TopK42 = false;
  /// The script exec'd, kept open: the copy at FileState::ImageFd again
  /// if the host is to exec it after all.
  long TopFd = -1;
  /// The file named was read as an ELF file (not a script), and found a
  /// static program, at a fixed address or static-pie (k42-exec loads
  /// those).
  bool Examined = false;
  bool Static = false;

  ~Attempt() {
    if (ImageMade && TopK42 && TopFd >= 0) {
      OwnMemfd::moveTo(TopFd, FileState::ImageFd);
      TopFd = -1;
    } else if (ImageMade) {
      (void)hostCall(SYS_close, FileState::ImageFd);
    }
    if (TopFd >= 0)
      (void)hostCall(SYS_close, TopFd);
    for (Image *I : {&Program, &Interp}) {
      if (I->Fd >= 0)
        (void)hostCall(SYS_close, I->Fd);
      if (I->Reserved >= 0)
        (void)hostCall(SYS_munmap, I->Reserved, long(I->ReservedBytes));
    }
    if (Staging >= 0)
      (void)hostCall(SYS_munmap, Staging, long(StagingBytes));
    if (Scratch >= 0)
      (void)hostCall(SYS_munmap, Scratch, long(ScratchBytes));
  }
};

const char *attempt(Attempt &A, long HostPath, long ExecFn, long Argv,
                    long Envp, const ucontext_t *Trap, bool K42Only,
                    long &Error);

} // namespace

void ExecOverlay::configure(const char *HostExec, const char *Log,
                            const char *MapsAsText) {
  Enabled = !(HostExec && HostExec[0] == '1' && HostExec[1] == 0);
  MapsText = MapsAsText && MapsAsText[0] == '1' && MapsAsText[1] == 0;
  Logging = Log && *Log && std::strcmp(Log, "off") != 0;
}

void ExecOverlay::actionSet(long Signal, uint64_t Handler, uint64_t Flags,
                            uint64_t Mask, uint64_t Restorer) {
  if (Signal < 1 || Signal > 64 ||
      Handler != reinterpret_cast<uint64_t>(SIG_DFL) ||
      !(Flags | Mask | Restorer))
    return;
  DirtyDefaults.fetch_or(uint64_t(1) << (Signal - 1),
                         std::memory_order_relaxed);
}

void ExecOverlay::timerMade() {
  NoTimers.store(false, std::memory_order_relaxed);
}

void ExecOverlay::forked() { NoTimers.store(true, std::memory_order_relaxed); }

void ExecOverlay::memoryShared() {
  Shared.store(true, std::memory_order_relaxed);
}

bool ExecOverlay::childExeced(long Pid) {
  char Path[48] = "/proc/";
  char *End = putDecimal(Path + 6, uint64_t(Pid));
  std::memcpy(End, "/stat", 6);
  char Stat[512];
  long N = readHostFile(Path, Stat, sizeof(Stat) - 1);
  if (N <= 0)
    return false;
  Stat[N] = 0;
  // The parent's pid: the second field after the name's closing ')'.
  const char *At = std::strrchr(Stat, ')');
  if (!At || At[1] != ' ' || !At[2] || At[3] != ' ')
    return false;
  long Parent = 0;
  for (At += 4; *At >= '0' && *At <= '9'; ++At)
    Parent = Parent * 10 + (*At - '0');
  if (Parent != hostCall(SYS_getpid))
    return false;
  // A fork child's saved auxv is its parent's until it execs (by the host
  // or by an overlay, which sets its own with PR_SET_MM_MAP).
  uint64_t Mine[MaxAuxWords], Theirs[MaxAuxWords];
  std::memcpy(End, "/auxv", 6);
  static const char Self[] = "/proc/self/auxv";
  long A = readHostFile(Self, reinterpret_cast<char *>(Mine), sizeof(Mine));
  long B = readHostFile(Path, reinterpret_cast<char *>(Theirs), sizeof(Theirs));
  return A > 0 && B > 0 && (A != B || std::memcmp(Mine, Theirs, size_t(A)));
}

long ExecOverlay::replace(long HostPath, long ExecFn, long Argv, long Envp,
                          const ucontext_t *Trap, bool K42Only, bool Loader) {
  const char *Why;
  long Error = 0;
  bool Examined, Static;
  {
    Attempt A;
    A.Loader = Loader;
    Why = attempt(A, HostPath, ExecFn, Argv, Envp, Trap, K42Only, Error);
    Examined = A.Examined;
    Static = A.Static;
  }
  if (Error < 0)
    return Error;
  if (Static)
    return StaticProgram;
  if (Why && Logging) {
    char Path[PathBytes];
    size_t Got = UserMemory::copyInSome(
        Path, reinterpret_cast<const char *>(ExecFn), sizeof(Path) - 1);
    Path[Got] = 0;
    char What[96] = " exec by the host (";
    size_t L = std::strlen(What);
    for (const char *W = Why; *W && L < sizeof(What) - 4; ++W)
      What[L++] = *W;
    What[L++] = ')';
    What[L++] = ':';
    What[L++] = ' ';
    What[L] = 0;
    log(What, Path);
  }
  return Examined ? HostExec : NotExamined;
}

namespace {

const char *attempt(Attempt &A, long HostPath, long ExecFn, long Argv,
                    long Envp, const ucontext_t *Trap, bool K42Only,
                    long &Error) {
  if (const char *Why = checkProcess())
    return Why;
  // Buffers off the stack (a handler on a small alternate stack may
  // exec): three paths and a directory's entries, then /proc files.
  A.Scratch =
      hostCall(SYS_mmap, 0, long(Attempt::ScratchBytes), PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (isError(A.Scratch)) {
    A.Scratch = -1;
    return "no memory";
  }
  // What every exec writes first (the three paths side by side in one
  // page, a directory's entries, the files' first bytes and /proc's small
  // files), populated in one call rather than a fault a page; then the
  // strings, what scripts need after them, and the room of a path too
  // long for the first page. Each page populated is one the kernel
  // clears (about 5 us on this VM): a 4 KiB room a path, populated, cost
  // two pages more for their first bytes.
  constexpr size_t EntryBytes = 4096;
  constexpr size_t LineBytes =
      (sizeof(ScriptLine) * ScriptLine::MaxDepth + 15) & ~size_t(15);
  constexpr size_t ScratchBytes = Attempt::ScratchBytes - Page - 4 * PathBytes -
                                  EntryBytes - MaxStrings - LineBytes;
  constexpr size_t HotBytes = Page + EntryBytes + 3 * Page;
  (void)hostCall(SYS_madvise, A.Scratch, long(HotBytes),
                 23 /* MADV_POPULATE_WRITE */);
  char *Paths = reinterpret_cast<char *>(A.Scratch);
  char *Entries = Paths + Page;
  char *Scratch = Entries + EntryBytes;
  char *Strings = Scratch + ScratchBytes;
  char *ScriptHost = Strings + MaxStrings;
  char *LongPaths = ScriptHost + PathBytes;
  auto *Lines = reinterpret_cast<ScriptLine *>(LongPaths + 3 * PathBytes);
  PathRooms Rooms{Paths, Paths + Page, LongPaths};
  char *Path = nullptr;
  char *Fn = nullptr;
  if (!Rooms.copyIn(HostPath, Path) || !Rooms.copyIn(ExecFn, Fn))
    return "a bad or long path";
  size_t FnLength = std::strlen(Fn) + 1;

  // The files, as Linux checks them (a K42-only program's permission is
  // K42's: the host sees a copy).
  A.TopK42 = K42Only;
  if (const char *Why =
          openExec(Path, K42Only ? Fn : nullptr, A.Program, Error))
    return Why;
  // The files' first bytes: in the room /proc's files take later.
  Head First{Scratch, Page};
  readHead(A.Program, First);
  // A script: its interpreter is exec'd instead, as binfmt_script does,
  // up to Linux's depth of scripts running scripts.
  int Depth = 0;
  while (ScriptLine::isScript(First.Bytes, First.Length)) {
    if (Depth == ScriptLine::MaxDepth) {
      Error = -ELOOP;
      return "too many scripts";
    }
    ScriptLine *Line = new (Lines + Depth) ScriptLine;
    if (Line->parse(First.Bytes, First.Length) != 0)
      return "a #! line Linux refuses";
    // "#!" and nothing (a NUL) after it: an empty name, which the host's
    // lookup answers in its own way (EACCES on 6.x).
    if (!*Line->name())
      return "an empty interpreter name";
    ++Depth;
    if (Depth == 1)
      A.TopFd = A.Program.Fd;
    else
      (void)hostCall(SYS_close, A.Program.Fd);
    A.Program.Fd = -1;
    // The interpreter's path is resolved as the program's (K42's mounts,
    // K42's cwd), and its errors are execve's.
    long Where = FileState::hostImage(reinterpret_cast<long>(Line->name()),
                                      ScriptHost, nullptr);
    if (Where < 0) {
      Error = Where;
      return "no interpreter";
    }
    A.ImageMade |= Where == 2;
    if (const char *Why =
            openExec(Where ? ScriptHost : Line->name(),
                     Where == 2 ? Line->name() : nullptr, A.Program, Error))
      return Why;
    readHead(A.Program, First);
  }
  const char *NotOverlaid = readImage(A.Program, false, First, A.Loader);
  if (Depth == 0) {
    A.Examined = true;
    A.Static = !A.Loader && A.Program.Read && A.Program.Elf.interpIndex() < 0 &&
               (!A.Program.Elf.movable() ||
                A.Program.Elf.staticPie(readMore, reinterpret_cast<void *>(
                                                      intptr_t(A.Program.Fd))));
  }
  if (NotOverlaid)
    return NotOverlaid;
  // k42-exec (static-pie) has none.
  if (A.Program.Elf.interpIndex() >= 0) {
    const Elf64_Phdr &InterpHeader =
        A.Program.Elf.phdr(unsigned(A.Program.Elf.interpIndex()));
    char *Interp = nullptr;
    if (InterpHeader.p_filesz < 2 || InterpHeader.p_filesz > PathBytes ||
        !(Interp = Rooms.take(InterpHeader.p_filesz)) ||
        !readAt(A.Program.Fd, Interp, InterpHeader.p_filesz,
                long(InterpHeader.p_offset), &First) ||
        Interp[InterpHeader.p_filesz - 1] != 0)
      return "an unusual ELF file";
    if (const char *Why = openFile(Interp, A.Interp, Error, false))
      return Why;
    readHead(A.Interp, First);
    if (const char *Why = readImage(A.Interp, true, First))
      return Why;
  }

  // The new stack's strings: a script's interpreters and their arguments
  // (the last one's first), the script's path, then argv past its first.
  long Argc, Envc;
  size_t ArgBytes = 0, EnvBytes;
  long Prefix = 0;
  auto Put = [&](const char *Text) {
    size_t Length = std::strlen(Text) + 1;
    std::memcpy(Strings + ArgBytes, Text, Length);
    ArgBytes += Length;
    ++Prefix;
  };
  for (int Level = Depth - 1; Level >= 0; --Level) {
    Put(Lines[Level].name());
    if (Lines[Level].arg())
      Put(Lines[Level].arg());
  }
  if (Depth)
    Put(Fn);
  size_t Gathered;
  if (const char *Why = gather(Argv, Strings + ArgBytes, MaxStrings - ArgBytes,
                               Argc, Gathered, Depth ? 1 : 0))
    return Why;
  Argc += Prefix;
  ArgBytes += Gathered;
  if (Argc == 0)
    return "no argv[0]";
  if (const char *Why = gather(Envp, Strings + ArgBytes, MaxStrings - ArgBytes,
                               Envc, EnvBytes))
    return Why;

  // A tracer expects the exec's stop and event (PTRACE_EVENT_EXEC).
  static const char Status[] = "/proc/self/status";
  long StatusBytes = readHostFile(Status, Scratch, ScratchBytes - 1, true);
  if (StatusBytes <= 0)
    return "no /proc/self/status";
  Scratch[StatusBytes] = 0;
  const char *Tracer = std::strstr(Scratch, "TracerPid:\t");
  if (!Tracer || Tracer[11] != '0' || Tracer[12] != '\n')
    return "a traced process";
  // The same reading says which signals have a handler and which are
  // ignored (the kernel's own view, whoever set them, before the
  // personality armed too): the ones exec resets, with no rt_sigaction
  // read per signal.
  uint64_t Caught = 0, Ignored = 0;
  if (!statusMask(Scratch, "SigCgt:\t", Caught) ||
      !statusMask(Scratch, "SigIgn:\t", Ignored))
    return "no signal sets in /proc/self/status";
  // And the ids and capabilities (no getresuid, getresgid, capget): a
  // capability to set /proc/self/exe, ids that make no secure exec (real
  // and effective user and group ids, for auxv).
  uint64_t Caps = 0;
  if (!statusMask(Scratch, "CapEff:\t", Caps) ||
      !((Caps >> CapSysAdmin) & 1 || (Caps >> CapCheckpointRestore) & 1))
    return "no capability to set /proc/self/exe";
  // The descriptor table's size bounds the descriptors closeOnExec asks
  // about (none: it lists /proc/self/fd).
  long TableSize = statusNumber(Scratch, "\nFDSize:\t");
  unsigned Ids[4];
  if (!statusIds(Scratch, "\nUid:\t", Ids[0], Ids[1]) ||
      !statusIds(Scratch, "\nGid:\t", Ids[2], Ids[3]) || Ids[0] != Ids[1] ||
      Ids[2] != Ids[3])
    return "a set-id process (AT_SECURE)";
  if (const char *Why = capabilitiesKept(Scratch, Caps, Ids[0] == 0))
    return Why;

  // The process's own layout.
  Layout L;
  bool Text = false;
  if (const char *Why = readLayout(Scratch, ScratchBytes, L, Text))
    return Why;
  if (Text)
    log(" exec overlay: the layout from the text of ", "/proc/self/maps");
  uintptr_t Gadget = findGadget(L.Vdso);
  if (!Gadget)
    return "no way out through the vDSO";
  uint64_t OldAux[MaxAuxWords];
  long AuxBytes = stackAuxv(OldAux, MaxAuxWords);
  if (AuxBytes <= 0) {
    static const char Auxv[] = "/proc/self/auxv";
    AuxBytes =
        readHostFile(Auxv, reinterpret_cast<char *>(OldAux), sizeof(OldAux));
  }
  if (AuxBytes <= 0 || AuxBytes % 16)
    return "no /proc/self/auxv";
  size_t AuxWords = size_t(AuxBytes) / 8;
  const char *Platform = nullptr;
  for (size_t I = 0; I + 1 < AuxWords; I += 2)
    if (OldAux[I] == AT_PLATFORM)
      Platform = reinterpret_cast<const char *>(OldAux[I + 1]);
  char PlatformName[32] = {};
  size_t PlatformBytes = 0;
  if (Platform) {
    size_t Got = UserMemory::copyInSome(PlatformName, Platform,
                                        sizeof(PlatformName) - 1);
    PlatformName[Got] = 0;
    PlatformBytes = std::strlen(PlatformName) + 1;
  }

  uint64_t Random[4];
  if (hostCall(SYS_getrandom, reinterpret_cast<long>(Random), sizeof(Random),
               0) != long(sizeof(Random)))
    return "no random bytes";

  // Where the program and its interpreter go.
  uintptr_t Hint =
      DynBase + ((Random[2] & ((uintptr_t(1) << RandomBits) - 1)) * Page);
  if (const char *Why = reserve(A.Program, Hint))
    return Why;
  if (A.Interp.Read)
    if (const char *Why = reserve(A.Interp, 0))
      return Why;

  // The new stack, from its top down, as binfmt_elf builds it: the
  // strings (argv's, envp's, the exec'd path), the platform, 16 random
  // bytes, then argc, argv, envp and auxv.
  uintptr_t Top = L.StackTop;
  uintptr_t FnAt = Top - 8 - FnLength;
  uintptr_t EnvAt = FnAt - EnvBytes;
  uintptr_t ArgAt = EnvAt - ArgBytes;
  uintptr_t P = (ArgAt - (Random[3] % 8192)) & ~uintptr_t(15);
  uintptr_t PlatformAt = P - PlatformBytes;
  uintptr_t RandomAt = (PlatformAt - 16) & ~uintptr_t(15);
  size_t Words = 1 + size_t(Argc) + 1 + size_t(Envc) + 1 + AuxWords;
  uintptr_t Sp = (RandomAt - Words * 8) & ~uintptr_t(15);
  uintptr_t ImageLow = Sp - 8;
  size_t ImageBytes = Top - ImageLow;
  uintptr_t StackLow = pageDown(ImageLow) - StackSlack;

  // Nothing kept may lie in the new stack or its guard gap.
  Range Keep[MaxKept + 1];
  int KeepCount = 0;
  for (int I = 0; I < L.KeptCount; ++I)
    Keep[KeepCount++] = L.Kept[I];
  for (const Image *I : {&A.Program, &A.Interp})
    if (uintptr_t(I->Reserved) < Top &&
        uintptr_t(I->Reserved) + I->ReservedBytes > StackLow - GuardGap)
      return "no room for the stack";
  for (int I = 0; I < KeepCount; ++I)
    if (Keep[I].Start < Top && Keep[I].End > StackLow - GuardGap)
      return "no room for the stack";

  // The plan's pages.
  size_t DataBytes = (sizeof(Staged) + 15) & ~size_t(15);
  size_t OpsAt = (CodePages + StackPages) * Page +
                 ((DataBytes + ImageBytes + 63) & ~size_t(63));
  A.StagingBytes = pageUp(OpsAt + MaxOps * sizeof(Op));
  // Right above the old stack's top, where nothing is mapped: the vDSO
  // and vvar are then the only other thing kept, so the teardown unmaps
  // two holes, not three (each a TLB flush that frees page tables, which
  // interrupts every processor the process ran on), and the plan's last
  // munmap frees none (the new stack shares its page table).
  uintptr_t Above = L.StackTop;
  long StagingHint = Above + A.StagingBytes <= UserEnd ? long(Above) : 0;
  A.Staging =
      hostCall(SYS_mmap, StagingHint, long(A.StagingBytes),
               PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (isError(A.Staging)) {
    A.Staging = -1;
    return "no memory";
  }
  // The pages written next, populated in one call (a fault each cost
  // more than the kernel's filling them here); the room for steps past
  // the usual count is left untouched.
  size_t Hot = pageUp(OpsAt + UsualOps * sizeof(Op));
  (void)hostCall(SYS_madvise, A.Staging,
                 long(Hot < A.StagingBytes ? Hot : A.StagingBytes),
                 23 /* MADV_POPULATE_WRITE */);
  char *Base = reinterpret_cast<char *>(A.Staging);
  size_t CodeBytes = size_t(k42_overlay_end - k42_overlay_begin);
  if (CodeBytes > CodePages * Page)
    return "no room for the last steps";
  std::memcpy(Base, k42_overlay_begin, CodeBytes);
  if (hostCall(SYS_mprotect, A.Staging, CodePages * Page,
               PROT_READ | PROT_EXEC) != 0)
    return "no executable page";
  auto *St = reinterpret_cast<Staged *>(Base + (CodePages + StackPages) * Page);
  char *Stack = reinterpret_cast<char *>(St) + DataBytes;
  auto Local = [&](uintptr_t Address) { return Stack + (Address - ImageLow); };
  Keep[KeepCount++] = {uintptr_t(A.Staging),
                       uintptr_t(A.Staging) + A.StagingBytes};
  // A fixed program placed over the old image: nothing kept may be there.
  if (!A.Program.Elf.movable() && A.Program.Reserved < 0) {
    Range Want{pageDown(A.Program.Elf.low()), pageUp(A.Program.Elf.high())};
    for (int I = 0; I < KeepCount; ++I)
      if (Keep[I].Start < Want.End && Keep[I].End > Want.Start)
        return "the program's fixed address is taken";
    const Image &In = A.Interp;
    if (uintptr_t(In.Reserved) < Want.End &&
        uintptr_t(In.Reserved) + In.ReservedBytes > Want.Start)
      return "the program's fixed address is taken";
    if (Want.End > StackLow - GuardGap && Want.Start < Top)
      return "the program's fixed address is taken";
  }

  // The image: strings, then the vectors.
  auto *Vector = reinterpret_cast<uint64_t *>(Local(Sp));
  Vector[0] = uint64_t(Argc);
  std::memcpy(Local(ArgAt), Strings, ArgBytes + EnvBytes);
  place(Strings, Argc, ArgAt, Vector + 1);
  Vector[1 + Argc] = 0;
  place(Strings + ArgBytes, Envc, EnvAt, Vector + 2 + Argc);
  Vector[2 + Argc + Envc] = 0;
  std::memcpy(Local(FnAt), Fn, FnLength);
  std::memset(Local(Top - 8), 0, 8);
  if (PlatformBytes)
    std::memcpy(Local(PlatformAt), PlatformName, PlatformBytes);
  std::memcpy(Local(RandomAt), Random, 16);
  const Image &Pr = A.Program;
  uintptr_t Phdr = Pr.Elf.phdrAddress(Pr.Bias);
  if (!Phdr)
    return "an unusual ELF file";
  uint64_t *Aux = Vector + 3 + Argc + Envc;
  unsigned Needed = 0;
  for (size_t I = 0; I + 1 < AuxWords; I += 2) {
    uint64_t Key = OldAux[I], Value = OldAux[I + 1];
    switch (Key) {
    case AT_PHDR:
      Value = Phdr, Needed |= 1;
      break;
    case AT_PHENT:
      Value = sizeof(Elf64_Phdr);
      break;
    case AT_PHNUM:
      Value = Pr.Elf.phdrCount();
      break;
    case AT_BASE:
      Value = A.Interp.Read ? A.Interp.Bias : 0, Needed |= 2;
      break;
    case AT_FLAGS:
      Value = 0;
      break;
    case AT_ENTRY:
      Value = Pr.Bias + Pr.Elf.header().e_entry, Needed |= 4;
      break;
    case AT_UID:
      Value = Ids[0];
      break;
    case AT_EUID:
      Value = Ids[1];
      break;
    case AT_GID:
      Value = Ids[2];
      break;
    case AT_EGID:
      Value = Ids[3];
      break;
    case AT_SECURE:
      Value = 0;
      break;
    case AT_RANDOM:
      Value = RandomAt, Needed |= 8;
      break;
    case AT_EXECFN:
      Value = FnAt, Needed |= 16;
      break;
    case AT_PLATFORM:
      Value = PlatformAt;
      break;
    default:
      break;
    }
    Aux[I] = Key;
    Aux[I + 1] = Value;
  }
  if (Needed != 31 || Aux[AuxWords - 2] != AT_NULL)
    return "an unusual auxiliary vector";
  const Image &Starts = A.Interp.Read ? A.Interp : A.Program;
  uintptr_t Entry = Starts.Bias + Starts.Elf.header().e_entry;
  std::memcpy(Local(ImageLow), &Entry, 8);

  // The mm's fields, as binfmt_elf sets them.
  MmMap &M = St->Map;
  M = MmMap{};
  M.StartCode = ~uint64_t(0);
  for (unsigned N = 0; N < Pr.Elf.phdrCount(); ++N) {
    const Elf64_Phdr &H = Pr.Elf.phdr(N);
    if (H.p_type != PT_LOAD)
      continue;
    uint64_t K = Pr.Bias + H.p_vaddr;
    if ((H.p_flags & PF_X) && K < M.StartCode)
      M.StartCode = K;
    if (M.StartData < K)
      M.StartData = K;
    K = Pr.Bias + H.p_vaddr + H.p_filesz;
    if ((H.p_flags & PF_X) && M.EndCode < K)
      M.EndCode = K;
    if (M.EndData < K)
      M.EndData = K;
  }
  if (!(M.StartCode < M.EndCode) || !(M.StartData <= M.EndData))
    return "an unusual ELF file";
  M.StartBrk = M.Brk = pageUp(Pr.Bias + Pr.Elf.high()) +
                       (Random[1] % (0x02000000 / Page)) * Page;
  M.StartStack = Sp;
  M.ArgStart = ArgAt;
  M.ArgEnd = M.EnvStart = EnvAt;
  M.EnvEnd = FnAt;
  M.Auxv = reinterpret_cast<uint64_t>(Aux);
  M.AuxvSize = uint32_t(AuxWords * 8);
  M.ExeFd = uint32_t(A.Program.Fd);
  St->Default = KernelSigaction{};
  St->Ignore = KernelSigaction{};
  St->Ignore.Handler = reinterpret_cast<uint64_t>(SIG_IGN);
  St->NoAltStack = stack_t{};
  St->NoAltStack.ss_flags = SS_DISABLE;
  const char *Name = Fn;
  for (const char *C = Fn; *C; ++C)
    if (*C == '/')
      Name = C + 1;
  std::memset(St->Name, 0, sizeof(St->Name));
  for (size_t I = 0; I < sizeof(St->Name) - 1 && Name[I]; ++I)
    St->Name[I] = Name[I];

  // The steps.
  Steps S{reinterpret_cast<Op *>(Base + OpsAt)};
  // Caught signals to SIG_DFL; ignored ones to a plain SIG_IGN and
  // default ones the program gave flags, a mask or a restorer to a plain
  // SIG_DFL (the kernel clears those too: written without reading them
  // first). SIGSEGV and SIGBUS: the program's action is the personality's
  // copy (the host's is the personality's handler).
  Caught |= DirtyDefaults.load(std::memory_order_relaxed) & ~Ignored;
  for (long Signal = 1; Signal <= 64; ++Signal) {
    if (Signal == SIGKILL || Signal == SIGSTOP)
      continue;
    uint64_t Bit = uint64_t(1) << (Signal - 1);
    bool IsIgnored = Ignored & Bit;
    if (FaultSignals::isFaultSignal(Signal))
      IsIgnored = FaultSignals::get(Signal).Handler ==
                  reinterpret_cast<uint64_t>(SIG_IGN);
    else if (!((Caught | Ignored) & Bit))
      continue;
    S.add(Call, SYS_rt_sigaction, uint64_t(Signal),
          reinterpret_cast<uint64_t>(IsIgnored ? &St->Ignore : &St->Default), 0,
          sizeof(uint64_t));
  }
  S.add(Call, SYS_set_robust_list, 0, 24);
  S.add(Call, SYS_set_tid_address, 0);
  deleteTimers(Scratch, ScratchBytes, S);
  // Everything but what is kept, in as few calls as the holes allow.
  for (int I = 1; I < KeepCount; ++I)
    for (int J = I; J > 0 && Keep[J].Start < Keep[J - 1].Start; --J) {
      Range T = Keep[J];
      Keep[J] = Keep[J - 1];
      Keep[J - 1] = T;
    }
  uintptr_t Cursor = 0;
  for (int I = 0; I < KeepCount; ++I) {
    if (Keep[I].Start >= UserEnd)
      break;
    if (Keep[I].Start > Cursor)
      S.add(MustCall, SYS_munmap, Cursor, Keep[I].Start - Cursor);
    if (Keep[I].End > Cursor)
      Cursor = Keep[I].End;
  }
  // Above the last mapping (the plan's pages, above the stack) there is
  // nothing to unmap.
  uintptr_t MappedEnd = L.MappedEnd;
  for (const Image *I : {&A.Program, &A.Interp})
    if (I->Reserved >= 0 &&
        uintptr_t(I->Reserved) + I->ReservedBytes > MappedEnd)
      MappedEnd = uintptr_t(I->Reserved) + I->ReservedBytes;
  if (Cursor < MappedEnd)
    S.add(MustCall, SYS_munmap, Cursor, UserEnd - Cursor);
  // mlockall(MCL_FUTURE) ends at exec.
  S.add(Call, SYS_munlockall);
  // /proc/self/exe is refused (EBUSY) while the old program's file is
  // mapped, and so while the new one's is if it is the same file: set
  // between the two (the auxv the kernel copies is the plan's copy).
  S.add(MustCall, SYS_prctl, SetMm, SetMmMap, reinterpret_cast<uint64_t>(&M),
        sizeof(M), 0);
  mapSegments(A.Program, S);
  if (A.Interp.Read)
    mapSegments(A.Interp, S);
  S.add(MustCall, SYS_mmap, StackLow, Top - StackLow, PROT_READ | PROT_WRITE,
        MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | MAP_GROWSDOWN,
        uint64_t(-1), 0);
  S.add(Copy, 0, ImageLow, reinterpret_cast<uint64_t>(Local(ImageLow)),
        ImageBytes);
  S.add(Call, SYS_prctl, PR_SET_NAME, reinterpret_cast<uint64_t>(St->Name));
  if (const char *Why =
          closeOnExec(S, Entries, EntryBytes + ScratchBytes, TableSize))
    return Why;
  // The copy of a file only K42 has: mapped by now, no longer needed.
  if (K42Only || A.ImageMade)
    S.add(Call, SYS_close, uint64_t(FileState::ImageFd));
  S.add(Call, SYS_sigaltstack, reinterpret_cast<uint64_t>(&St->NoAltStack), 0);
  S.add(Call, SYS_arch_prctl, 0x1002 /* ARCH_SET_FS */, 0);
  // The program's mask: its frame's when trapped, the thread's otherwise.
  uint64_t Old = 0;
  (void)hostCall(SYS_rt_sigprocmask, SIG_BLOCK, 0, reinterpret_cast<long>(&Old),
                 sizeof(Old));
  St->Mask =
      Trap ? *reinterpret_cast<const uint64_t *>(&Trap->uc_sigmask) : Old;
  S.add(Call, SYS_rt_sigprocmask, SIG_SETMASK,
        reinterpret_cast<uint64_t>(&St->Mask), 0, sizeof(St->Mask));
  if (S.Full)
    return "too many steps";
  St->Header = Plan{S.Count,
                    reinterpret_cast<uint64_t>(S.Ops),
                    Sp,
                    Gadget,
                    uint64_t(A.Staging),
                    A.StagingBytes,
                    uint64_t(A.Staging) + (CodePages + StackPages) * Page};

  // The point of no return, once the last things that can fail worked:
  // signals blocked (none may run the program's code with the process
  // half replaced), rseq unregistered, Syscall User Dispatch off.
  uintptr_t Rseq = rseqArea();
  uint64_t All = ~uint64_t(0);
  (void)hostCall(SYS_rt_sigprocmask, SIG_SETMASK, reinterpret_cast<long>(&All),
                 0, sizeof(All));
  long RseqLength = 0;
  if (!dropRseq(Rseq, RseqLength)) {
    (void)hostCall(SYS_rt_sigprocmask, SIG_SETMASK,
                   reinterpret_cast<long>(&Old), 0, sizeof(Old));
    return "rseq cannot be unregistered";
  }
  if (TrapReflection::disarmThread() != 0) {
    if (Rseq)
      (void)hostCall(SYS_rseq, long(Rseq), RseqLength, 0, RseqSignature);
    (void)hostCall(SYS_rt_sigprocmask, SIG_SETMASK,
                   reinterpret_cast<long>(&Old), 0, sizeof(Old));
    return "Syscall User Dispatch cannot be switched off";
  }
  log(" exec overlay: ", Fn);
  auto *Run = reinterpret_cast<void (*)(const Plan *)>(A.Staging);
  Run(&St->Header);
  __builtin_unreachable();
}

} // namespace
