# stable-files.py: what a program sees of files it opens for reading, run
# under the personality and natively by stable-files.test. On a read-only
# hostfs mount the open's attributes answer the first fstat and the close
# is parked; a writable (ramfs) file must still show another descriptor's
# write to the first fstat after the open.
import hashlib
import mmap
import os
import sys

scratch = sys.argv[1]

# A read-only mount's file: fstat, a private mapping and a read agree with
# the file's path stat.
path = "/usr/lib/locale/C.utf8/LC_CTYPE"
if not os.path.exists(path):
    path = "/etc/passwd"
with open(path, "rb") as f:
    st = os.fstat(f.fileno())
    mapped = mmap.mmap(f.fileno(), 0, flags=mmap.MAP_PRIVATE, prot=mmap.PROT_READ)
    data = f.read()
    print("hostfs fstat size matches:", st.st_size == os.stat(path).st_size == len(data))
    print("hostfs fstat inode matches:", st.st_ino == os.stat(path).st_ino)
    print("hostfs mapping matches read:", mapped[:] == data)
    mapped.close()

# Many opens and closes of read-only files in one process (more than the
# parked handles a process keeps): every one reads right.
digests = set()
for _ in range(100):
    with open("/etc/passwd", "rb") as f:
        os.fstat(f.fileno())
        digests.add(hashlib.md5(f.read()).hexdigest())
print("100 opens of /etc/passwd read alike:", len(digests) == 1)

# A writable file opened for reading: a write through another descriptor
# comes before the first fstat, which must see it.
name = os.path.join(scratch, "grows")
with open(name, "wb") as w:
    w.write(b"hello\n")
reader = open(name, "rb")
with open(name, "ab") as w:
    w.write(b"more\n")
print("writable file's first fstat after a write:", os.fstat(reader.fileno()).st_size)
print("read:", reader.read())
reader.close()
os.unlink(name)
