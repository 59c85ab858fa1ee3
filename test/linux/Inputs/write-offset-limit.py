"""write-offset-limit.py PATH: writes and reads at the largest file position
(write-offset-limit.test)."""
import errno
import os
import sys

path = sys.argv[1]
fd = os.open(path, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o644)
largest = 2**63 - 1
print("lseek to the largest position:", os.lseek(fd, largest, os.SEEK_SET))
for name, write in (("write there", lambda: os.write(fd, b"x")),
                    ("pwrite there", lambda: os.pwrite(fd, b"x", largest))):
    try:
        write()
        print(name + ": ok")
    except OSError as e:
        print(name + ":", errno.errorcode[e.errno])
os.lseek(fd, largest - 1, os.SEEK_SET)
print("write of a byte just below it:", os.write(fd, b"x"))
os.close(fd)
# A read whose count would pass the largest position: EINVAL too (it
# answered 0), where a pread there is EINVAL and one byte below reads.
fd = os.open(path, os.O_RDONLY)
os.lseek(fd, largest - 2, os.SEEK_SET)
for name, read in (("read of 10 near it", lambda: os.read(fd, 10)),
                   ("readv of 10 near it", lambda: os.readv(fd, [bytearray(10)])),
                   ("read of 1 below it", lambda: os.read(fd, 1))):
    try:
        print(name + ":", len(read()) if name.startswith("read of") else read())
    except OSError as e:
        print(name + ":", errno.errorcode[e.errno])
os.close(fd)
os.unlink(path)
