#!/usr/bin/env python3
"""lease-attrs.py DIR: fstat of a file and a directory held open for
reading while other processes and the process itself change them: every
change is seen by the next fstat (K42: a reader's lease answers fstat from
the open's attributes only while nobody changed the file)."""
import os
import subprocess
import sys

d = sys.argv[1]
os.mkdir(d, 0o755)
f = os.path.join(d, "f")
with open(f, "w") as out:
    out.write("hello\n")
fd = os.open(f, os.O_RDONLY)
dfd = os.open(d, os.O_RDONLY | os.O_DIRECTORY)
last = {}


def show(what, fd, key):
    st = os.fstat(fd)
    times = (st.st_mtime_ns, st.st_ctime_ns)
    moved = key in last and last[key] != times
    last[key] = times
    # A directory's size is the file system's own (ramfs's, ext4's).
    size = "-" if key == "d" else str(st.st_size)
    print("%s: mode %o size %s nlink %d times changed %s" %
          (what, st.st_mode & 0o7777, size, st.st_nlink, moved))


def other(*argv):
    subprocess.run(argv, check=True)


show("opened", fd, "f")
show("again", fd, "f")
other("chmod", "600", f)
show("other chmod", fd, "f")
other("sh", "-c", "echo more >> " + f)
show("other append", fd, "f")
other("ln", f, f + "2")
show("other link", fd, "f")
other("touch", "-d", "@1000000000", f)
show("other touch", fd, "f")
other("rm", f + "2")
show("other unlink of the link", fd, "f")
print("read:", len(os.read(fd, 100)))
show("after read", fd, "f")
os.chmod(f, 0o640)
show("own chmod", fd, "f")
os.truncate(f, 3)
show("own truncate", fd, "f")
wfd = os.open(f, os.O_WRONLY | os.O_APPEND)
os.write(wfd, b"abcdef")
os.close(wfd)
show("own write", fd, "f")
os.utime(f, (2000000000, 2000000000))
show("own utime", fd, "f")
show("dir opened", dfd, "d")
other("mkdir", os.path.join(d, "sub"))
show("dir: other mkdir", dfd, "d")
other("touch", os.path.join(d, "new"))
show("dir: other create", dfd, "d")
other("mv", os.path.join(d, "new"), os.path.join(d, "new2"))
show("dir: other rename", dfd, "d")
other("rmdir", os.path.join(d, "sub"))
show("dir: other rmdir", dfd, "d")
os.mkdir(os.path.join(d, "own"))
show("dir: own mkdir", dfd, "d")
os.rmdir(os.path.join(d, "own"))
show("dir: own rmdir", dfd, "d")
other("chmod", "700", d)
show("dir: other chmod", dfd, "d")
os.close(fd)
os.close(dfd)
os.unlink(f)
os.unlink(os.path.join(d, "new2"))
os.rmdir(d)
