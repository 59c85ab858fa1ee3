# mmap-files.py DIR: python's mmap module on files in DIR, run natively and
# under the personality by mmap-python.test: a shared mapping of a file
# opened r+b, written through the mapping and read with f.read, written
# with f.write and seen in the mapping, flushed (msync), resized (ftruncate
# and mremap), seen by a child process's own mapping; a read-only and a
# copy-on-write (ACCESS_COPY) mapping; then sqlite in WAL mode, whose
# -shm file every connection maps shared, with a second process reading
# while the first holds the database open.
import mmap
import os
import sqlite3
import subprocess
import sys

path = os.path.join(sys.argv[1], "mapped")
with open(path, "wb") as f:
    f.write(b"\0" * 4096)

with open(path, "r+b") as f:
    m = mmap.mmap(f.fileno(), 4096)
    m[0:5] = b"hello"
    print("read sees the store:", f.read(5))
    f.seek(10)
    f.write(b"written")
    f.flush()
    print("map sees the write:", m[10:17])
    m.flush()
    print("size:", m.size(), len(m))
    m.resize(8192)
    m[8000:8005] = b"grown"
    print("after resize, size:", os.fstat(f.fileno()).st_size)
    f.seek(8000)
    print("read at 8000:", f.read(5))
    child = subprocess.run(
        [sys.executable, "-c",
         "import mmap,sys\n"
         "f=open(sys.argv[1],'r+b')\n"
         "m=mmap.mmap(f.fileno(),0)\n"
         "print('child sees:', m[0:5], m[8000:8005])\n"
         "m[20:25]=b'child'\n", path],
        capture_output=True, text=True)
    print(child.stdout.strip(), child.returncode)
    print("parent map sees child:", m[20:25])
    m.close()

with open(path, "rb") as f:
    ro = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    print("read-only map:", ro[0:5], len(ro))
    try:
        ro[0:1] = b"x"
    except TypeError as e:
        print("read-only store refused:", type(e).__name__)
    ro.close()
    cow = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_COPY)
    cow[0:5] = b"COPY!"
    print("copy map:", cow[0:5])
    f.seek(0)
    print("file after copy store:", f.read(5))
    cow.close()

with open(path, "rb") as f:
    try:
        mmap.mmap(f.fileno(), 4096, access=mmap.ACCESS_WRITE)
    except PermissionError as e:
        print("shared write of a read-only open:", e.strerror)
db = os.path.join(sys.argv[1], "wal.db")
conn = sqlite3.connect(db)
print("journal mode:", conn.execute("pragma journal_mode=wal").fetchone()[0])
conn.execute("create table t(x)")
conn.executemany("insert into t values(?)", [(i,) for i in range(1000)])
conn.commit()
reader = subprocess.run(
    [sys.executable, "-c",
     "import sqlite3,sys\n"
     "c=sqlite3.connect(sys.argv[1])\n"
     "print('other process reads:', c.execute('select count(*), sum(x) from t').fetchone())\n"
     "c.execute('insert into t values(5000)')\n"
     "c.commit()\n", db],
    capture_output=True, text=True)
print(reader.stdout.strip(), reader.stderr.strip()[-200:], reader.returncode)
print("after its write:", conn.execute("select count(*), sum(x) from t").fetchone())
conn.close()
print("done")
