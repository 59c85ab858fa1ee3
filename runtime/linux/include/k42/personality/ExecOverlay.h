//===- k42/personality/ExecOverlay.h - execve in user space ----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The FREENIX 2003 paper's exec in user space: the personality replaces
/// the process's image itself, without a host execve, where it can do so
/// exactly as Linux would (README.md, "Exec in user space"). Everything
/// that can fail is done before the point of no return; any doubt leaves
/// the exec to the host, never half done.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_EXECOVERLAY_H
#define K42_PERSONALITY_EXECOVERLAY_H

#include <cstdint>

#include <ucontext.h>

namespace k42::personality {

/// The overlay of one exec, and the process-wide switches that allow it.
class ExecOverlay {
public:
  /// What replace() answers when it gives the exec back (besides an
  /// errno).
  static constexpr long HostExec = 0;
  static constexpr long StaticProgram = 1;
  static constexpr long NotExamined = 2;

  /// At start, before the process is armed (libk42linux.so only: a static
  /// program k42-exec loaded owns the memory the overlay would have to
  /// reason about, so its execs stay the host's). \p HostExec: the value
  /// of K42_HOST_EXEC ("1" forces the host exec); \p Log: K42_LINUX_LOG,
  /// so that overlays and fallbacks are logged only where one was asked;
  /// \p MapsText: K42_EXEC_MAPS_TEXT ("1" reads the layout from the text
  /// of /proc/self/maps where PROCMAP_QUERY would answer, as on a kernel
  /// before 6.11: what tests that path).
  static void configure(const char *HostExec, const char *Log,
                        const char *MapsText);

  /// Another process (not a vfork child, which waits) now shares this
  /// memory: replacing it would pull it from under that process, so from
  /// now on every exec of this one is the host's.
  static void memoryShared();

  /// The program set \p Signal's action to \p Action (rt_sigaction,
  /// SIGSYS, SIGSEGV and SIGBUS aside). Exec finds caught and ignored
  /// signals in /proc/self/status, but a default action's flags, mask and
  /// restorer (glibc sets SA_RESTORER on every action), which exec clears
  /// too, only here: such signals are reset as well.
  static void actionSet(long Signal, uint64_t Handler, uint64_t Flags,
                        uint64_t Mask, uint64_t Restorer);

  /// A timer_create is made: the process may hold POSIX timers, which
  /// exec deletes (found in /proc/self/timers).
  static void timerMade();

  /// This process is a fork child: it holds no POSIX timer of its
  /// parent's (fork does not copy them), so an exec need not look for
  /// any unless it makes one (timerMade). A new image may hold timers its
  /// code made before the personality armed: it looks.
  static void forked();

  /// Whether \p Pid is a child of this process that has exec'd since it
  /// was forked (its auxv is no longer this process's). The host knows
  /// of host execs only (setpgid's EACCES): an overlaid child is still
  /// the fork child it was, for the host.
  static bool childExeced(long Pid);

  /// Replaces the process's image with the program at \p HostPath (a path
  /// the host opens, the caller's or the personality's), arguments \p Argv
  /// and environment \p Envp (the caller's pointers), as execve does.
  /// \p ExecFn: the path the caller named (AT_EXECFN and the process's
  /// name). \p K42Only: the file is a copy of a file only K42 has, whose
  /// execute permission K42 answers. \p Trap: the trapped call's frame
  /// (the program's signal mask), null for a direct branch. Returns only
  /// when there is no new image to give: execve's error (a negated errno:
  /// the program or its interpreter missing or not executable), or why
  /// the caller is to ask the host: HostExec when the overlay would not be
  /// exact (why is logged), StaticProgram for a static program at a fixed
  /// address (k42-exec loads it: the file was read here, so the caller
  /// need not read it again), NotExamined when the overlay gave up before
  /// reading the file (the caller looks for a static program itself).
  /// \p Loader: the file is k42-exec, about to load a static program; it
  /// is static-pie itself (so that no library of its own is mapped beside
  /// the program it loads), and is mapped with no interpreter.
  static long replace(long HostPath, long ExecFn, long Argv, long Envp,
                      const ucontext_t *Trap, bool K42Only,
                      bool Loader = false);
};

} // namespace k42::personality

#endif // K42_PERSONALITY_EXECOVERLAY_H
