"""fallocate-space.py DIR: fallocate past the free memory, then files as
before (fallocate-space.test)."""
import ctypes
import errno
import os
import sys

folder = sys.argv[1]
os.makedirs(folder, exist_ok=True)
path = os.path.join(folder, "big")
fd = os.open(path, os.O_CREAT | os.O_TRUNC | os.O_RDWR, 0o644)
huge = 1 << 62
try:
    os.posix_fallocate(fd, 0, huge)
    print("fallocate 2^62 bytes: ok")
except OSError as e:
    print("fallocate 2^62 bytes:", errno.errorcode[e.errno])
print("size after it:", os.fstat(fd).st_size)
libc = ctypes.CDLL(None, use_errno=True)
libc.fallocate.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_long,
                           ctypes.c_long]
FALLOC_FL_KEEP_SIZE = 1
if libc.fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, huge) == 0:
    print("fallocate 2^62 bytes, keeping the size: ok")
else:
    print("fallocate 2^62 bytes, keeping the size:",
          errno.errorcode[ctypes.get_errno()])
os.ftruncate(fd, 0)
os.posix_fallocate(fd, 0, 65536)
print("fallocate 64 KiB: ok,", os.fstat(fd).st_size, "bytes")
os.close(fd)
os.unlink(path)
other = os.path.join(folder, "after")
with open(other, "w") as f:
    f.write("after")
with open(other) as f:
    print("another file afterwards:", f.read())
os.unlink(other)
os.rmdir(folder)
