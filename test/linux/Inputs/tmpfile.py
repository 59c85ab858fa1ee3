"""tmpfile.py DIR: O_TMPFILE on K42's files (tmpfile.test).

K42's file systems make no unnamed files, so the open is answered as Linux
answers it for a file system without them, after Linux's own checks; the
programs that try it (Python's tempfile.TemporaryFile, glibc's tmpfile)
then fall back to a named file, unlinked.
"""
import os
import sys
import tempfile

os.chdir(sys.argv[1])
open("afile", "w").close()
for flags, what in ((os.O_TMPFILE | os.O_WRONLY, "O_TMPFILE|O_WRONLY"),
                    (os.O_TMPFILE | os.O_RDWR, "O_TMPFILE|O_RDWR"),
                    (os.O_TMPFILE | os.O_RDONLY, "O_TMPFILE|O_RDONLY")):
    for name in (".", "nodir", "afile"):
        try:
            fd = os.open(name, flags, 0o600)
            print(what, name, "opened, links", os.fstat(fd).st_nlink)
            os.close(fd)
        except OSError as e:
            print(what, name, e.strerror)
# O_DIRECTORY alone is a folder's open, not O_TMPFILE's.
print("O_DIRECTORY", sorted(os.listdir(".")))
with tempfile.TemporaryFile(dir=".") as f:
    f.write(b"abc")
    f.seek(0)
    print("TemporaryFile", f.read(), sorted(os.listdir(".")))
