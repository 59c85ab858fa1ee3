# spawn-files.py DIR: a child's stdout on a file, through subprocess (fork
# and exec; posix_spawn with close_fds=False) and os.posix_spawn's file
# actions (open, dup2, close); the parent's descriptor is left as it was.
# spawn-files.test runs it natively on a host folder and on K42's /tmp.
import os
import subprocess
import sys

d = sys.argv[1]
os.mkdir(d)
out = os.path.join(d, "out")


def content():
    with open(out) as f:
        return f.read().strip()


with open(out, "w") as f:
    r = subprocess.run(["/bin/echo", "through subprocess"], stdout=f)
print("subprocess", r.returncode, content())
with open(out, "w") as f:
    r = subprocess.run(["/bin/echo", "through posix_spawn"], stdout=f,
                       close_fds=False)
print("posix_spawn", r.returncode, content())

fd = os.open(os.path.join(d, "kept"), os.O_RDWR | os.O_CREAT | os.O_TRUNC,
             0o644)
os.write(fd, b"kept\n")
os.lseek(fd, 0, os.SEEK_SET)
pid = os.posix_spawn(
    "/bin/sh", ["sh", "-c", "echo opened; cat <&5"], os.environ,
    file_actions=[(os.POSIX_SPAWN_OPEN, 1, out,
                   os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
                  (os.POSIX_SPAWN_DUP2, fd, 5),
                  (os.POSIX_SPAWN_CLOSE, fd)])
print("os.posix_spawn", os.waitpid(pid, 0)[1], content().split("\n"))
print("kept at", os.lseek(fd, 0, os.SEEK_CUR), "writes",
      os.write(fd, b"more\n"))
os.lseek(fd, 0, os.SEEK_SET)
print("kept reads", os.read(fd, 100))
os.close(fd)
