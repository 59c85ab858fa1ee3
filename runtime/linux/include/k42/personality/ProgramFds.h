//===- k42/personality/ProgramFds.h - The program's high numbers -*- C++
//-*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The personality keeps host descriptors of its own from 1000 up
/// (KernelConnection::FirstPrivateFd): the kernel socket, channels' memfds,
/// lock files, the exec state. A program that holds more than about a
/// thousand descriptors is given numbers there too, by the host, between
/// and above them, and a program may dup2 onto any number below its limit.
/// Those numbers are the program's, to use, close and hand on as on Linux;
/// the personality's own must stay out of its reach.
///
/// So each number from 1000 up that the host makes for the program is
/// marked here (a bit each), and one that is open and not marked is the
/// personality's. A number the marks miss is only refused (EBADF, as
/// before there were marks): the program can never close or replace one of
/// the personality's descriptors through a mark that should not be there,
/// since a mark is cleared before its descriptor's close reaches the host.
///
/// The marks are the process's memory: a fork child has its parent's, and
/// an exec hands on those whose descriptors stay open (not close-on-exec)
/// in the exec state. A posix_spawn child, which runs in its parent's
/// memory, leaves them as they are (its descriptors are not its parent's).
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_PROGRAMFDS_H
#define K42_PERSONALITY_PROGRAMFDS_H

#include "k42/personality/KernelConnection.h"

#include <cstddef>
#include <cstdint>

namespace k42::personality {

/// The numbers from KernelConnection::FirstPrivateFd up that are the
/// program's descriptors, not the personality's.
class ProgramFds {
public:
  /// The first number the marks are about; every lower one is the
  /// program's.
  static constexpr long First = KernelConnection::FirstPrivateFd;
  /// How many numbers from First the marks cover (past them: never the
  /// program's, so refused as before).
  static constexpr long Covered = long(1) << 20;

  /// \p Fd (a new descriptor, or an error) is the program's: the host has
  /// just made it for the program. Below First, an error, or in a
  /// posix_spawn child: nothing.
  static void gained(long Fd);

  /// The numbers every exec puts the personality's state at (the pipe
  /// ends' state 1007, a K42 program's copy 1008, the exec state 1009):
  /// never the program's, or its descriptor there would be lost at its
  /// next exec. A dup2 onto one is EBUSY (as onto the personality's own).
  static constexpr long FirstExecFd = 1007, LastExecFd = 1009;
  static bool isExecFd(long Fd) {
    return Fd >= FirstExecFd && Fd <= LastExecFd;
  }

  /// A copy of host descriptor \p Fd at the lowest free number past the
  /// exec's, with its close-on-exec flag; or a negated errno. The caller
  /// closes \p Fd (and moves what the tables hold at it).
  static long copyPastExecFds(long Fd);

  /// \p Fd, a new host descriptor of the program's (an error is passed
  /// on): at one of the exec's numbers, moved to the lowest free number
  /// past them, its close-on-exec flag kept (the program cannot tell: the
  /// host only promises the lowest free number below 1000, in practice);
  /// marked the program's (gained()). The number the program gets.
  static long place(long Fd);

  /// The program closes \p Fd: its mark goes first, before the host's
  /// close, so that a number the host gives out again meanwhile is marked
  /// by the thread that gets it.
  static void lost(long Fd);

  /// The personality has started in this image (FileState::start): from
  /// then on the marks say whose a number is. Before, every number is
  /// taken as the program's: k42-exec's own calls through the preloaded
  /// library's wrappers (a read of the program it is about to load, at a
  /// number from 1000 up when it inherited that many) are its own.
  static void started();

  /// Whether \p Fd may be the program's: below First, or marked (any
  /// number before started()).
  static bool holds(long Fd);

  /// Whether \p Fd is one of the personality's own descriptors: from
  /// First up, open on the host, and not marked. One fcntl when unmarked.
  static bool isPrivate(long Fd);

  /// Calls \p Each(Fd) for every marked number from \p Low to \p High
  /// (inclusive), lowest first; a word of marks at a time, and none past
  /// the highest number ever marked (no process without one reads any).
  template <typename Fn> static void forEach(long Low, long High, Fn &&Each);

  /// Writes the marked numbers whose descriptors an exec keeps (not
  /// close-on-exec) into \p Out, at most \p Max of them; how many. A
  /// posix_spawn child's are those its own descriptors keep.
  static size_t beforeExec(int32_t *Out, size_t Max);

  /// The new image takes the \p Count numbers the exec handed on.
  static void afterExec(const int32_t *In, size_t Count);

  /// The environment variable k42-exec names the descriptors from First up
  /// with that the program had before it came into K42 (its caller's,
  /// opened outside any system): the pid of the process that runs the
  /// program, a colon, decimal numbers comma-separated.
  static constexpr char InheritedName[] = "K42_PROGRAM_FDS";

  /// Marks the numbers \p Environment's InheritedName lists, if it names
  /// this process, and takes the entry out, so the program sees the
  /// environment it was started with (and its own execs do not pass it
  /// on). The first image inside K42 calls this at start.
  static void inherit(char **Environment);

  /// Whether \p Call, about to reach the host, names one of the
  /// personality's own descriptors as a descriptor argument (EBADF for
  /// the program: none of them is open to it). The calls that take
  /// descriptors, each argument that is one; a compare each below First.
  static bool namesPrivate(long Number, const long *Arg);

private:
  static bool marked(long Fd);
  static uint64_t word(size_t Index);
  /// One past the highest number ever marked (First: none).
  static long top();
};

template <typename Fn>
void ProgramFds::forEach(long Low, long High, Fn &&Each) {
  if (Low < First)
    Low = First;
  if (long Top = top(); High >= Top)
    High = Top - 1;
  for (long Fd = Low; Fd <= High;) {
    size_t Bit = size_t(Fd - First);
    uint64_t Bits = word(Bit / 64) >> (Bit % 64);
    if (!Bits) {
      Fd += long(64 - Bit % 64);
      continue;
    }
    Fd += __builtin_ctzll(Bits);
    if (Fd <= High)
      Each(Fd);
    ++Fd;
  }
}

} // namespace k42::personality

#endif // K42_PERSONALITY_PROGRAMFDS_H
