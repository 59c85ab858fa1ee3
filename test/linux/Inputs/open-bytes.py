#!/usr/bin/env python3
"""open-bytes.py DIR: reads of small files opened for reading only while
other processes and the process itself change them, and what fstat says
of a file opened for writing before and after its first write. K42: a
small file's bytes come with the open of its only reader (held in the
description under the server's lease), and a writer's fstat is answered
from its open while nothing changed; every read and fstat below must see
every change all the same."""
import mmap
import os
import subprocess
import sys

d = sys.argv[1]
os.mkdir(d, 0o755)


def make(name, data):
    path = os.path.join(d, name)
    with open(path, "wb") as out:
        out.write(data)
    return path


def other(*argv):
    subprocess.run(argv, check=True)


def show(what, fd, at=0):
    print("%s: %r" % (what, os.pread(fd, 200, at)))


# Read whole, twice, and by offset.
f = make("f", b"hello world\n")
fd = os.open(f, os.O_RDONLY)
print("read:", os.read(fd, 5), os.read(fd, 100), os.read(fd, 100))
show("pread", fd, 6)
print("seek end:", os.lseek(fd, 0, os.SEEK_END))
# Another process changes it: the reader's lease goes first.
other("sh", "-c", "printf 'HELLO' | dd of=%s conv=notrunc status=none" % f)
show("after another process wrote", fd)
os.close(fd)

# The process's own change through another name of the same file (a hard
# link: the server never revokes a process's own lease).
fd = os.open(f, os.O_RDONLY)
show("again", fd)
os.link(f, f + ".link")
wfd = os.open(f + ".link", os.O_WRONLY)
os.pwrite(wfd, b"J", 0)
os.close(wfd)
show("after own write through a link", fd)
os.close(fd)

# Own truncate by path, own O_TRUNC open of another name.
fd = os.open(f, os.O_RDONLY)
show("before truncate", fd)
os.truncate(f + ".link", 4)
show("after own truncate", fd)
os.close(fd)

# A fork child shares the description: it reads what the file holds, and
# so does its parent after the child wrote.
fd = os.open(f, os.O_RDONLY)
show("parent", fd)
sys.stdout.flush()
pid = os.fork()
if pid == 0:
    show("child", fd)
    wfd = os.open(f, os.O_WRONLY | os.O_APPEND)
    os.write(wfd, b"+child")
    os.close(wfd)
    sys.stdout.flush()
    os._exit(0)
os.waitpid(pid, 0)
show("parent after child", fd)
os.close(fd)

# A mapping's stores never pass the server.
g = make("g", b"mapped file\n")
fd = os.open(g, os.O_RDONLY)
show("g", fd)
mfd = os.open(g, os.O_RDWR)
m = mmap.mmap(mfd, 0)
m[0:6] = b"MAPPED"
show("after a store through a mapping", fd)
m.close()
os.close(mfd)
os.close(fd)

# Larger than any copy, an empty file, one that grows meanwhile.
big = make("big", bytes(range(256)) * 200)
fd = os.open(big, os.O_RDONLY)
data = b""
while True:
    part = os.read(fd, 7000)
    if not part:
        break
    data += part
print("big:", len(data), data == bytes(range(256)) * 200)
os.close(fd)
e = make("empty", b"")
fd = os.open(e, os.O_RDONLY)
print("empty:", os.read(fd, 10), os.fstat(fd).st_size)
other("sh", "-c", "echo grown >> " + e)
print("empty after another process wrote:", os.read(fd, 10))
os.close(fd)

# The access time moves when a file is read (relatime: it was not after
# the modification time), as a read moves it.
a = make("a", b"times\n")
os.utime(a, (1000000000, 1100000000))
fd = os.open(a, os.O_RDONLY)
os.read(fd, 100)
os.close(fd)
print("atime moved:", os.stat(a).st_atime > 1100000000)

# A directory's listing comes with its open too (os.listdir of a
# descriptor rewinds it first: the names made since are listed).
sub = os.path.join(d, "dir")
os.mkdir(sub)
for name in "abc":
    make(os.path.join("dir", name), b"")
fd = os.open(sub, os.O_RDONLY | os.O_DIRECTORY)
print("listing:", sorted(os.listdir(fd)))
other("touch", os.path.join(sub, "d"))
print("after another process made a name:", sorted(os.listdir(fd)))
os.mkdir(os.path.join(sub, "e"))
os.unlink(os.path.join(sub, "a"))
print("after own mkdir and unlink:", sorted(os.listdir(fd)))
os.close(fd)

# A writer's fstat: the open's, then its write's.
w = os.path.join(d, "w")
wfd = os.open(w, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
st = os.fstat(wfd)
print("writer opened: size %d mode %o" % (st.st_size, st.st_mode & 0o777))
before = st.st_mtime_ns
os.write(wfd, b"written\n")
st = os.fstat(wfd)
print("writer after write: size %d mtime moved %s" %
      (st.st_size, st.st_mtime_ns != before))
other("sh", "-c", "echo more >> " + w)
print("writer after another process appended: size", os.fstat(wfd).st_size)
os.close(wfd)
