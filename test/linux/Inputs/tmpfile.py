"""tmpfile.py DIR: O_TMPFILE in DIR (tmpfile.test): unnamed files as Linux's
tmpfs makes them (ramfs's), after Linux's own checks; linked into the
folder through the descriptor (linkat of /proc/self/fd/N, followed) unless
made with O_EXCL; glibc's tmpfile and Python's TemporaryFile use them."""
import ctypes
import os
import stat
import sys
import tempfile

libc = ctypes.CDLL(None, use_errno=True)
AT_FDCWD, AT_SYMLINK_FOLLOW, AT_EMPTY_PATH = -100, 0x400, 0x1000


def linkfd(fd, name, empty=False):
    """linkat of descriptor fd to name: through its /proc/self/fd name
    followed (the way open(2) gives), or with AT_EMPTY_PATH."""
    if empty:
        r = libc.linkat(fd, b"", AT_FDCWD, name.encode(), AT_EMPTY_PATH)
    else:
        r = libc.linkat(AT_FDCWD, ("/proc/self/fd/%d" % fd).encode(), AT_FDCWD,
                        name.encode(), AT_SYMLINK_FOLLOW)
    return "ok" if r == 0 else os.strerror(ctypes.get_errno())


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

# An unnamed file: written, read back, unlisted, then named.
fd = os.open(".", os.O_TMPFILE | os.O_RDWR, 0o640)
os.write(fd, b"unnamed data")
st = os.fstat(fd)
print("unnamed: regular", stat.S_ISREG(st.st_mode), "mode", oct(st.st_mode & 0o777),
      "links", st.st_nlink, "size", st.st_size)
print("listed", sorted(os.listdir(".")))
print("link name ends (deleted)", os.readlink("/proc/self/fd/%d" % fd).endswith(" (deleted)"))
print("link:", linkfd(fd, "named"))
print("linked: links", os.fstat(fd).st_nlink, "listed", sorted(os.listdir(".")))
with open("named", "rb") as f:
    print("named holds", f.read())
print("same inode", os.stat("named").st_ino == os.fstat(fd).st_ino)
print("again to the same name:", linkfd(fd, "named"))
print("a second name, AT_EMPTY_PATH:", linkfd(fd, "second", empty=True),
      "links", os.fstat(fd).st_nlink)
os.close(fd)
os.unlink("second")
os.unlink("named")

# With O_EXCL it may never be named.
fd = os.open(".", os.O_TMPFILE | os.O_RDWR | os.O_EXCL, 0o600)
print("O_EXCL link:", linkfd(fd, "never"))
os.close(fd)

# A named file unlinked cannot be named again through its descriptor.
fd = os.open("gone", os.O_CREAT | os.O_RDWR, 0o600)
os.unlink("gone")
print("unlinked file link:", linkfd(fd, "back"))
os.close(fd)

with tempfile.TemporaryFile(dir=".") as f:
    f.write(b"abc")
    f.seek(0)
    print("TemporaryFile", f.read(), sorted(os.listdir(".")))
