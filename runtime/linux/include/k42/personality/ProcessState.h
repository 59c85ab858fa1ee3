//===- k42/personality/ProcessState.h - This process, K42's view -*- C++
//-*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// What the personality knows about its own process, kept in the process
/// (the paper's model: process state lives in the application's address
/// space). For now that is the pid and where k42-exec is; the Linux process
/// server will supply K42 pids and parents in a later step.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_PROCESSSTATE_H
#define K42_PERSONALITY_PROCESSSTATE_H

namespace k42::personality {

/// The process's own state; one per process, set up before it is armed.
class ProcessState {
public:
  /// Records the process's pid and \p LoaderPath (k42-exec, which starts
  /// static programs so they are trapped too; null when unknown).
  static void start(const char *LoaderPath);

  /// The new child of a fork learns its own pid.
  static void forked();

  /// At the start of execve, its handler's frame ending at \p Top: in a
  /// fork child's first exec, the stack pages the exec path's frames will
  /// write (path buffers of KiBs each: ExecPathStackBytes below \p Top)
  /// are its parent's, shared until written, or not there yet, a page
  /// fault each at its first write; one populate makes them the child's
  /// at once. Nothing elsewhere (the pages are already the process's).
  static void beforeExecPath(const void *Top);
  /// How deep below execve's frame the exec path writes: 29 KiB at
  /// ac11c41 (a fork child of bash exec'ing /bin/true on hostfs: the path
  /// buffers of execve and resolve, ProcessBridge's connection), so 32 KiB
  /// below \p Top's page covers it wherever \p Top lies in its page.
  static constexpr unsigned long ExecPathStackBytes = 32 * 1024;

  /// The pid of the process this one was forked from, while it has not
  /// exec'd (0 otherwise): getppid answers it without a server call for
  /// as long as the host says that process is still the parent.
  static long forkParent();

  /// The process's pid as K42 answers getpid (the host's, for now).
  static long pid();

  /// k42-exec's path, or null.
  static const char *loaderPath();

  /// Records \p Path, absolute, as the program k42-exec loaded into this
  /// process (a static program): the host's /proc/self/exe names k42-exec
  /// itself, so the personality answers for it. Cleared by start().
  static void setProgram(const char *Path);

  /// The program recorded by setProgram() when \p UserPath, the program's
  /// pointer, names this process's own executable (DevFd::namesOwnExe:
  /// /proc/self/exe, /proc/thread-self/exe, /proc/<own pid>/exe or a
  /// thread's); null otherwise (a dynamic program's /proc/self/exe is
  /// already its own).
  static const char *programAt(long UserPath);
  /// Whether setProgram() recorded a program: one only K42 has, run from
  /// a memfd copy, or a static one k42-exec loaded.
  static bool runsK42Program();

  /// Before a clone with CLONE_VM and without CLONE_THREAD (posix_spawn's
  /// child, a CLONE_VM clone of a program's own): another process is about
  /// to run in this memory, where pid() is not its pid. \p Flags are the
  /// clone's.
  static void sharingMemory(long Flags);
  /// After that clone answered \p Child: with CLONE_VFORK (or a failed
  /// clone) the other process is no longer running in this memory.
  static void sharedMemory(long Flags, long Child);
  /// Whether the caller is this process itself, not a process running in
  /// its memory (sharingMemory()): a load, and a host getpid only while
  /// such a process may be running. The personality asks before it uses
  /// connections or descriptors only this process holds.
  static bool callerIsThisProcess();
  /// Whether another process may be running in this memory now
  /// (sharingMemory() said so, sharedMemory() not yet): a load.
  static bool memoryShared();
};

} // namespace k42::personality

#endif // K42_PERSONALITY_PROCESSSTATE_H
