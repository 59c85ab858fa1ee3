//===- k42/personality/Handlers.h - The K42-served system calls -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// One declaration per K42 entry of syscalls.def, made from the file itself,
/// so an entry marked K42 without a handler fails to link and a handler
/// without an entry is never called. The handlers live in runtime/linux/
/// (ProcessCalls, SignalCalls, CloneCalls, ExecCalls); each keeps the
/// kernel's name, as K42 kept Linux's.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_HANDLERS_H
#define K42_PERSONALITY_HANDLERS_H

#include "k42/personality/Syscall.h"

namespace k42::personality::sys {

// K42_DECLARE_<Disposition> names a macro applied to (Name): a declaration
// for K42 entries, nothing for the others.
#define K42_DECLARE_HANDLER(Name) long Name(SyscallCall &Call);
#define K42_DECLARE_NOTHING(Name)
#define K42_DECLARE_K42 K42_DECLARE_HANDLER
#define K42_DECLARE_HOST K42_DECLARE_NOTHING
#define K42_DECLARE_NOSYS(Errno) K42_DECLARE_NOTHING
#define K42_SYSCALL(Number, Name, Args, Disposition)                           \
  K42_DECLARE_##Disposition(Name)
#include "syscalls.def"
#undef K42_SYSCALL
#undef K42_DECLARE_NOSYS
#undef K42_DECLARE_HOST
#undef K42_DECLARE_K42
#undef K42_DECLARE_NOTHING
#undef K42_DECLARE_HANDLER

} // namespace k42::personality::sys

#endif // K42_PERSONALITY_HANDLERS_H
