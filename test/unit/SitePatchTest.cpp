//===- test/unit/SitePatchTest.cpp - Trapped sites made branches ----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// Hand-assembled system-call sites in a page of their own, given to
// SitePatch as if it were libc's text, in an armed fork child: a site is
// patched at its first trap and then answered through its stub with every
// register a system call preserves kept; what is not exactly
// `mov $nr, %eax; syscall` (a prefix before it, another number in the mov,
// a number not on the list, outside the text) keeps trapping; a branch
// straight to a patched site's syscall still traps; no patching while
// memory is shared, again after fork; the pages are R-X afterwards. The
// starts of glibc's read (patched at a trap: its stub does the cmpb and
// the je it replaced) and __read_nocancel (only noted at a trap, patched
// at the next image's start-up) answer as before, errors included.
//
//===----------------------------------------------------------------------===//

#include "k42/personality/SitePatch.h"
#include "k42/personality/Syscall.h"
#include "k42/personality/TrapReflection.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace k42::personality;

namespace {

// Offsets of the hand-made sites in the page.
constexpr size_t SiteA = 0x00;     // nop; mov $getppid, %eax; syscall; ret
constexpr size_t Branch = 0x10;    // mov $getppid, %eax; jmp SiteA + 6
constexpr size_t Prefixed = 0xc0;  // mov $getppid,%eax; mov %rax,%rcx; ...
constexpr size_t NotListed = 0x30; // nop; mov $k42_null, %eax; syscall; ret
constexpr size_t Mismatch = 0x40;  // mov $getuid,%eax; jmp +5; mov $getppid..
constexpr size_t Fstat = 0x50;     // nop; mov $fstat, %eax; syscall; ret
constexpr size_t Later = 0x70;     // nop; mov $getpid, %eax; syscall; ret
constexpr size_t Moves = 0x80; // mov $getpid,%eax; mov %rdi,%rsi; mov $7,%edx
constexpr size_t MemoryMove = 0xa0; // mov $getpid,%eax; mov %rdx,-16(%rsp)
constexpr size_t AfterF2 = 0xe0;    // mov %esi,%edx; mov $getpid,%eax; syscall
constexpr size_t ReadStart = 0x100; // glibc's read: cmpb; je; xor; syscall; ...
constexpr size_t ReadBare = 0x140;  // __read_nocancel: xor; syscall; cmp; ja
constexpr size_t Flag = 0x180;      // read's __libc_single_threaded
constexpr size_t TextBytes = 0x200;
constexpr size_t Outside = 0x200; // nop; mov $getppid, %eax; syscall; ret
// What the read functions answer off their syscall's path.
constexpr long Cancellable = 0x77; // read's je taken (flag 0)
constexpr long Failed = 0x55;      // the ja taken (an error)

void put(uint8_t *Page, size_t At, std::initializer_list<uint8_t> Bytes) {
  for (uint8_t B : Bytes)
    Page[At++] = B;
}

uint8_t *makeSites() {
  void *Map = mmap(nullptr, 4096, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (Map == MAP_FAILED)
    return nullptr;
  auto *P = static_cast<uint8_t *>(Map);
  std::memset(P, 0xcc, 4096);
  put(P, SiteA, {0x90, 0xb8, 110, 0, 0, 0, 0x0f, 0x05, 0xc3});
  // jmp rel32 from Branch + 10 to SiteA + 6.
  int32_t Back = int32_t(SiteA + 6) - int32_t(Branch + 10);
  put(P, Branch,
      {0xb8, 110, 0, 0, 0, 0xe9, uint8_t(Back), uint8_t(Back >> 8),
       uint8_t(Back >> 16), uint8_t(Back >> 24)});
  // mov $getppid, %eax; mov %rax, %rcx (reads rax: not a move the stub
  // may copy); mov $getppid, %r8d (its REX prefix before the b8 at the
  // syscall's -7); syscall.
  put(P, Prefixed,
      {0xb8, 110, 0, 0, 0, 0x48, 0x89, 0xc1, 0x41, 0xb8, 110, 0, 0, 0, 0x0f,
       0x05, 0xc3});
  put(P, NotListed, {0x90, 0xb8, 0x00, 0x04, 0, 0, 0x0f, 0x05, 0xc3});
  put(P, Mismatch,
      {0xb8, 102, 0, 0, 0, 0xeb, 0x05, 0xb8, 110, 0, 0, 0, 0x0f, 0x05, 0xc3});
  put(P, Fstat, {0x90, 0xb8, 5, 0, 0, 0, 0x0f, 0x05, 0xc3});
  put(P, Later, {0x90, 0xb8, 39, 0, 0, 0, 0x0f, 0x05, 0xc3});
  put(P, Outside, {0x90, 0xb8, 110, 0, 0, 0, 0x0f, 0x05, 0xc3});
  // glibc 2.36's read: cmpb $0, Flag(%rip); je 0x116; xor %eax, %eax;
  // syscall; cmp $-4096, %rax; ja 0x11c; ret; then the two other paths.
  put(P, ReadStart, {0x80, 0x3d, uint8_t(Flag - (ReadStart + 7)),
                     0,    0,    0,
                     0x00, 0x74, 0x0d,
                     0x31, 0xc0, 0x0f,
                     0x05, 0x48, 0x3d,
                     0x00, 0xf0, 0xff,
                     0xff, 0x77, 0x07,
                     0xc3, 0xb8, uint8_t(Cancellable),
                     0,    0,    0,
                     0xc3, 0xb8, uint8_t(Failed),
                     0,    0,    0,
                     0xc3});
  // __read_nocancel: xor %eax, %eax; syscall; cmp $-4096, %rax; ja +1;
  // ret; the error path.
  put(P, ReadBare,
      {0x31, 0xc0, 0x0f, 0x05, 0x48, 0x3d, 0x00, 0xf0, 0xff, 0xff, 0x77, 0x01,
       0xc3, 0xb8, uint8_t(Failed), 0, 0, 0, 0xc3});
  P[Flag] = 1;
  // Register moves between the number and the syscall, as glibc's
  // __open64_nocancel has: copied into the stub.
  put(P, Moves,
      {0x90, 0xb8, 39, 0, 0, 0, 0x48, 0x89, 0xfe, 0xba, 7, 0, 0, 0, 0x0f, 0x05,
       0xc3});
  // 0xf2 (the ModRM of mov %esi, %edx) before the mov: a site.
  put(P, AfterF2, {0x89, 0xf2, 0xb8, 39, 0, 0, 0, 0x0f, 0x05, 0xc3});
  // A store to memory (the red zone) between them: not a site.
  put(P, MemoryMove,
      {0x90, 0xb8, 39, 0, 0, 0, 0x48, 0x89, 0x54, 0x24, 0xf0, 0x0f, 0x05,
       0xc3});
  if (mprotect(P, 4096, PROT_READ | PROT_EXEC) != 0)
    return nullptr;
  return P;
}

long run(const uint8_t *Page, size_t At) {
  auto *Fn =
      reinterpret_cast<long (*)()>(reinterpret_cast<uintptr_t>(Page + At));
  return Fn();
}

/// What a call through \p Site did to the registers a system call keeps.
struct Kept {
  long Result;
  bool Same;
};

/// fstat(\p Fd, \p St) through \p Site, with markers in every argument
/// register, the carry flag set and values in xmm0 and xmm15.
Kept fstatKeeping(const uint8_t *Site, long Fd, struct stat *St) {
  register long Rdi asm("rdi") = Fd;
  register long Rsi asm("rsi") = reinterpret_cast<long>(St);
  register long Rdx asm("rdx") = 0x1111;
  register long R10 asm("r10") = 0x2222;
  register long R8 asm("r8") = 0x3333;
  register long R9 asm("r9") = 0x4444;
  register long Rbx asm("rbx") = 0x5555;
  long Xmm0 = 0x6666, Xmm15 = 0x7777;
  long Result;
  unsigned char Carry;
  // Below the red zone, as any call from inline assembly must be.
  asm volatile(
      "movq %[x0], %%xmm0\n\t"
      "movq %[x15], %%xmm15\n\t"
      "stc\n\t"
      "leaq -128(%%rsp), %%rsp\n\t"
      "call *%[site]\n\t"
      "leaq 128(%%rsp), %%rsp\n\t"
      "setc %[carry]\n\t"
      "movq %%xmm0, %[x0]\n\t"
      "movq %%xmm15, %[x15]\n\t"
      : "=a"(Result), [carry] "=qm"(Carry), [x0] "+r"(Xmm0), [x15] "+r"(Xmm15),
        "+r"(Rdi), "+r"(Rsi), "+r"(Rdx), "+r"(R10), "+r"(R8), "+r"(R9),
        "+r"(Rbx)
      : [site] "r"(Site)
      : "rcx", "r11", "xmm0", "xmm15", "memory", "cc");
  long RbxAfter = Rbx, Xmm0After = Xmm0, Xmm15After = Xmm15;
  bool Same = Rdi == Fd && Rsi == reinterpret_cast<long>(St) && Rdx == 0x1111 &&
              R10 == 0x2222 && R8 == 0x3333 && R9 == 0x4444 &&
              RbxAfter == 0x5555 && Xmm0After == 0x6666 &&
              Xmm15After == 0x7777 && Carry == 1;
  return {Result, Same};
}

/// Calls \p Site with rdi = \p Rdi: what it answered and rsi, rdx after.
void callMoves(const uint8_t *Site, long Rdi, long &Result, long &Rsi,
               long &Rdx) {
  register long RdiReg asm("rdi") = Rdi;
  register long RsiReg asm("rsi") = 0;
  register long RdxReg asm("rdx") = 0;
  asm volatile("leaq -128(%%rsp), %%rsp\n\t"
               "call *%[site]\n\t"
               "leaq 128(%%rsp), %%rsp\n\t"
               : "=a"(Result), "+r"(RdiReg), "+r"(RsiReg), "+r"(RdxReg)
               : [site] "r"(Site)
               : "rcx", "r8", "r9", "r10", "r11", "memory", "cc");
  Rsi = RsiReg;
  Rdx = RdxReg;
}

/// The permissions /proc/self/maps shows for the mapping holding \p At.
std::string permissionsOf(const void *At) {
  auto Want = reinterpret_cast<uintptr_t>(At);
  FILE *Maps = std::fopen("/proc/self/maps", "r");
  if (!Maps)
    return "";
  char Line[512];
  std::string Found;
  while (std::fgets(Line, sizeof(Line), Maps)) {
    unsigned long Begin = 0, End = 0;
    char Perms[8] = {};
    if (std::sscanf(Line, "%lx-%lx %4s", &Begin, &End, Perms) == 3 &&
        Want >= Begin && Want < End)
      Found = Perms;
  }
  std::fclose(Maps);
  return Found;
}

/// Where the jmp written at \p Mov goes.
const uint8_t *jumpTarget(const uint8_t *Mov) {
  int32_t Rel;
  std::memcpy(&Rel, Mov + 1, 4);
  return Mov + 5 + Rel;
}

/// Counts the checks that failed, saying which on stderr (in a child,
/// whose exit status is the count).
struct Checker {
  int Failures = 0;
  void operator()(bool Ok, const char *What) {
    if (!Ok) {
      std::fprintf(stderr, "failed: %s\n", What);
      ++Failures;
    }
  }
};

/// Every check, with patches written through /proc/self/mem or by making
/// the pages writable for the while (\p ThroughMemory).
int checks(bool ThroughMemory) {
  Checker Check;
  uint8_t *Page = makeSites();
  if (!Page)
    return 100;
  long Parent = getppid(), Uid = getuid();
  SitePatch::configure(reinterpret_cast<uintptr_t>(Page),
                       reinterpret_cast<uintptr_t>(Page) + TextBytes,
                       /*PatchAt=*/1, ThroughMemory);
  if (TrapReflection::install() != 0 || TrapReflection::armThread() != 0)
    return 101;

  // Patched at the first trap, then no trap.
  unsigned long Traps = TrapReflection::reflected();
  Check(run(Page, SiteA) == Parent, "first call answers");
  Check(TrapReflection::reflected() == Traps + 1, "first call trapped");
  Check(SitePatch::sites() == 1, "one site patched");
  Check(Page[SiteA + 1] == 0xe9, "the mov became a jmp");
  Check(Page[SiteA + 6] == 0x0f && Page[SiteA + 7] == 0x05,
        "the syscall is still there");
  Traps = TrapReflection::reflected();
  unsigned long Calls = SitePatch::calls();
  for (int I = 0; I < 100; ++I)
    Check(run(Page, SiteA) == Parent, "patched call answers");
  Check(TrapReflection::reflected() == Traps, "patched calls do not trap");
  Check(SitePatch::calls() == Calls + 100, "patched calls counted");
  Check(permissionsOf(Page) == "r-xp", "the site's page is R-X again");
  Check(permissionsOf(jumpTarget(Page + SiteA + 1)) == "r-xp",
        "the stub's page is R-X");

  // A branch straight to the patched site's syscall still traps.
  Traps = TrapReflection::reflected();
  Check(run(Page, Branch) == Parent, "branch to the syscall answers");
  Check(TrapReflection::reflected() == Traps + 1, "branch to it traps");

  // Not sites: each keeps trapping, its bytes untouched.
  for (int I = 0; I < 2; ++I) {
    Check(run(Page, Prefixed) == Parent, "prefixed answers");
    Check(run(Page, NotListed) == K42NullMagic, "k42_null answers");
    Check(run(Page, Mismatch) == Uid, "mismatch answers");
    Check(run(Page, Outside) == Parent, "outside answers");
  }
  Check(Page[Prefixed] == 0xb8 && Page[Prefixed + 9] == 0xb8 &&
            Page[NotListed + 1] == 0xb8 && Page[Mismatch + 7] == 0xb8 &&
            Page[Outside + 1] == 0xb8,
        "non-sites untouched");
  Check(SitePatch::sites() == 1, "still one site patched");

  // Registers, flags and SSE state kept through the stub, as a system
  // call keeps them; the answer is fstat's.
  struct stat Native, Trapped, Patched;
  std::memset(&Trapped, 0, sizeof(Trapped));
  std::memset(&Patched, 0, sizeof(Patched));
  Check(fstat(1, &Native) == 0, "native fstat");
  Kept First = fstatKeeping(Page + Fstat, 1, &Trapped);
  Check(First.Result == 0 && First.Same, "trapped fstat keeps registers");
  Check(Page[Fstat + 1] == 0xe9, "fstat's site patched");
  Kept Second = fstatKeeping(Page + Fstat, 1, &Patched);
  Check(Second.Result == 0 && Second.Same, "patched fstat keeps registers");
  Check(Patched.st_ino == Native.st_ino && Trapped.st_ino == Native.st_ino,
        "fstat's answer");
  Kept Bad = fstatKeeping(Page + Fstat, 9999, &Patched);
  Check(Bad.Result == -EBADF && Bad.Same, "patched fstat's EBADF");

  // Register moves between mov and syscall run in the stub as in place.
  for (int I = 0; I < 3; ++I) {
    long Result = 0, Rsi = 0, Rdx = 0;
    callMoves(Page + Moves, 0x1234, Result, Rsi, Rdx);
    Check(Result == getpid() && Rsi == 0x1234 && Rdx == 7,
          "moves: answer and registers");
  }
  Check(Page[Moves + 1] == 0xe9, "moves: patched");
  Check(Page[Moves + 6] == 0x48 && Page[Moves + 9] == 0xba,
        "moves: left in place");
  long Pid = getpid();
  for (int I = 0; I < 2; ++I)
    Check(run(Page, AfterF2) == Pid, "after f2: answers");
  Check(Page[AfterF2 + 2] == 0xe9, "after f2: patched");
  Traps = TrapReflection::reflected();
  Check(run(Page, MemoryMove) == Pid, "memory move: answers");
  Check(run(Page, MemoryMove) == Pid, "memory move: answers again");
  Check(TrapReflection::reflected() == Traps + 2, "memory move: traps");
  Check(Page[MemoryMove + 1] == 0xb8, "memory move: not patched");

  // Not while another thread shares the memory; again in a fork child.
  SitePatch::sharingMemory();
  Check(run(Page, Later) == getpid(), "shared: answers");
  Check(Page[Later + 1] == 0xb8, "shared: not patched");
  SitePatch::forked();
  Check(run(Page, Later) == getpid(), "forked: answers");
  Check(Page[Later + 1] == 0xe9, "forked: patched");
  return Check.Failures;
}

void checkInChild(bool ThroughMemory) {
  // In a child, so that this process is never armed.
  pid_t Child = fork();
  ASSERT_GE(Child, 0);
  if (Child == 0)
    _exit(checks(ThroughMemory));
  int Status = 0;
  ASSERT_EQ(waitpid(Child, &Status, 0), Child);
  ASSERT_TRUE(WIFEXITED(Status)) << Status;
  EXPECT_EQ(WEXITSTATUS(Status), 0);
}

TEST(SitePatchTest, SitesArePatchedAndKeepAnswering) {
  checkInChild(/*ThroughMemory=*/true);
}

TEST(SitePatchTest, SitesArePatchedWithPagesMadeWritable) {
  checkInChild(/*ThroughMemory=*/false);
}

/// A build id for the tests' "libc".
const uint8_t TestId[20] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10,
                            11, 12, 13, 14, 15, 16, 17, 18, 19, 20};

/// Runs \p Body (returning its failures) in a child that this process
/// never is; its exit status.
template <typename BodyFn> int inChild(BodyFn Body) {
  pid_t Child = fork();
  if (Child == 0)
    _exit(Body());
  int Status = 0;
  if (Child < 0 || waitpid(Child, &Status, 0) != Child || !WIFEXITED(Status))
    return 200;
  return WEXITSTATUS(Status);
}

/// The record an image hands its exec after its traps patched SiteA,
/// Later and Moves (from a child, through \p Out).
int patchAndHandOn(std::string &Out) {
  int Pipe[2];
  if (pipe(Pipe) != 0)
    return 100;
  int Status = inChild([&] {
    uint8_t *Page = makeSites();
    if (!Page)
      return 100;
    SitePatch::configure(reinterpret_cast<uintptr_t>(Page),
                         reinterpret_cast<uintptr_t>(Page) + TextBytes,
                         /*PatchAt=*/1, /*ThroughMemory=*/true);
    SitePatch::identify(TestId, sizeof(TestId));
    if (TrapReflection::install() != 0 || TrapReflection::armThread() != 0)
      return 101;
    long Result, Rsi, Rdx;
    (void)run(Page, SiteA);
    (void)run(Page, Later);
    callMoves(Page + Moves, 1, Result, Rsi, Rdx);
    if (SitePatch::sites() != 3)
      return 102;
    char Record[16384];
    size_t Bytes = SitePatch::beforeExec(Record, sizeof(Record));
    return Bytes && write(Pipe[1], Record, Bytes) == ssize_t(Bytes) ? 0 : 103;
  });
  close(Pipe[1]);
  char Buf[16384];
  ssize_t Got = read(Pipe[0], Buf, sizeof(Buf));
  close(Pipe[0]);
  Out.assign(Buf, Got > 0 ? size_t(Got) : 0);
  return Status;
}

TEST(SitePatchTest, ExecCarriesThePatchedSitesToTheSameLibc) {
  std::string Record;
  ASSERT_EQ(patchAndHandOn(Record), 0);
  ASSERT_FALSE(Record.empty());
  // The next image: the same "libc" elsewhere, patched at start-up with
  // no trap; the sites no trap confirmed untouched.
  int Failures = inChild([&] {
    Checker Check;
    uint8_t *Page = makeSites();
    if (!Page)
      return 100;
    SitePatch::configure(reinterpret_cast<uintptr_t>(Page),
                         reinterpret_cast<uintptr_t>(Page) + TextBytes,
                         /*PatchAt=*/1, /*ThroughMemory=*/true);
    SitePatch::identify(TestId, sizeof(TestId));
    SitePatch::afterExec(Record.data(), Record.size());
    Check(SitePatch::carriedOver() == 3 && SitePatch::sites() == 3,
          "three sites carried over");
    Check(Page[SiteA + 1] == 0xe9 && Page[Later + 1] == 0xe9 &&
              Page[Moves + 1] == 0xe9,
          "the carried sites are jumps");
    Check(Page[Fstat + 1] == 0xb8 && Page[AfterF2 + 2] == 0xb8 &&
              Page[Prefixed] == 0xb8 && Page[NotListed + 1] == 0xb8,
          "no other site patched");
    Check(permissionsOf(Page) == "r-xp" &&
              permissionsOf(jumpTarget(Page + SiteA + 1)) == "r-xp",
          "the site's and the stub's pages are R-X");
    if (TrapReflection::install() != 0 || TrapReflection::armThread() != 0)
      return 101;
    // Asked before counting: libc's own getpid traps here.
    long Parent = getppid(), Pid = getpid();
    unsigned long Traps = TrapReflection::reflected();
    long First = run(Page, SiteA), Second = run(Page, Later);
    long Result = 0, Rsi = 0, Rdx = 0;
    callMoves(Page + Moves, 0x1234, Result, Rsi, Rdx);
    Check(TrapReflection::reflected() == Traps, "carried sites do not trap");
    Check(First == Parent, "carried site answers");
    Check(Second == Pid, "second carried site answers");
    Check(Result == Pid && Rsi == 0x1234 && Rdx == 7,
          "carried moves: answer and registers");
    // A later trap patches through the kept /proc/self/mem, in the same
    // trampoline page.
    struct stat St;
    Check(fstatKeeping(Page + Fstat, 1, &St).Result == 0, "fstat answers");
    Check(Page[Fstat + 1] == 0xe9 && SitePatch::sites() == 4,
          "a later site patched");
    Check((reinterpret_cast<uintptr_t>(jumpTarget(Page + Fstat + 1)) >> 12) ==
              (reinterpret_cast<uintptr_t>(jumpTarget(Page + SiteA + 1)) >> 12),
          "its stub beside the carried ones");
    // A fork child patches its own memory, not through the descriptor it
    // inherited (which writes its parent's).
    if (TrapReflection::disarmThread() != 0)
      return 102;
    int Child = inChild([&] {
      SitePatch::forked();
      if (TrapReflection::armThread() != 0)
        return 1;
      bool Ok = run(Page, AfterF2) == getpid() && Page[AfterF2 + 2] == 0xe9;
      return Ok ? 0 : 2;
    });
    Check(Child == 0, "the fork child patched its site");
    Check(Page[AfterF2 + 2] == 0xb8, "the parent's text untouched by it");
    // And what this image hands on has the four.
    char Next[16384];
    Check(SitePatch::beforeExec(Next, sizeof(Next)) > Record.size(),
          "the record grows");
    return Check.Failures;
  });
  EXPECT_EQ(Failures, 0);
}

TEST(SitePatchTest, ExecCarriesNothingToAnotherLibc) {
  std::string Record;
  ASSERT_EQ(patchAndHandOn(Record), 0);
  auto Next = [&](const uint8_t *Id, size_t IdBytes, size_t Text,
                  bool Changed) {
    return inChild([&] {
      uint8_t *Page = makeSites();
      if (!Page)
        return 100;
      if (Changed) {
        // SiteA's number is another call's now: not the site a trap saw.
        mprotect(Page, 4096, PROT_READ | PROT_WRITE);
        Page[SiteA + 2] = 102;
        mprotect(Page, 4096, PROT_READ | PROT_EXEC);
      }
      SitePatch::configure(reinterpret_cast<uintptr_t>(Page),
                           reinterpret_cast<uintptr_t>(Page) + Text, 1, true);
      SitePatch::identify(Id, IdBytes);
      SitePatch::afterExec(Record.data(), Record.size());
      if (Changed)
        return SitePatch::carriedOver() == 2 && Page[SiteA + 1] == 0xb8 &&
                       Page[Later + 1] == 0xe9
                   ? 0
                   : 1;
      return SitePatch::carriedOver() == 0 && Page[SiteA + 1] == 0xb8 &&
                     Page[Later + 1] == 0xb8 && Page[Moves + 1] == 0xb8
                 ? 0
                 : 1;
    });
  };
  uint8_t Other[20];
  std::memcpy(Other, TestId, sizeof(Other));
  Other[19] ^= 1;
  EXPECT_EQ(Next(Other, sizeof(Other), TextBytes, false), 0) << "another id";
  EXPECT_EQ(Next(TestId, 16, TextBytes, false), 0) << "a shorter id";
  EXPECT_EQ(Next(nullptr, 0, TextBytes, false), 0) << "no id";
  EXPECT_EQ(Next(TestId, sizeof(TestId), TextBytes - 16, false), 0)
      << "another text size";
  EXPECT_EQ(Next(TestId, sizeof(TestId), TextBytes, true), 0)
      << "a site changed";
  // A record cut short, or not one, patches nothing.
  int Cut = inChild([&] {
    uint8_t *Page = makeSites();
    if (!Page)
      return 100;
    SitePatch::configure(reinterpret_cast<uintptr_t>(Page),
                         reinterpret_cast<uintptr_t>(Page) + TextBytes, 1,
                         true);
    SitePatch::identify(TestId, sizeof(TestId));
    SitePatch::afterExec(Record.data(), Record.size() - 1);
    std::string Junk(Record.size(), 'x');
    SitePatch::afterExec(Junk.data(), Junk.size());
    return SitePatch::carriedOver() == 0 && Page[SiteA + 1] == 0xb8 ? 0 : 1;
  });
  EXPECT_EQ(Cut, 0);
}

TEST(SitePatchTest, ListKeepsFrameCallsTrapped) {
  for (long Number : std::initializer_list<long>{
           SYS_clone, SYS_clone3, SYS_fork, SYS_vfork, SYS_execve, SYS_execveat,
           SYS_exit, SYS_exit_group, SYS_rt_sigreturn, SYS_rt_sigsuspend,
           SYS_pause, SYS_rt_sigtimedwait, SYS_sigaltstack, 1024})
    EXPECT_FALSE(SitePatch::patchable(Number)) << Number;
  for (long Number : std::initializer_list<long>{
           SYS_openat, SYS_close, SYS_newfstatat, SYS_mmap, SYS_statx,
           SYS_lgetxattr, SYS_getdents64, SYS_getpid, SYS_rt_sigaction,
           SYS_rt_sigprocmask, SYS_wait4, SYS_waitid, SYS_read})
    EXPECT_TRUE(SitePatch::patchable(Number)) << Number;
}

/// read(\p Fd, \p Buf, \p Bytes) through the function at \p At.
long readThrough(const uint8_t *At, int Fd, char *Buf, long Bytes) {
  auto *Fn = reinterpret_cast<long (*)(long, char *, long)>(
      reinterpret_cast<uintptr_t>(At));
  return Fn(Fd, Buf, Bytes);
}

/// Sets the hand-made read's single-threaded flag to \p Value.
void setFlag(uint8_t *Page, uint8_t Value) {
  mprotect(Page, 4096, PROT_READ | PROT_WRITE);
  Page[Flag] = Value;
  mprotect(Page, 4096, PROT_READ | PROT_EXEC);
}

/// The hand-made sites as this image's "libc", its read functions told
/// (patched at the first trap, carried under TestId); null if they could
/// not be made.
uint8_t *readSites() {
  uint8_t *Page = makeSites();
  if (!Page)
    return nullptr;
  SitePatch::configure(reinterpret_cast<uintptr_t>(Page),
                       reinterpret_cast<uintptr_t>(Page) + TextBytes,
                       /*PatchAt=*/1, /*ThroughMemory=*/true);
  SitePatch::identify(TestId, sizeof(TestId));
  SitePatch::readEntries(reinterpret_cast<uintptr_t>(Page + ReadStart),
                         reinterpret_cast<uintptr_t>(Page + ReadBare));
  return Page;
}

/// Arms this thread and makes a pipe holding \p Text in \p Data: 0, or
/// the child's exit status for what failed.
int armReading(int (&Data)[2], const char *Text) {
  if (TrapReflection::install() != 0 || TrapReflection::armThread() != 0)
    return 101;
  ssize_t Bytes = ssize_t(std::strlen(Text));
  return pipe(Data) == 0 && write(Data[1], Text, size_t(Bytes)) == Bytes ? 0
                                                                         : 102;
}

TEST(SitePatchTest, ReadStartsArePatched) {
  int Pipe[2];
  ASSERT_EQ(pipe(Pipe), 0);
  std::string Record;
  int Failures = inChild([&] {
    Checker Check;
    uint8_t *Page = readSites();
    if (!Page)
      return 100;
    int Data[2];
    if (int Error = armReading(Data, "abcdefghijkl"))
      return Error;
    char Buf[4] = {};
    // read's start: patched at its (first) trap, then a direct branch;
    // the rest of its cmpb and the syscall left in place.
    unsigned long Traps = TrapReflection::reflected();
    Check(readThrough(Page + ReadStart, Data[0], Buf, 2) == 2 &&
              std::memcmp(Buf, "ab", 2) == 0,
          "read: first call reads");
    Check(TrapReflection::reflected() == Traps + 1, "read: first call traps");
    Check(Page[ReadStart] == 0xe9 && Page[ReadStart + 6] == 0x00 &&
              Page[ReadStart + 9] == 0x31 && Page[ReadStart + 11] == 0x0f,
          "read: its start became a jump, the rest in place");
    Traps = TrapReflection::reflected();
    Check(readThrough(Page + ReadStart, Data[0], Buf, 2) == 2 &&
              std::memcmp(Buf, "cd", 2) == 0,
          "read: patched call reads");
    Check(readThrough(Page + ReadStart, 9999, Buf, 2) == Failed,
          "read: an error takes the ja after the syscall");
    Check(TrapReflection::reflected() == Traps, "read: patched calls no trap");
    // __read_nocancel: never patched while the image runs, only noted.
    Traps = TrapReflection::reflected();
    for (int I = 0; I < 2; ++I)
      Check(readThrough(Page + ReadBare, Data[0], Buf, 2) == 2,
            "nocancel: reads");
    Check(TrapReflection::reflected() == Traps + 2, "nocancel: traps");
    Check(Page[ReadBare] == 0x31, "nocancel: not patched while running");
    Check(readThrough(Page + ReadBare, 9999, Buf, 2) == Failed,
          "nocancel: an error takes the ja");
    // The flag's mprotects trap (the real libc is not "libc" here), and
    // stop patching (they change "libc"'s protection): last.
    setFlag(Page, 0);
    Traps = TrapReflection::reflected();
    Check(readThrough(Page + ReadStart, Data[0], Buf, 2) == Cancellable,
          "read: the stub's je takes the cancellable path");
    Check(TrapReflection::reflected() == Traps, "read: the je no trap");
    setFlag(Page, 1);
    char Out[16384];
    size_t Bytes = SitePatch::beforeExec(Out, sizeof(Out));
    Check(Bytes > 0 && write(Pipe[1], Out, Bytes) == ssize_t(Bytes),
          "both handed on");
    return Check.Failures;
  });
  close(Pipe[1]);
  char Buf[16384];
  ssize_t Got = read(Pipe[0], Buf, sizeof(Buf));
  close(Pipe[0]);
  ASSERT_EQ(Failures, 0);
  ASSERT_GT(Got, 0);
  Record.assign(Buf, size_t(Got));
  // The next image patches both at start-up; neither traps.
  Failures = inChild([&] {
    Checker Check;
    uint8_t *Page = readSites();
    if (!Page)
      return 100;
    SitePatch::afterExec(Record.data(), Record.size());
    Check(SitePatch::carriedOver() == 2, "two carried over");
    Check(Page[ReadStart] == 0xe9 && Page[ReadBare] == 0xe9,
          "both starts are jumps");
    int Data[2];
    if (int Error = armReading(Data, "abcdefgh"))
      return Error;
    char Buf[4] = {};
    unsigned long Traps = TrapReflection::reflected();
    Check(readThrough(Page + ReadBare, Data[0], Buf, 2) == 2 &&
              std::memcmp(Buf, "ab", 2) == 0,
          "nocancel: carried, reads");
    Check(readThrough(Page + ReadBare, 9999, Buf, 2) == Failed,
          "nocancel: carried, an error takes the ja");
    Check(readThrough(Page + ReadStart, Data[0], Buf, 2) == 2 &&
              std::memcmp(Buf, "cd", 2) == 0,
          "read: carried, reads");
    Check(TrapReflection::reflected() == Traps, "carried: no trap");
    return Check.Failures;
  });
  EXPECT_EQ(Failures, 0);
}

} // namespace
