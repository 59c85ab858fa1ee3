"""flock-shared.py MODE: the lock cases of flock-shared.test.

fork-flock: a fork child flocks a descriptor it shares with its parent and
exits; the lock is the description's, so another open cannot take it.
spawn-flock, posix-spawn-flock: the same with flock(1) started by
subprocess, and by posix_spawn (a child in its parent's memory).
lockf-exec: a record lock taken before an exec is the process's still, so
a child of the exec'd program cannot take it.
probe: tries a record lock on "rl" without waiting (for lockf-exec).
"""
import fcntl
import os
import sys


def probe(path, what):
    """Says whether another open of path can take a flock now."""
    other = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        print(what + ": gone")
    except BlockingIOError:
        print(what + ": held by the description")
    os.close(other)


mode = sys.argv[1]
if mode == "fork-flock":
    fd = os.open("lk2", os.O_CREAT | os.O_RDWR, 0o644)
    pid = os.fork()
    if pid == 0:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os._exit(0)
    os.waitpid(pid, 0)
    probe("lk2", "fork child's flock")
    fcntl.flock(fd, fcntl.LOCK_UN)
    other = os.open("lk2", os.O_RDWR)
    fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
    print("after LOCK_UN: taken")
elif mode == "spawn-flock":
    import subprocess
    fd = os.open("lk3", os.O_CREAT | os.O_RDWR, 0o644)
    subprocess.run(["flock", str(fd)], pass_fds=(fd,), check=True)
    probe("lk3", "a spawned flock(1)'s lock")
elif mode == "posix-spawn-flock":
    fd = os.open("lk4", os.O_CREAT | os.O_RDWR, 0o644)
    os.set_inheritable(fd, True)
    pid = os.posix_spawn("/usr/bin/flock", ["flock", str(fd)], os.environ)
    os.waitpid(pid, 0)
    probe("lk4", "a posix_spawn'd flock(1)'s lock")
elif mode == "lockf-exec":
    fd = os.open("rl", os.O_CREAT | os.O_RDWR, 0o644)
    os.set_inheritable(fd, True)  # a close at exec would drop the lock
    fcntl.lockf(fd, fcntl.LOCK_EX)
    sys.stdout.flush()
    os.execvp("sh", ["sh", "-c", 'python3 "$0" probe', sys.argv[0]])
elif mode == "probe":
    fd = os.open("rl", os.O_RDWR)
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        print("record lock after exec: gone")
    except OSError:
        print("record lock after exec: still the process's")
