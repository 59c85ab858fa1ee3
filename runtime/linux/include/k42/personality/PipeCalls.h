//===- k42/personality/PipeCalls.h - K42 pipes in the process --*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// What the descriptor calls do with a K42 pipe end (FileCalls.cpp asks
/// PipeTable first and comes here), and the pipe's state across exec.
/// Reads and writes copy between the caller and the shared ring under the
/// ring's lock and sleep on its futex: no server call on the data path.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_PIPECALLS_H
#define K42_PERSONALITY_PIPECALLS_H

#include "k42/personality/PipeTable.h"
#include "k42/personality/SpawnView.h"

#include <cstddef>
#include <cstdint>

namespace k42::personality {

/// The pipe side of the descriptor calls. Each returns the kernel's
/// convention (a value or a negated errno).
class PipeCalls {
public:
  /// The pipe end at \p Fd; in a posix_spawn child, as its view has it.
  /// A look only (is it a pipe?): a call that uses the end holds it
  /// (HeldPipe), since another thread may close \p Fd meanwhile.
  static PipeEnd *get(long Fd) {
    if (SpawnView *V = SpawnView::current())
      return V->pipe(Fd);
    return PipeTable::process().get(Fd);
  }

  /// read of pipe end \p End; \p NonBlock: as if the end were O_NONBLOCK
  /// for this call alone (splice's SPLICE_F_NONBLOCK).
  static long read(PipeEnd &End, void *Buffer, size_t Count,
                   bool NonBlock = false);
  /// write and writev of pipe end \p End at descriptor \p Fd (its
  /// placeholder, which ChildEnded's check looks at); \p NonBlock as for
  /// read.
  static long write(long Fd, PipeEnd &End, const void *Buffer, size_t Count,
                    bool NonBlock = false);
  /// readv and writev; \p NonBlock: as if the end were O_NONBLOCK for
  /// this call alone (preadv2's and pwritev2's RWF_NOWAIT).
  static long readv(PipeEnd &End, long Iov, long Count, bool NonBlock = false);
  static long writev(long Fd, PipeEnd &End, long Iov, long Count,
                     bool NonBlock = false);
  /// The bytes write end \p End's pipe has room for now (0: full), or
  /// EBADF for a read end: what a splice that must not wait may move.
  static long space(PipeEnd &End);
  /// tee(2) from read end \p In to write end \p Out of another pipe: up
  /// to \p Count of the bytes \p In holds copied into \p Out, none taken
  /// from \p In. Waits for bytes and for room unless \p NonBlock (or an
  /// end's O_NONBLOCK): EAGAIN; 0 when \p In is empty with no writer;
  /// EPIPE (and SIGPIPE) when \p Out has no reader; EINVAL for one pipe.
  static long tee(PipeEnd &In, PipeEnd &Out, size_t Count, bool NonBlock);
  /// A child of this process ended (wait4, waitid). A child that ran
  /// without the personality (ld.so before it arms: ldd's list, its
  /// errors) wrote into a pipe end's placeholder, and the pipe server
  /// moves those bytes into the ring on its own time: this process's next
  /// write to each end first waits until they are in, so it does not
  /// overtake them (ldd's own `printf x` after its child's list did). One
  /// load a write until a child ends; then one host call a write end.
  static void childEnded();
  /// Before descriptor \p Fd of \p End goes (close, or dup2 onto it),
  /// where more than the caller's \p Ours references hold the end (another
  /// descriptor of it, or a call under way: another thread blocked in a
  /// read): a private copy of the placeholder, the pipe server's view of
  /// the end, is kept until the end's last holder lets go (release()).
  /// Linux keeps the file for the call, so a writer still has a reader
  /// and the read gets the bytes; before, the writer got EPIPE and the
  /// reader waited for ever (battery 41). One copy an end; none in a
  /// posix_spawn child.
  static void keepForCalls(long Fd, PipeEnd &End, uint32_t Ours);
  /// The pipe end at \p Fd with a reference the caller drops with
  /// release() (HeldPipe does both); null for another descriptor.
  static PipeEnd *hold(long Fd) {
    if (SpawnView *V = SpawnView::current())
      return V->holdPipe(Fd);
    return PipeTable::process().hold(Fd, release);
  }
  /// Drops a reference to \p End (a descriptor's, or a call's: HeldPipe);
  /// the last detaches the ring and gives the end back to the pool.
  static void release(PipeEnd *End);
  /// close(\p Fd) when it is a pipe end (the host placeholder included).
  /// Not in a posix_spawn child: FileCalls changes its view.
  static long close(long Fd);
  /// fstat (statx if \p Statx) of pipe descriptor \p Fd into \p User: a
  /// FIFO, as Linux says of a pipe.
  static long fstat(long Fd, long User, bool Statx);
  /// F_GETFL, F_SETFL, F_GETPIPE_SZ, F_SETPIPE_SZ; ENOSYS for the commands
  /// the placeholder answers (F_GETFD, F_SETFD, the dups).
  static long fcntl(PipeEnd &End, long Command, long Arg);

  /// open of /dev/fd/N (/proc/self/fd/N...) where \p Fd (N) is a pipe
  /// end: a new open file description of the same pipe with its own
  /// status flags, reading and/or writing as \p Flags' access mode says
  /// (through /proc Linux lets either side be opened, O_RDWR too); never
  /// waits, as an unnamed pipe's open does not. The new descriptor.
  static long reopen(long Fd, long Flags);
  /// open of a named pipe (a FIFO of a K42 file system: \p Dev, \p Ino):
  /// a description of the pipe the server keeps for it while it has
  /// openers, with Linux's rules: O_RDONLY waits for a writer, O_WRONLY
  /// for a reader (with O_NONBLOCK: ENXIO), O_RDWR never; a signal handler
  /// ends the wait with EINTR (the host restarts it under SA_RESTART).
  static long openFifo(uint64_t Dev, uint64_t Ino, long Flags);

  /// EPOLLET's marks of \p End: \p In changes when bytes are written or
  /// the last writer goes (a new EPOLLIN or EPOLLHUP edge), \p Out when
  /// bytes are read or the last reader goes (EPOLLOUT, EPOLLERR). A read
  /// alone is no new EPOLLIN edge, as on Linux.
  static void edges(PipeEnd &End, uint64_t &In, uint64_t &Out);
  /// poll's view: the events of \p Events that hold now (POLLHUP and
  /// POLLERR always count), and the futex word to sleep on.
  static short ready(PipeEnd &End, short Events, std::atomic<uint32_t> *&Word,
                     uint32_t &Seen);
  /// A sleeper on \p End's ring arrives or leaves (writers wake only
  /// when there are some).
  static void sleeping(PipeEnd &End, bool Arrives);

  /// How long a wait on a ring lasts before it looks whether the pipe
  /// server still lives: the server alone sets WritersGone and
  /// ReadersGone, so with it gone a reader or writer would wait for ever.
  static constexpr long ServerCheckNs = 1'000'000'000;
  /// True when the pipe server that took \p R is gone; the ring is then
  /// marked (and its sleepers woken in every process) as if both sides had
  /// closed: a reader gets the bytes left and then EOF, a writer
  /// SIGPIPE/EPIPE, poll POLLHUP/POLLERR. The server cannot say which
  /// side is really gone, and nothing else counts the ends.
  static bool serverLost(PipeRing &R);
  /// Returns once the pipe server has taken \p End's pipe (its
  /// placeholder then holds the server's PipeTag), or has not within a
  /// hundred Syncs.
  static void taken(PipeEnd &End);
  /// serverLost of \p End's ring (false when it is not mapped).
  static bool serverLost(PipeEnd &End) {
    return End.Ring && serverLost(*End.Ring);
  }

  /// close(\p Fd): the epoll sets forget it (a pipe end they held, or
  /// the set itself). EpollCalls.cpp.
  static void forgetWatches(long Fd);

  /// The pipe ends a host exec keeps, at a fixed descriptor (1007);
  /// start() reads them in the new program. Called by FileState.
  static void beforeExec();
  static void execFailed();
  static void start();

  /// Before a change of credentials (set*id): each pipe end's ring gets
  /// a memfd of the process's own (PipeEnd::LocalFd), which its execs hand
  /// on, since the pipe server's /proc name for it may not be the new
  /// user's to open (`echo hi | runuser -u nobody -- cat`: cat's reads
  /// were EIO).
  static void pinRings();
};

} // namespace k42::personality

#endif // K42_PERSONALITY_PIPECALLS_H
