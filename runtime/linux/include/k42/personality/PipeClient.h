//===- k42/personality/PipeClient.h - The pipe server, from a process -*- C++
//-*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// What the personality asks of the pipe server (servers/pipe), from
/// handler context: a new pipe is made in the process (its ring's memfd,
/// and a socket pair per end whose one side becomes the end's placeholder)
/// and handed to the server with SCM_RIGHTS, which is why this is a unix
/// socket (`pipe.sock` beside the kernel's socket) and not a PPC call:
/// descriptors have to travel. The server keeps the other side of each
/// pair and hears the host close the last descriptor of an end.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_PIPECLIENT_H
#define K42_PERSONALITY_PIPECLIENT_H

#include "k42/personality/PipeRing.h"

#include <cstdint>

namespace k42::personality {

/// The pipe server's wire: one request per SOCK_SEQPACKET message.
struct PipeRequest {
  /// Create carries [memfd, read-end peer, write-end peer]; Sync asks for
  /// a one-byte answer once every end the host has closed so far is seen;
  /// Join (a PipeJoin message) carries [peer]; Grow (a PipeGrow message)
  /// carries [memfd], answered with an int32_t status.
  enum : uint32_t { Create = 1, Sync = 2, Join = 3, Grow = 4 };
  uint32_t Op;
  uint32_t Reserved;
};

/// A Join: a new open file description of a pipe (by its Id:
/// /proc/self/fd/N) or of a named pipe's (by the FIFO's file; the server
/// makes the pipe at its first opener), answered with a PipeAnswer and the
/// ring's memfd.
struct PipeJoin {
  /// The sides the description holds; JoinFifo: Key is the FIFO's
  /// (st_dev, st_ino), else Key[0] is the pipe's Id; JoinNeedReader:
  /// refused ENXIO when no reader is open (a FIFO's O_WRONLY | O_NONBLOCK
  /// open).
  enum : uint32_t {
    JoinReads = 1,
    JoinWrites = 2,
    JoinFifo = 4,
    JoinNeedReader = 8
  };
  PipeRequest Head; ///< Op = Join
  uint32_t Mode;
  /// The description's status flags at open (O_NONBLOCK).
  uint32_t Flags;
  uint64_t Key[2];
};

/// A Grow: the pipe server makes the memfd sent with it \p Bytes long, for
/// a process whose RLIMIT_FSIZE is lower (OwnMemfd). Only a memfd, only
/// growing, at most OwnMemfd::MaxBytes; the answer is 0 or a negated
/// errno.
struct PipeGrow {
  PipeRequest Head; ///< Op = Grow
  uint64_t Bytes;
};

/// What a pipe end's placeholder holds unread: the pipe server sends it
/// through its side of the pair when it takes the end (before it records
/// ServerFd in the ring), so a process that receives the placeholder with
/// SCM_RIGHTS finds the pipe by peeking at it (PassedFds; the message
/// stays for the next receiver). A program never reads a placeholder: its
/// reads are the ring's.
struct PipeTag {
  static constexpr uint64_t MagicValue = 0x4b3432'54414721ull;
  uint64_t Magic;
  /// The ring's Id, and where the server keeps its memfd (PipeEnd's).
  uint64_t Id;
  int32_t ServerPid;
  int32_t ServerFd;
  /// The description's sides, and its status flags' slot (-1: the side's).
  int32_t Reads;
  int32_t Writes;
  int32_t Slot;
  int32_t Reserved;
};

/// The pipe server's answer to a Join.
struct PipeAnswer {
  /// 0, or a negated errno (ENXIO, ENOENT: no such pipe, ENOMEM).
  int32_t Status;
  /// The description's status flags slot (PipeRing::SlotFlags), or -1 when
  /// all are taken (it then shares its side's first flags).
  int32_t Slot;
  /// The other side's opens (PipeRing::ReaderOpens or WriterOpens) when
  /// this one joined: a blocking FIFO open waits for it to move.
  uint32_t OtherOpens;
  /// Descriptions of the other side open when this one joined (a FIFO's
  /// open then never waits, even if they close before it looks).
  uint32_t OthersThen;
};

/// The process's link to the pipe server.
class PipeClient {
public:
  /// Makes a pipe: \p ReadFd and \p WriteFd (the two lowest free numbers,
  /// close-on-exec if \p Cloexec) and its ring in \p Ring. -ENOSYS when no
  /// pipe server answers (the caller passes the call to the host), another
  /// negated errno on failure.
  static long create(bool Cloexec, long &ReadFd, long &WriteFd,
                     PipeRing *&Ring);
  /// Returns once the server has seen every end closed so far (a close
  /// that may have been an end's last, in a process that holds the other
  /// end: its next read or write must see EOF or EPIPE as on Linux).
  static void sync();
  /// Asks the pipe server to grow memfd \p Fd to \p Bytes (a PipeGrow):
  /// 0, the server's negated errno, -ENOSYS with no server.
  static long grow(long Fd, uint64_t Bytes);
  /// A new open file description of an existing pipe (\p Mode has
  /// PipeJoin::JoinReads and/or JoinWrites; Key[0] its Id) or of a named pipe's
  /// (JoinFifo, the FIFO's device and inode): its placeholder at the lowest
  /// free descriptor in \p Fd (close-on-exec if \p Cloexec), counted by
  /// the server as a reader and/or writer, the ring mapped in \p Ring.
  /// -ENOSYS with no pipe server; the server's error; -EIO for a reply
  /// that is not one answer and one memfd, whose descriptors are closed.
  static long join(uint32_t Mode, const uint64_t Key[2], uint32_t Flags,
                   bool Cloexec, long &Fd, PipeRing *&Ring, PipeAnswer &Answer);
  /// Maps the ring of a pipe whose memfd the server holds at \p ServerFd
  /// (a program after exec); null on failure.
  static PipeRing *attach(int32_t ServerPid, int32_t ServerFd, uint64_t Id);
  /// The same from the process's own memfd of the ring, \p Fd
  /// (PipeEnd::LocalFd).
  static PipeRing *attachLocal(int32_t Fd, uint64_t Id);
  /// The server's memfd at \p ServerFd opened anew by its /proc name (a
  /// descriptor of this process, close-on-exec), or a negated errno.
  static long openServers(int32_t ServerPid, int32_t ServerFd);
  /// Unmaps this process's view of a ring.
  static void detach(PipeRing *Ring);
  /// Reads, without taking it, the tag the placeholder at host descriptor
  /// \p Fd holds, which says which pipe end it is: what a descriptor the
  /// host copied is, whatever a table in memory another process shares
  /// says of its number (PassedFds, a posix_spawn child's exec). 0 with
  /// \p Tag filled; -EAGAIN for a socket that holds nothing yet (an end
  /// the server has not taken); another negated errno for any other
  /// descriptor (-ENOTSOCK, -EINVAL: a message that is no tag).
  static long peekTag(long Fd, PipeTag &Tag);
};

} // namespace k42::personality

#endif // K42_PERSONALITY_PIPECLIENT_H
