//===- runtime/linux/CopyCalls.cpp - sendfile, splice, copy_file_range ----===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The in-kernel copies, for K42 descriptors. A K42 file's placeholder is
/// its description's memory and a K42 pipe end's is a socket, so the
/// host's copy would move the wrong bytes: where either end is K42's, the
/// copy is the personality's own reads and writes (the table's handlers,
/// so each end is whatever it is: a K42 file, a K42 pipe, a host
/// descriptor) through a 64 KiB buffer. What Linux promises of the
/// results holds: the bytes moved are counted, an offset given is read
/// and written back and the descriptor's own offset is left alone, and
/// without one the descriptor's offset moves by exactly the bytes moved.
/// Ends that are both the host's pass through.
///
//===----------------------------------------------------------------------===//

#include "k42/personality/FileDispatch.h"
#include "k42/personality/GateHeap.h"
#include "k42/personality/Handlers.h"
#include "k42/personality/HeldFile.h"
#include "k42/personality/HeldPipe.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/PipeCalls.h"
#include "k42/personality/SyscallTable.h"
#include "k42/personality/UserMemory.h"

#include <cerrno>
#include <cstdint>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>

using namespace k42::personality;

namespace {

/// The most one call moves, as Linux caps a read or write.
constexpr size_t MaxCount = 0x7ffff000;
constexpr size_t BounceBytes = 65536;

/// One of the table's handlers, called as the program would have.
long call(SyscallHandler Handler, long Number, long A0, long A1, long A2,
          long A3 = 0) {
  SyscallCall C;
  C.Number = Number;
  C.Arg[0] = A0;
  C.Arg[1] = A1;
  C.Arg[2] = A2;
  C.Arg[3] = A3;
  return Handler(C);
}

/// Whether \p Fd is a pipe (a K42 end, or the host's).
bool isPipe(long Fd) {
  if (PipeCalls::get(Fd))
    return true;
  HeldFile File;
  if (FileDispatch::fd(Fd, File) != FileDispatch::FdKind::Host)
    return false;
  struct stat St;
  return hostCall(SYS_fstat, Fd, reinterpret_cast<long>(&St)) == 0 &&
         S_ISFIFO(St.st_mode);
}

/// Whether \p Fd is a directory's (a K42 folder's, or the host's).
bool isDirectory(long Fd) {
  HeldFile File;
  switch (FileDispatch::fd(Fd, File)) {
  case FileDispatch::FdKind::File:
    return File->Desc->IsDir;
  case FileDispatch::FdKind::Pipe:
    return false;
  case FileDispatch::FdKind::Host:
    break;
  }
  struct stat St;
  return hostCall(SYS_fstat, Fd, reinterpret_cast<long>(&St)) == 0 &&
         S_ISDIR(St.st_mode);
}

/// Linux's answer for a directory \p In to read from by splicing
/// (sendfile, splice): a folder has no splice_read, EINVAL, once both
/// descriptors are open for their side (EBADF first).
long fromDirectory(long In, long Out) {
  long InFlags = call(sys::fcntl, SYS_fcntl, In, F_GETFL, 0);
  long OutFlags = call(sys::fcntl, SYS_fcntl, Out, F_GETFL, 0);
  if (InFlags < 0 || OutFlags < 0 || (InFlags & O_ACCMODE) == O_WRONLY ||
      (OutFlags & O_ACCMODE) == O_RDONLY)
    return -EBADF;
  return -EINVAL;
}

/// Whether \p Fd's description appends (O_APPEND): Linux copies into none
/// (sendfile and splice EINVAL, copy_file_range EBADF).
bool appends(long Fd) {
  long Flags = call(sys::fcntl, SYS_fcntl, Fd, F_GETFL, 0);
  return Flags >= 0 && (Flags & O_APPEND);
}

/// Where \p Fd reads or writes from: the caller's offset at \p User, else
/// the descriptor's own.
long positionOf(long Fd, long User, int64_t &At) {
  if (User)
    return UserMemory::copyIn(&At, reinterpret_cast<const void *>(User),
                              sizeof(At)) < 0
               ? -EFAULT
               : 0;
  long Now = call(sys::lseek, SYS_lseek, Fd, 0, SEEK_CUR);
  if (Now < 0)
    return Now;
  At = Now;
  return 0;
}

/// Whether K42 descriptors \p A and \p B name one file, by the st_dev
/// and st_ino their descriptions keep from their opens (no server call: cat
/// copies with copy_file_range); by fstat where one does not know them.
bool oneFile(long A, long B) {
  HeldFile FA, FB;
  if (FileDispatch::fd(A, FA) != FileDispatch::FdKind::File ||
      FileDispatch::fd(B, FB) != FileDispatch::FdKind::File)
    return false;
  if (FA->Desc->Ino && FB->Desc->Ino)
    return FA->Desc->Dev == FB->Desc->Dev && FA->Desc->Ino == FB->Desc->Ino;
  struct stat SA, SB;
  return call(sys::fstat, SYS_fstat, A, reinterpret_cast<long>(&SA), 0) == 0 &&
         call(sys::fstat, SYS_fstat, B, reinterpret_cast<long>(&SB), 0) == 0 &&
         SA.st_dev == SB.st_dev && SA.st_ino == SB.st_ino;
}

/// copy_file_range within one file: Linux's EINVAL when the ranges
/// overlap (the count cut to what lies past the read offset first).
long overlapsItself(long In, long InUser, long Out, long OutUser,
                    size_t Count) {
  if (!oneFile(In, Out))
    return 0;
  struct stat A;
  if (call(sys::fstat, SYS_fstat, In, reinterpret_cast<long>(&A), 0) < 0)
    return 0;
  int64_t From = 0, To = 0;
  if (long E = positionOf(In, InUser, From); E < 0)
    return E;
  if (long E = positionOf(Out, OutUser, To); E < 0)
    return E;
  if (From < 0 || To < 0 || From >= A.st_size)
    return 0;
  uint64_t Left = uint64_t(A.st_size - From);
  uint64_t N = Count < Left ? Count : Left;
  return uint64_t(To) + N > uint64_t(From) && uint64_t(To) < uint64_t(From) + N
             ? -EINVAL
             : 0;
}

/// Whether either descriptor is K42's.
bool eitherK42(long A, long B) {
  HeldFile File;
  return FileDispatch::fd(A, File) != FileDispatch::FdKind::Host ||
         FileDispatch::fd(B, File) != FileDispatch::FdKind::Host;
}

/// One end of a copy: its descriptor and where in it (-1: at the
/// descriptor's own offset, which reads and writes move, as a pipe's).
struct End {
  long Fd;
  int64_t At;
  /// A K42 pipe end is read or written as if it were O_NONBLOCK
  /// (splice's SPLICE_F_NONBLOCK: the pipe operations only).
  bool NonBlock = false;
};

/// Up to \p Want bytes of \p In into \p Bounce.
long readEnd(End &In, char *Bounce, size_t Want) {
  if (In.NonBlock)
    if (HeldPipe P(In.Fd); P)
      return PipeCalls::read(*P, Bounce, Want, /*NonBlock=*/true);
  return In.At < 0 ? call(sys::read, SYS_read, In.Fd,
                          reinterpret_cast<long>(Bounce), long(Want))
                   : call(sys::pread64, SYS_pread64, In.Fd,
                          reinterpret_cast<long>(Bounce), long(Want), In.At);
}

/// \p Length bytes at \p Bytes into \p Out, \p Done of them written
/// before.
long writeEnd(End &Out, const char *Bytes, long Length, long Done) {
  if (Out.NonBlock)
    if (HeldPipe P(Out.Fd); P)
      return PipeCalls::write(Out.Fd, *P, Bytes, size_t(Length),
                              /*NonBlock=*/true);
  return Out.At < 0
             ? call(sys::write, SYS_write, Out.Fd,
                    reinterpret_cast<long>(Bytes), Length)
             : call(sys::pwrite64, SYS_pwrite64, Out.Fd,
                    reinterpret_cast<long>(Bytes), Length, Out.At + Done);
}

/// Moves up to \p Count bytes from \p In to \p Out; after the first read
/// only if \p Once is false (splice moves what one read gives). The bytes
/// moved, or the error of the first read or write when none were.
/// \p In.At and \p Out.At advance by what was moved.
long move(End &In, End &Out, size_t Count, bool Once) {
  char *Bounce = static_cast<char *>(GateHeap::allocate(BounceBytes));
  if (!Bounce)
    return -ENOMEM;
  long Moved = 0;
  long Error = 0;
  while (size_t(Moved) < Count) {
    size_t Want = Count - size_t(Moved);
    if (Want > BounceBytes)
      Want = BounceBytes;
    // A pipe that must not wait takes no more than it has room for, so
    // nothing is read that cannot be written (Linux waits for the room
    // first); full, EAGAIN before any read.
    if (Out.NonBlock)
      if (HeldPipe P(Out.Fd); P) {
        long Room = PipeCalls::space(*P);
        if (Room == 0)
          Room = -EAGAIN;
        if (Room < 0) {
          Error = Room;
          break;
        }
        Want = size_t(Room) < Want ? size_t(Room) : Want;
      }
    long Got = readEnd(In, Bounce, Want);
    if (Got <= 0) {
      Error = Got;
      break;
    }
    long Put = 0;
    while (Put < Got) {
      long N = writeEnd(Out, Bounce + Put, Got - Put, Put);
      if (N <= 0) {
        Error = N ? N : -EIO;
        break;
      }
      Put += N;
    }
    Moved += Put;
    if (In.At >= 0)
      In.At += Put;
    if (Out.At >= 0)
      Out.At += Put;
    // Read but not written: a file's offset (always explicit here:
    // copyBetween) counts only what was moved; a pipe's bytes are gone
    // (Linux's splice never reads them).
    if (Put < Got)
      break;
    if (Once || size_t(Got) < Want)
      break;
  }
  GateHeap::release(Bounce);
  return Moved ? Moved : Error;
}

/// The caller's offset at \p User (0: none): -1 in \p At, or its value;
/// EFAULT or EINVAL (negative).
long readOffset(long User, int64_t &At) {
  At = -1;
  if (!User)
    return 0;
  if (UserMemory::copyIn(&At, reinterpret_cast<const void *>(User),
                         sizeof(At)) < 0)
    return -EFAULT;
  return At < 0 ? -EINVAL : 0;
}

long writeOffset(long User, int64_t At) {
  if (!User)
    return 0;
  return UserMemory::copyOut(reinterpret_cast<void *>(User), &At, sizeof(At)) <
                 0
             ? -EFAULT
             : 0;
}

/// A file read at its own offset through explicit ones: the offset then
/// moves by exactly what was moved (a short write rewinds nothing). A
/// stream (a pipe; a host socket, FIFO or terminal, which have no offset)
/// is read as it comes.
long startAt(long Fd, int64_t &At) {
  if (At >= 0 || isPipe(Fd))
    return 0;
  long Now = call(sys::lseek, SYS_lseek, Fd, 0, SEEK_CUR);
  if (Now == -ESPIPE)
    return 0;
  if (Now < 0)
    return Now;
  At = Now;
  return 1;
}

/// The copy all three calls make, once their own checks are done: \p In
/// to \p Out, at the caller's offsets at \p InUser and \p OutUser (0:
/// the descriptors' own), at most \p Count bytes (after one read if
/// \p Once). \p NonBlock: K42 pipe ends do not wait (End::NonBlock).
long copyBetween(long In, long InUser, long Out, long OutUser, size_t Count,
                 bool Once, bool NonBlock = false) {
  End From{In, -1, NonBlock}, To{Out, -1, NonBlock};
  if (long E = readOffset(InUser, From.At); E < 0)
    return E;
  if (long E = readOffset(OutUser, To.At); E < 0)
    return E;
  bool OwnIn = false;
  if (!InUser) {
    long E = startAt(In, From.At);
    if (E < 0)
      return E;
    OwnIn = E > 0;
  }
  long Moved = move(From, To, Count > MaxCount ? MaxCount : Count, Once);
  if (OwnIn)
    (void)call(sys::lseek, SYS_lseek, In, From.At, SEEK_SET);
  if (Moved > 0) {
    if (long E = writeOffset(InUser, From.At); E < 0)
      return E;
    if (long E = writeOffset(OutUser, To.At); E < 0)
      return E;
  }
  return Moved;
}

} // namespace

long sys::sendfile(SyscallCall &Call) {
  long Out = Call.Arg[0], In = Call.Arg[1];
  if (!eitherK42(Out, In))
    return passToHost(Call);
  if (isDirectory(In))
    return fromDirectory(In, Out);
  if (isPipe(In) || appends(Out))
    return -EINVAL; // in_fd must be a file (a mmap-able one, on Linux)
  return copyBetween(In, Call.Arg[2], Out, 0, size_t(Call.Arg[3]), false);
}

long sys::splice(SyscallCall &Call) {
  long In = Call.Arg[0], Out = Call.Arg[2];
  if (!eitherK42(In, Out))
    return passToHost(Call);
  constexpr long Known = 0xf; // SPLICE_F_MOVE, NONBLOCK, MORE, GIFT
  if (Call.Arg[5] & ~Known)
    return -EINVAL;
  bool InPipe = isPipe(In), OutPipe = isPipe(Out);
  if (!InPipe && !OutPipe)
    return -EINVAL;
  if (!InPipe && isDirectory(In))
    return fromDirectory(In, Out);
  if ((InPipe && Call.Arg[1]) || (OutPipe && Call.Arg[3]))
    return -ESPIPE;
  if (!OutPipe && appends(Out))
    return -EINVAL;
  return copyBetween(In, Call.Arg[1], Out, Call.Arg[3], size_t(Call.Arg[4]),
                     true, Call.Arg[5] & SPLICE_F_NONBLOCK);
}

long sys::copy_file_range(SyscallCall &Call) {
  long In = Call.Arg[0], Out = Call.Arg[2];
  if (!eitherK42(In, Out))
    return passToHost(Call);
  if (Call.Arg[5] != 0)
    return -EINVAL;
  // Linux's order (generic_file_rw_checks): a folder on either side, then
  // anything not a regular file, then the descriptors' modes.
  if (isDirectory(In) || isDirectory(Out))
    return -EISDIR;
  if (isPipe(In) || isPipe(Out))
    return -EINVAL;
  if (appends(Out))
    return -EBADF;
  if (long E = overlapsItself(In, Call.Arg[1], Out, Call.Arg[3],
                              size_t(Call.Arg[4]));
      E < 0)
    return E;
  return copyBetween(In, Call.Arg[1], Out, Call.Arg[3], size_t(Call.Arg[4]),
                     false);
}
