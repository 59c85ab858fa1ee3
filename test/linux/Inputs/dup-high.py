"""dup-high.py: F_DUPFD of K42 descriptors to numbers past the
personality's tables (dup-high.test). Each answer is printed; then the
pipe and the file still work through their own numbers."""
import errno
import fcntl
import os
import sys

r, w = os.pipe()
path = sys.argv[1]
f = os.open(path, os.O_CREAT | os.O_RDWR | os.O_TRUNC, 0o644)
for what, fd, low in (("pipe end", r, 5000), ("file", f, 1500),
                      ("pipe end, low", w, 50)):
    try:
        new = fcntl.fcntl(fd, fcntl.F_DUPFD, low)
        print(what, "F_DUPFD", low, "->", "ok" if new >= low else new)
        os.close(new)
    except OSError as e:
        print(what, "F_DUPFD", low, "->", errno.errorcode[e.errno])
print("host descriptor F_DUPFD 5000 ->",
      "ok" if fcntl.fcntl(0, fcntl.F_DUPFD, 5000) >= 5000 else "wrong")
os.write(w, b"still a pipe")
print(os.read(r, 64).decode())
os.write(f, b"still a file")
os.lseek(f, 0, os.SEEK_SET)
print(os.read(f, 64).decode())
os.unlink(path)
