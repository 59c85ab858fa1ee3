"""spawn-path.py DIR: posix_spawnp along a PATH whose first folders are in
DIR, missing or without the program (spawn-path.test), then posix_spawn
of a missing program, and a spawn after them: the child's exec looks each
name up on a stack of its own, where glibc's 36 KiB overflowed (the child
died of SIGSEGV and left its parent's lock held: the next spawn hung).
"""
import os
import signal
import sys

signal.alarm(20)
d = sys.argv[1]
os.makedirs(os.path.join(d, "empty"), exist_ok=True)
path = ":".join([os.path.join(d, "missing"), os.path.join(d, "empty"),
                 os.path.join(d, "a", "b", "c"), "/usr/bin", "/bin"])
env = dict(os.environ, PATH=path)
for name in ("true", "false"):
    pid = os.posix_spawnp(name, [name], env)
    print("posix_spawnp", name, "status", os.waitpid(pid, 0)[1] >> 8)
try:
    os.posix_spawnp("k42-no-such-program", ["x"], env)
except OSError as e:
    print("posix_spawnp of a missing program:", e.strerror)
try:
    os.posix_spawn(os.path.join(d, "missing", "prog"), ["x"], env)
except OSError as e:
    print("posix_spawn of a missing program:", e.strerror)
pid = os.posix_spawn("/bin/sh", ["sh", "-c", "exit 7"], env)
print("a spawn after them: status", os.waitpid(pid, 0)[1] >> 8)
