"""write-offset-limit.py PATH: writes at the largest file position
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
os.unlink(path)
