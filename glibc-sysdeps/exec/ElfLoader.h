//===- glibc-sysdeps/exec/ElfLoader.h - Static programs -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Loads a static program into the running process and enters it with the
/// process already armed: the one way a static program's system calls are
/// trapped, since a host exec clears Syscall User Dispatch and a static
/// program has no loader to preload into. This is the paper's exec.so
/// overlay, for now only for static programs (k42-exec).
///
//===----------------------------------------------------------------------===//

#ifndef K42_GLIBC_SYSDEPS_EXEC_ELFLOADER_H
#define K42_GLIBC_SYSDEPS_EXEC_ELFLOADER_H

#include <cstdint>
#include <string>

namespace k42::personality {

/// What a program file is, as far as starting it goes.
enum class ProgramKind { Static, Dynamic, Other };

/// A static program mapped into this process, ready to enter.
class ElfLoader {
public:
  /// What kind of program \p Path is (Other: not an x86_64 ELF program, a
  /// script, or unreadable; the host execs those).
  static ProgramKind classify(const std::string &Path);

  /// Maps the static program at \p Path; 0 or a negated errno, with
  /// \p Error saying what went wrong.
  long load(const std::string &Path, std::string &Error);

  /// Builds the program's initial stack (argc, argv, envp, auxv) on a new
  /// 8 MiB stack; its stack pointer, or 0 without memory.
  uintptr_t buildStack(int Argc, char **Argv, char **Envp,
                       const std::string &Path);

  /// Jumps to the program's entry with the stack at \p Sp, as the kernel
  /// starts a program; never returns. Call after arming, with nothing left
  /// to do in this process: the program takes over %fs and the heap.
  [[noreturn]] void enter(uintptr_t Sp);

private:
  uintptr_t Entry = 0;
  uintptr_t Phdr = 0;
  unsigned Phnum = 0;
};

} // namespace k42::personality

#endif // K42_GLIBC_SYSDEPS_EXEC_ELFLOADER_H
