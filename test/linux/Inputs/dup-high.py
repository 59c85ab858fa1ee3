"""dup-high.py: F_DUPFD of K42 descriptors to numbers past the first
1024 (dup-high.test): each copy is used (a pipe's read end reads through
it, a file's copy moves the one offset), then closed; the pipe and the
file still work through their own numbers. Its limit is raised to 8192
first (the hard limit allowing)."""
import fcntl
import os
import resource
import sys

soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
if hard == resource.RLIM_INFINITY or hard >= 8192:
    resource.setrlimit(resource.RLIMIT_NOFILE, (8192, hard))
r, w = os.pipe()
path = sys.argv[1]
f = os.open(path, os.O_CREAT | os.O_RDWR | os.O_TRUNC, 0o644)
for what, fd, low in (("pipe end", r, 5000), ("file", f, 1500),
                      ("pipe end, low", w, 50)):
    try:
        new = fcntl.fcntl(fd, fcntl.F_DUPFD, low)
        print(what, "F_DUPFD", low, "->", "ok" if new >= low else new)
        if fd == r:
            os.write(w, b"x")
            print("  read through the copy:", os.read(new, 1).decode())
        elif fd == f:
            os.write(new, b"copy ")
            print("  the file's offset:", os.lseek(f, 0, os.SEEK_CUR))
        os.close(new)
    except OSError as e:
        print(what, "F_DUPFD", low, "->", os.strerror(e.errno))
print("host descriptor F_DUPFD 5000 ->",
      "ok" if fcntl.fcntl(0, fcntl.F_DUPFD, 5000) >= 5000 else "wrong")
os.write(w, b"still a pipe")
print(os.read(r, 64).decode())
os.write(f, b"still a file")
os.lseek(f, 0, os.SEEK_SET)
print(os.read(f, 64).decode())
os.unlink(path)
