//===- k42/personality/SitePatch.h - Trapped sites made branches -*- C++
//-*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Fewer traps for the calls glibc makes itself. Trap reflection costs a
/// signal delivery and an rt_sigreturn per call, and glibc's internal
/// calls (its __open_nocancel, getdents64 for readdir, fstatat, mmap for
/// malloc, statx, the xattr getters) come from few sites, each hit many
/// times. So, as gVisor's systrap does, a site in libc.so.6's text that is
/// `mov $nr, %eax` (then at most some register moves) and the `syscall`
/// has its five-byte mov rewritten, at its third trap, into a `jmp rel32`
/// to a stub of its own in a page near libc; the stub calls the transfer
/// table as a direct branch does and jumps back past the `syscall`, which
/// stays in place (a branch straight to it still traps, as it must: eax
/// was set elsewhere). read, call 0 set by a two-byte xor, has its sites at
/// the starts of glibc's read and __read_nocancel (readEntries).
///
/// Only numbers whose handlers need no trap frame are patched (the list
/// and the reasons for what it leaves out are in SitePatch.cpp), only while
/// the process runs one thread (rewriting code another thread may be
/// executing needs cross-modification care this does not take), and only
/// in a dynamic program's libc (the preloaded library says where it is;
/// static programs keep trapping). K42_NO_SITE_PATCH=1 turns it off.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_SITEPATCH_H
#define K42_PERSONALITY_SITEPATCH_H

#include "k42/personality/Syscall.h"

#include <cstddef>
#include <cstdint>

namespace k42::personality {

/// The patcher of trapped sites and its counts, one per process.
class SitePatch {
public:
  /// A site is patched at its third trap: a patch costs its page's copy
  /// and a few host calls, about ten traps' worth, and most sites a
  /// short-lived program meets trap once or twice (one SDET script: 587
  /// of its processes' 1,357 sites trapped once, 303 twice, 310 ten times
  /// or more).
  static constexpr unsigned DefaultPatchAt = 3;

  /// Patches sites in [\p TextBegin, \p TextEnd) (libc's executable
  /// segment) from now on, each at its \p PatchAt-th trap; nothing before
  /// this is called. Called once at start-up, before the process is armed.
  /// \p ThroughMemory: patches are written through /proc/self/mem where the
  /// host allows it (pages never writable, no mprotect); false makes the
  /// pages writable for each write instead, as where the host does not
  /// allow it (tests).
  static void configure(uintptr_t TextBegin, uintptr_t TextEnd,
                        unsigned PatchAt = DefaultPatchAt,
                        bool ThroughMemory = true);

  /// From the SIGSYS handler, before the call is dispatched: \p Call
  /// trapped with rip \p Rip (just past its `syscall`). Patches the site
  /// when it is one; the trapped call itself goes on as usual.
  static void trapped(const SyscallCall &Call, uintptr_t Rip);

  /// glibc's two read functions, \p Read (read) and \p ReadNoCancel
  /// (__read_nocancel), found by their symbols; 0 for one not found. read
  /// is call 0, set by `xor %eax, %eax` (two bytes): no five-byte mov to
  /// rewrite, so their sites are their starts, where the bytes are as
  /// this knows them (SitePatch.cpp): read's at its third trap, as other
  /// sites; __read_nocancel's only at an image's start-up, from the sites
  /// an exec carried (its first five bytes hold two instructions, between
  /// which a signal may have stopped the program). Called at start-up with
  /// configure().
  static void readEntries(uintptr_t Read, uintptr_t ReadNoCancel);

  /// Whether calls \p Number may run by direct branch from any site in
  /// glibc: their handlers never look at a trap frame.
  static bool patchable(long Number);

  /// Another thread of execution now shares this memory (a thread, or a
  /// CLONE_VM child that is not a vfork): no more patching in it.
  static void sharingMemory();

  /// In a fork child: one thread again, so patching may go on.
  static void forked();

  /// The most bytes of a GNU build id identify() keeps (SHA-1's 20 are
  /// usual).
  static constexpr size_t MaxIdBytes = 32;

  /// libc's GNU build id (\p Bytes of \p Id; none: nothing is carried
  /// across exec): the sites an exec hands on are patched at start-up only
  /// in the same build of libc, where their offsets are the same code.
  /// Called at start-up with configure().
  static void identify(const uint8_t *Id, size_t Bytes);

  /// For execve (FileState's exec state): this image's patched sites
  /// (offsets in libc's text and numbers) into \p Out, at most \p Room
  /// bytes; how many (0: none to hand on). Every image of a script's
  /// processes otherwise trapped again at the sites its parent image had
  /// patched (2,840 traps an SDET script).
  static size_t beforeExec(void *Out, size_t Room);

  /// At start-up, after configure() and identify(), before the process is
  /// armed: patches the sites of \p Bytes of \p In (beforeExec's, from
  /// the image that exec'd this one) in one pass, if libc is the same
  /// build and each is still exactly a site findSite takes. Nothing else
  /// is patched, nothing if the record is not one.
  static void afterExec(const void *In, size_t Bytes);

  /// Sites patched in this process (a fork child counts its parent's).
  static unsigned long sites();

  /// Of sites(), those afterExec() patched.
  static unsigned long carriedOver();

  /// Calls made through patched sites in this process.
  static unsigned long calls();
};

} // namespace k42::personality

extern "C" {
/// The stubs' common entry (trap/x86_64/SiteEntry.S): saves what a system
/// call preserves, calls k42_site_call, restores, returns to the stub.
extern char k42_site_entry[];
}

#endif // K42_PERSONALITY_SITEPATCH_H
