"""record-locks.py DIR: POSIX record locks belong to the process, whatever
descriptor of the file took them (record-locks.test).

Each case prints what another process sees of the lock; natively and under
K42 the lines must be the same.
"""
import fcntl
import os
import struct
import sys


def other_sees(path, what):
    """A child process's lockf on path without waiting: held or free."""
    pid = os.fork()
    if pid == 0:
        fd = os.open(path, os.O_RDWR)
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            print(what + ": free", flush=True)
        except OSError:
            print(what + ": held", flush=True)
        os._exit(0)
    os.waitpid(pid, 0)


if sys.argv[1] == "--probe":
    # probe DIR NAME: whether another process can take NAME's lock now.
    os.chdir(sys.argv[2])
    fd = os.open(sys.argv[3], os.O_RDWR)
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        print(sys.argv[4] + ": free")
    except OSError:
        print(sys.argv[4] + ": held")
    sys.exit(0)
os.chdir(sys.argv[1])
sys.stdout.reconfigure(line_buffering=True)  # nothing for a fork child to repeat
__import__("signal").alarm(20)

# A second open of the file, then a fork (which gives every description a
# flock file): the lock taken through the first must stand.
fd = os.open("a", os.O_RDWR | os.O_CREAT, 0o644)
fcntl.lockf(fd, fcntl.LOCK_EX)
second = os.open("a", os.O_RDONLY)
other_sees("a", "locked, second open, fork")
# A query through the second descriptor changes nothing.
got = fcntl.fcntl(second, fcntl.F_GETLK,
                  struct.pack("hhqqi", fcntl.F_RDLCK, 0, 0, 0, 0))
print("own F_GETLK through the second:",
      "unlocked" if struct.unpack("hhqqi", got)[0] == fcntl.F_UNLCK
      else "conflict")
other_sees("a", "after F_GETLK")
# A lock taken through the second descriptor is the same owner's: no
# conflict with the first, and one unlock through either frees the file.
fcntl.lockf(os.open("a", os.O_RDWR), fcntl.LOCK_EX | fcntl.LOCK_NB)
print("relock through a third open: taken")
# Linux drops all of them at the close of any descriptor of the file.
os.close(second)
other_sees("a", "after closing the second")

# A child's view of its parent's lock, and its own lock going with it.
fd = os.open("b", os.O_RDWR | os.O_CREAT, 0o644)
fcntl.lockf(fd, fcntl.LOCK_EX)
pid = os.fork()
if pid == 0:
    try:
        fcntl.lockf(os.open("b", os.O_RDWR), fcntl.LOCK_EX | fcntl.LOCK_NB)
        print("fork child locks its parent's file: taken", flush=True)
    except OSError:
        print("fork child locks its parent's file: refused", flush=True)
    os._exit(0)
os.waitpid(pid, 0)
fcntl.lockf(fd, fcntl.LOCK_UN)
other_sees("b", "after LOCK_UN")

# F_GETLK names the holder's pid.
fd = os.open("c", os.O_RDWR | os.O_CREAT, 0o644)
locked_r, locked_w = os.pipe()
done_r, done_w = os.pipe()
pid = os.fork()
if pid == 0:
    fcntl.lockf(os.open("c", os.O_RDWR), fcntl.LOCK_EX)
    os.write(locked_w, b"x")
    os.read(done_r, 1)
    os._exit(0)
os.read(locked_r, 1)
got = struct.unpack("hhqqi", fcntl.fcntl(
    fd, fcntl.F_GETLK, struct.pack("hhqqi", fcntl.F_WRLCK, 0, 0, 0, 0)))
print("F_GETLK of a child's lock: type",
      "write" if got[0] == fcntl.F_WRLCK else got[0],
      "pid", "the child's" if got[4] == pid else got[4])
os.write(done_w, b"x")
os.waitpid(pid, 0)

# Many files locked at once, each lock standing (sqlite locks each
# database it has open, two files each in WAL mode: at most 16 files were
# ENOLCK's limit, battery 44).
fds = []
for i in range(40):
    f = os.open("m%d" % i, os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.lockf(f, fcntl.LOCK_EX)
    os.open("m%d" % i, os.O_RDONLY)
    fds.append(f)
other_sees("m0", "first of 40 locked")
other_sees("m39", "last of 40 locked")

# An exec closes a close-on-exec descriptor, and Linux drops the process's
# record locks on its file with it; an inheritable one keeps them.
for name, keep, what in (("x1", False, "after an exec closed its descriptor"),
                         ("x2", True, "after an exec kept its descriptor")):
    pid = os.fork()
    if pid == 0:
        fd = os.open(name, os.O_RDWR | os.O_CREAT, 0o644)  # O_CLOEXEC
        os.set_inheritable(fd, keep)
        fcntl.lockf(fd, fcntl.LOCK_EX)
        os.execv("/bin/sh", ["sh", "-c", '"$0" "$1" --probe "$2" "$3" "$4" & wait $!',
                             sys.executable, sys.argv[0], os.getcwd(), name,
                             what])
    os.waitpid(pid, 0)

# Thirty files locked across an exec that keeps their descriptors: every
# lock stands (the exec state carries each record file).
pid = os.fork()
if pid == 0:
    for i in range(30):
        fd = os.open("y%d" % i, os.O_RDWR | os.O_CREAT, 0o644)
        os.set_inheritable(fd, True)
        fcntl.lockf(fd, fcntl.LOCK_EX)
    os.execv("/bin/sh", ["sh", "-c", '"$0" "$1" --probe "$2" "$3" "$4" & wait $!',
                         sys.executable, sys.argv[0], os.getcwd(), "y29",
                         "after an exec kept 30 locked files"])
os.waitpid(pid, 0)
