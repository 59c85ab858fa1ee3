"""pwrite-append.py DIR: pwrite on an O_APPEND descriptor appends whatever
the offset, as Linux does, and leaves the offset; pread and pwrite whose
position and count pass the largest offset are EINVAL (pwrite-append.test).
"""
import os
import sys

os.chdir(sys.argv[1])
with open("f", "w") as f:
    f.write("0123456789")
fd = os.open("f", os.O_WRONLY | os.O_APPEND)
print("pwrite at 0 on O_APPEND:", os.pwrite(fd, b"AP", 0),
      open("f").read(), "offset", os.lseek(fd, 0, os.SEEK_CUR))
big = 2**63 - 8
for what, call in (("pwrite", lambda: os.pwrite(fd, b"0123456789", big)),
                   ("pread", lambda: os.pread(os.open("f", os.O_RDONLY), 10,
                                              big))):
    try:
        print(what, "at 2**63-8 of 10 bytes:", call())
    except OSError as e:
        print(what, "at 2**63-8 of 10 bytes:", e.strerror)
