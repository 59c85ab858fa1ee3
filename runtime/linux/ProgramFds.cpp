//===- runtime/linux/ProgramFds.cpp - The program's high numbers ----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/ProgramFds.h"

#include "k42/personality/HostCall.h"
#include "k42/personality/SpawnView.h"

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

bool ProgramFds::holds(long Fd) { return Fd < First || marked(Fd); }

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
constexpr unsigned A0 = 1, A1 = 2, A2 = 4, A3 = 8, A4 = 16;

unsigned fdArguments(long Number, const long *Arg) {
  switch (Number) {
  case SYS_read:
  case SYS_write:
  case SYS_fstat:
  case SYS_lseek:
  case SYS_ioctl:
  case SYS_pread64:
  case SYS_pwrite64:
  case SYS_readv:
  case SYS_writev:
  case SYS_connect:
  case SYS_accept:
  case SYS_sendto:
  case SYS_recvfrom:
  case SYS_sendmsg:
  case SYS_recvmsg:
  case SYS_shutdown:
  case SYS_bind:
  case SYS_listen:
  case SYS_getsockname:
  case SYS_getpeername:
  case SYS_setsockopt:
  case SYS_getsockopt:
  case SYS_flock:
  case SYS_fsync:
  case SYS_fdatasync:
  case SYS_ftruncate:
  case SYS_getdents:
  case SYS_fchdir:
  case SYS_fchmod:
  case SYS_fchown:
  case SYS_fstatfs:
  case SYS_readahead:
  case SYS_fsetxattr:
  case SYS_fgetxattr:
  case SYS_flistxattr:
  case SYS_fremovexattr:
  case SYS_getdents64:
  case SYS_fadvise64:
  case SYS_epoll_wait:
  case SYS_inotify_add_watch:
  case SYS_inotify_rm_watch:
  case SYS_openat:
  case SYS_mkdirat:
  case SYS_mknodat:
  case SYS_fchownat:
  case SYS_futimesat:
  case SYS_newfstatat:
  case SYS_unlinkat:
  case SYS_readlinkat:
  case SYS_fchmodat:
  case SYS_faccessat:
  case SYS_sync_file_range:
  case SYS_vmsplice:
  case SYS_utimensat:
  case SYS_epoll_pwait:
  case SYS_signalfd:
  case SYS_timerfd_settime:
  case SYS_timerfd_gettime:
  case SYS_accept4:
  case SYS_signalfd4:
  case SYS_fallocate:
  case SYS_preadv:
  case SYS_pwritev:
  case SYS_recvmmsg:
  case SYS_name_to_handle_at:
  case SYS_open_by_handle_at:
  case SYS_syncfs:
  case SYS_sendmmsg:
  case SYS_setns:
  case SYS_finit_module:
  case SYS_execveat:
  case SYS_preadv2:
  case SYS_pwritev2:
  case SYS_statx:
  case SYS_pidfd_send_signal:
  case SYS_open_tree:
  case SYS_fsconfig:
  case SYS_fsmount:
  case SYS_fspick:
  case SYS_pidfd_getfd:
  case SYS_faccessat2:
  case SYS_process_madvise:
  case SYS_epoll_pwait2:
  case SYS_mount_setattr:
  case SYS_landlock_add_rule:
  case SYS_landlock_restrict_self:
  case SYS_process_mrelease:
  case 451: // cachestat
  case 452: // fchmodat2
    return A0;
  case SYS_sendfile:
  case SYS_tee:
    return A0 | A1;
  case SYS_symlinkat:
    return A1;
  case SYS_epoll_ctl:
  case SYS_renameat:
  case SYS_linkat:
  case SYS_splice:
  case SYS_renameat2:
  case SYS_copy_file_range:
  case SYS_move_mount:
    return A0 | A2;
  case SYS_fanotify_mark:
    return A0 | A3;
  case SYS_mmap:
    return (Arg[3] & MAP_ANONYMOUS) ? 0 : A4;
  default:
    return 0;
  }
}
} // namespace

bool ProgramFds::namesPrivate(long Number, const long *Arg) {
  unsigned Which = fdArguments(Number, Arg);
  for (unsigned I = 0; Which; ++I, Which >>= 1) {
    // The kernel reads an int: AT_FDCWD and -1 are below First.
    long Fd = int(Arg[I]);
    if ((Which & 1) && Fd >= First && !marked(Fd))
      return true;
  }
  return false;
}
