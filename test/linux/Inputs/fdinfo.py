"""fdinfo.py DIR: /proc/self/fdinfo/N of K42 descriptors says what Linux's
says of the file or pipe end, not of the personality's placeholder
(fdinfo.test): pos and flags (access mode, O_APPEND, O_NONBLOCK,
O_CLOEXEC, O_DIRECTORY, O_LARGEFILE for files only), ino as fstat's, a
write open refused the host's way, and lsof's start-up test (open "/",
seek to 1, pos must say 1)."""
import os, sys
d = sys.argv[1]
os.makedirs(d, exist_ok=True); os.chdir(d)
def info(fd):
    t = open("/proc/self/fdinfo/%d" % fd).read().split("\n")
    return [l for l in t if l.split(":")[0] in ("pos", "flags")]
fd = os.open("f", os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
os.write(fd, b"hello world"); os.lseek(fd, 3, 0)
print("rdwr", info(fd))
w = os.open("f", os.O_WRONLY | os.O_APPEND | os.O_CLOEXEC)
print("wronly append cloexec", info(w))
r = os.open("f", os.O_RDONLY | os.O_NONBLOCK); os.read(r, 5)
print("rdonly nonblock", info(r))
dfd = os.open(".", os.O_RDONLY | os.O_DIRECTORY)
print("dir", info(dfd))
pr, pw = os.pipe()
print("pipe read", info(pr)); print("pipe write", info(pw))
print("ino same", int(open("/proc/self/fdinfo/%d" % fd).read().split("ino:")[1].split()[0]) == os.fstat(fd).st_ino)
print("pipe ino same", int(open("/proc/%d/fdinfo/%d" % (os.getpid(), pr)).read().split("ino:")[1].split()[0]) == os.fstat(pr).st_ino)
try:
    os.open("/proc/self/fdinfo/%d" % fd, os.O_WRONLY)
except OSError as e: print("write open", e.errno)
root = os.open("/", os.O_RDONLY); os.lseek(root, 1, 0)
print("lsof's test", info(root)[0])
