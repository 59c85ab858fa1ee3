//===- runtime/linux/ProgramFds.cpp - The program's high numbers ----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/ProgramFds.h"

#include "k42/personality/HostCall.h"
#include "k42/personality/SpawnView.h"

#include <array>
#include <cstring>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/syscall.h>

using namespace k42::personality;

namespace {

constexpr size_t Words = size_t(ProgramFds::Covered) / 64;

/// A bit a number from First: 128 KiB of .bss, of which a process touches
/// only the words of the numbers it has (its first page for the first
/// 32,768).
uint64_t Marks[Words];
/// One past the highest number ever marked: the walks stop there.
long Top = ProgramFds::First;
/// Set by started(): the marks are in force.
bool Active = false;

/// Where \p Fd's bit is, or false if the marks do not cover it.
bool at(long Fd, size_t &Word, uint64_t &Bit) {
  if (Fd < ProgramFds::First || Fd >= ProgramFds::First + ProgramFds::Covered)
    return false;
  size_t Index = size_t(Fd - ProgramFds::First);
  Word = Index / 64;
  Bit = uint64_t(1) << (Index % 64);
  return true;
}

} // namespace

long ProgramFds::top() { return __atomic_load_n(&Top, __ATOMIC_ACQUIRE); }

uint64_t ProgramFds::word(size_t Index) {
  return __atomic_load_n(&Marks[Index], __ATOMIC_ACQUIRE);
}

bool ProgramFds::marked(long Fd) {
  size_t Word;
  uint64_t Bit;
  return at(Fd, Word, Bit) && (word(Word) & Bit);
}

void ProgramFds::gained(long Fd) {
  size_t Word;
  uint64_t Bit;
  if (!at(Fd, Word, Bit) || SpawnView::current())
    return;
  __atomic_fetch_or(&Marks[Word], Bit, __ATOMIC_RELEASE);
  for (long Seen = top(); Seen <= Fd;)
    if (__atomic_compare_exchange_n(&Top, &Seen, Fd + 1, false,
                                    __ATOMIC_RELEASE, __ATOMIC_ACQUIRE))
      break;
}

void ProgramFds::lost(long Fd) {
  size_t Word;
  uint64_t Bit;
  if (!at(Fd, Word, Bit) || SpawnView::current())
    return;
  __atomic_fetch_and(&Marks[Word], ~Bit, __ATOMIC_RELEASE);
}

long ProgramFds::copyPastExecFds(long Fd) {
  long Flags = hostCall(SYS_fcntl, Fd, F_GETFD);
  return hostCall(SYS_fcntl, Fd,
                  Flags > 0 && (Flags & FD_CLOEXEC) ? F_DUPFD_CLOEXEC : F_DUPFD,
                  LastExecFd + 1);
}

long ProgramFds::place(long Fd) {
  if (Fd >= 0 && isExecFd(Fd) && !SpawnView::current()) {
    long Moved = copyPastExecFds(Fd);
    if (Moved >= 0) {
      (void)hostCall(SYS_close, Fd);
      Fd = Moved;
    }
  }
  gained(Fd);
  return Fd;
}

void ProgramFds::started() {
  __atomic_store_n(&Active, true, __ATOMIC_RELEASE);
}

bool ProgramFds::holds(long Fd) {
  return Fd < First || !__atomic_load_n(&Active, __ATOMIC_ACQUIRE) ||
         marked(Fd);
}

bool ProgramFds::isPrivate(long Fd) {
  return !holds(Fd) && hostCall(SYS_fcntl, Fd, F_GETFD) >= 0;
}

size_t ProgramFds::beforeExec(int32_t *Out, size_t Max) {
  size_t N = 0;
  forEach(First, First + Covered - 1, [&](long Fd) {
    long Flags = hostCall(SYS_fcntl, Fd, F_GETFD);
    if (Flags >= 0 && !(Flags & FD_CLOEXEC) && N < Max)
      Out[N++] = int32_t(Fd);
  });
  return N;
}

void ProgramFds::afterExec(const int32_t *In, size_t Count) {
  for (size_t I = 0; I < Count; ++I)
    gained(In[I]);
}

void ProgramFds::inherit(char **Environment) {
  constexpr size_t NameBytes = sizeof(InheritedName) - 1;
  for (char **At = Environment; At && *At; ++At) {
    if (std::strncmp(*At, InheritedName, NameBytes) != 0 ||
        (*At)[NameBytes] != '=')
      continue;
    // PID:FD,FD,...: only the image k42-exec started (its pid) takes them.
    const char *C = *At + NameBytes + 1;
    long Pid = 0;
    for (; *C >= '0' && *C <= '9'; ++C)
      Pid = Pid * 10 + (*C - '0');
    if (*C == ':' && Pid == hostCall(SYS_getpid)) {
      long Fd = 0;
      bool Past = false; // past the marks: left the personality's
      for (++C;; ++C) {
        if (*C >= '0' && *C <= '9') {
          Fd = Fd * 10 + (*C - '0');
          Past = Past || Fd >= First + Covered;
          if (Past)
            Fd = 0;
          continue;
        }
        if (!Past && Fd >= First && hostCall(SYS_fcntl, Fd, F_GETFD) >= 0)
          gained(Fd);
        Fd = 0;
        Past = false;
        if (*C != ',')
          break;
      }
    }
    for (char **Entry = At; *Entry; ++Entry)
      Entry[0] = Entry[1];
    return;
  }
}

namespace {
/// Descriptor arguments of a call, a bit each (bit N: Arg[N]).
constexpr uint8_t A0 = 1, A1 = 2, A2 = 4, A3 = 8, A4 = 16;

/// The calls that take descriptors on their way to the host, and which of
/// their arguments are descriptors (mmap's, only when it maps a file).
struct FdCall {
  long Number;
  uint8_t Which;
};
constexpr FdCall FdCalls[] = {{SYS_read, A0},
                              {SYS_write, A0},
                              {SYS_fstat, A0},
                              {SYS_lseek, A0},
                              {SYS_mmap, A4},
                              {SYS_ioctl, A0},
                              {SYS_pread64, A0},
                              {SYS_pwrite64, A0},
                              {SYS_readv, A0},
                              {SYS_writev, A0},
                              {SYS_sendfile, A0 | A1},
                              {SYS_connect, A0},
                              {SYS_accept, A0},
                              {SYS_sendto, A0},
                              {SYS_recvfrom, A0},
                              {SYS_sendmsg, A0},
                              {SYS_recvmsg, A0},
                              {SYS_shutdown, A0},
                              {SYS_bind, A0},
                              {SYS_listen, A0},
                              {SYS_getsockname, A0},
                              {SYS_getpeername, A0},
                              {SYS_setsockopt, A0},
                              {SYS_getsockopt, A0},
                              {SYS_flock, A0},
                              {SYS_fsync, A0},
                              {SYS_fdatasync, A0},
                              {SYS_ftruncate, A0},
                              {SYS_getdents, A0},
                              {SYS_fchdir, A0},
                              {SYS_fchmod, A0},
                              {SYS_fchown, A0},
                              {SYS_fstatfs, A0},
                              {SYS_readahead, A0},
                              {SYS_fsetxattr, A0},
                              {SYS_fgetxattr, A0},
                              {SYS_flistxattr, A0},
                              {SYS_fremovexattr, A0},
                              {SYS_getdents64, A0},
                              {SYS_fadvise64, A0},
                              {SYS_epoll_wait, A0},
                              {SYS_epoll_ctl, A0 | A2},
                              {SYS_inotify_add_watch, A0},
                              {SYS_inotify_rm_watch, A0},
                              {SYS_openat, A0},
                              {SYS_mkdirat, A0},
                              {SYS_mknodat, A0},
                              {SYS_fchownat, A0},
                              {SYS_futimesat, A0},
                              {SYS_newfstatat, A0},
                              {SYS_unlinkat, A0},
                              {SYS_renameat, A0 | A2},
                              {SYS_linkat, A0 | A2},
                              {SYS_symlinkat, A1},
                              {SYS_readlinkat, A0},
                              {SYS_fchmodat, A0},
                              {SYS_faccessat, A0},
                              {SYS_splice, A0 | A2},
                              {SYS_tee, A0 | A1},
                              {SYS_sync_file_range, A0},
                              {SYS_vmsplice, A0},
                              {SYS_utimensat, A0},
                              {SYS_epoll_pwait, A0},
                              {SYS_signalfd, A0},
                              {SYS_timerfd_settime, A0},
                              {SYS_timerfd_gettime, A0},
                              {SYS_accept4, A0},
                              {SYS_signalfd4, A0},
                              {SYS_fallocate, A0},
                              {SYS_preadv, A0},
                              {SYS_pwritev, A0},
                              {SYS_recvmmsg, A0},
                              {SYS_fanotify_mark, A0 | A3},
                              {SYS_name_to_handle_at, A0},
                              {SYS_open_by_handle_at, A0},
                              {SYS_syncfs, A0},
                              {SYS_sendmmsg, A0},
                              {SYS_setns, A0},
                              {SYS_finit_module, A0},
                              {SYS_renameat2, A0 | A2},
                              {SYS_execveat, A0},
                              {SYS_copy_file_range, A0 | A2},
                              {SYS_preadv2, A0},
                              {SYS_pwritev2, A0},
                              {SYS_statx, A0},
                              {SYS_pidfd_send_signal, A0},
                              {SYS_open_tree, A0},
                              {SYS_move_mount, A0 | A2},
                              {SYS_fsconfig, A0},
                              {SYS_fsmount, A0},
                              {SYS_fspick, A0},
                              {SYS_pidfd_getfd, A0},
                              {SYS_faccessat2, A0},
                              {SYS_process_madvise, A0},
                              {SYS_epoll_pwait2, A0},
                              {SYS_mount_setattr, A0},
                              {SYS_landlock_add_rule, A0},
                              {SYS_landlock_restrict_self, A0},
                              {SYS_process_mrelease, A0},
                              {451 /* cachestat */, A0},
                              {452 /* fchmodat2 */, A0}};

/// FdCalls by number: one load a call.
constexpr size_t MaskCalls = 512;
constexpr auto FdMasks = [] {
  std::array<uint8_t, MaskCalls> Masks{};
  for (const FdCall &C : FdCalls)
    Masks[size_t(C.Number)] = C.Which;
  return Masks;
}();

unsigned fdArguments(long Number, const long *Arg) {
  if (Number < 0 || size_t(Number) >= MaskCalls)
    return 0;
  if (Number == SYS_mmap && (Arg[3] & MAP_ANONYMOUS))
    return 0;
  return FdMasks[size_t(Number)];
}
} // namespace

bool ProgramFds::namesPrivate(long Number, const long *Arg) {
  unsigned Which = fdArguments(Number, Arg);
  for (unsigned I = 0; Which; ++I, Which >>= 1) {
    // The kernel reads an int: AT_FDCWD and -1 are below First.
    long Fd = int(Arg[I]);
    if ((Which & 1) && !holds(Fd))
      return true;
  }
  return false;
}
