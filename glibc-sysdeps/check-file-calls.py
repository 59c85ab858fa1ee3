#!/usr/bin/env python3
# glibc-sysdeps/check-file-calls.py: the audit that no K42 path and no K42
# descriptor reaches the host. FILE_CALLS below is the one list of the
# system calls that take a path (with or without a directory descriptor) or
# a descriptor that may be a K42 one. Each must be K42 or NOSYS in
# syscalls.def, or HOST with a note that starts "host:" and says why the
# host is right for it (the descriptor can only be the host's, say).
# Exit status 1 and one line per call when that does not hold.
#
#   check-file-calls.py syscalls.def
import re
import sys

# Calls whose arguments include a path or a descriptor that may be K42's.
FILE_CALLS = """
read write open close stat fstat lstat lseek mmap ioctl pread64 pwrite64 readv
writev access sendfile connect accept sendto recvfrom sendmsg recvmsg shutdown
bind listen getsockname getpeername setsockopt getsockopt execve fcntl flock
fsync fdatasync truncate ftruncate getdents getcwd chdir fchdir rename mkdir
rmdir creat link unlink symlink readlink chmod fchmod chown fchown lchown
utime mknod uselib statfs fstatfs pivot_root chroot acct mount umount2 swapon
swapoff quotactl readahead setxattr lsetxattr fsetxattr getxattr lgetxattr
fgetxattr listxattr llistxattr flistxattr removexattr lremovexattr
fremovexattr getdents64 fadvise64 epoll_ctl epoll_wait utimes io_submit
inotify_add_watch inotify_rm_watch openat mkdirat mknodat fchownat futimesat
newfstatat unlinkat renameat linkat symlinkat readlinkat fchmodat faccessat
pselect6 ppoll splice tee sync_file_range vmsplice utimensat epoll_pwait
signalfd timerfd_settime timerfd_gettime fallocate accept4 signalfd4 dup dup2
dup3 pipe pipe2 preadv pwritev recvmmsg fanotify_mark name_to_handle_at
open_by_handle_at syncfs sendmmsg setns kcmp finit_module renameat2
kexec_file_load execveat preadv2 pwritev2 statx copy_file_range poll select
open_tree move_mount fsconfig fsmount fspick close_range openat2 pidfd_getfd
faccessat2 epoll_pwait2 mount_setattr quotactl_fd landlock_add_rule
landlock_create_ruleset landlock_restrict_self cachestat fchmodat2 setxattrat
getxattrat listxattrat removexattrat open_tree_attr file_getattr file_setattr
""".split()

LINE = re.compile(r"K42_SYSCALL\((\d+), (\w+), (\d+), (\w+)(?:\([^)]*\))?\)(.*)$")


def main(argv):
    if len(argv) != 2:
        print("usage: check-file-calls.py syscalls.def", file=sys.stderr)
        return 2
    found = {}
    for line in open(argv[1]):
        m = LINE.match(line.strip())
        if m:
            found[m.group(2)] = (m.group(4), m.group(5).strip())
    bad = 0
    for name in FILE_CALLS:
        if name not in found:
            print(f"{name}: not in syscalls.def")
            bad += 1
            continue
        disposition, note = found[name]
        if disposition == "HOST" and not note.startswith("// host:"):
            print(f"{name}: HOST takes a path or descriptor and says no 'host:' reason")
            bad += 1
    print(f"{len(FILE_CALLS)} file calls, {bad} unjustified")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
