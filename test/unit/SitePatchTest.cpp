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
// memory is shared, again after fork; the pages are R-X afterwards.
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
constexpr size_t TextBytes = 0x100;
constexpr size_t Outside = 0x100; // nop; mov $getppid, %eax; syscall; ret

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

/// Every check, with patches written through /proc/self/mem or by making
/// the pages writable for the while (\p ThroughMemory).
int checks(bool ThroughMemory) {
  int Failures = 0;
  auto Check = [&](bool Ok, const char *What) {
    if (!Ok) {
      std::fprintf(stderr, "failed: %s\n", What);
      ++Failures;
    }
  };
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
  return Failures;
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

TEST(SitePatchTest, ListKeepsFrameCallsTrapped) {
  for (long Number : std::initializer_list<long>{
           SYS_clone, SYS_clone3, SYS_fork, SYS_vfork, SYS_execve, SYS_execveat,
           SYS_exit, SYS_exit_group, SYS_rt_sigreturn, SYS_rt_sigprocmask,
           SYS_rt_sigsuspend, SYS_pause, SYS_rt_sigtimedwait, SYS_sigaltstack,
           1024})
    EXPECT_FALSE(SitePatch::patchable(Number)) << Number;
  for (long Number : std::initializer_list<long>{
           SYS_openat, SYS_close, SYS_newfstatat, SYS_mmap, SYS_statx,
           SYS_lgetxattr, SYS_getdents64, SYS_getpid, SYS_rt_sigaction})
    EXPECT_TRUE(SitePatch::patchable(Number)) << Number;
}

} // namespace
