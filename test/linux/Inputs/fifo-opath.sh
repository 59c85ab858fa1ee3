#!/bin/bash
# fifo-opath.sh DIR: an O_PATH open of a named pipe in DIR names the file
# and opens no pipe, so it never waits for a writer (fifo-opath.test):
# fstat, chmod through /proc/self/fd, readlink, read refused (EBADF);
# `mkfifo -m` and tar's extraction of a FIFO, which open it so.
d=$1; rm -rf "$d"; mkdir -p "$d" && cd "$d" || exit 1
mkfifo p; echo mkfifo=$?
timeout 5 python3 -c '
import os, stat
fd = os.open("p", os.O_PATH)
st = os.fstat(fd); print("O_PATH open ok", stat.S_ISFIFO(st.st_mode), oct(st.st_mode & 0o777))
os.chmod("/proc/self/fd/%d" % fd, 0o600); print("chmod via fd", oct(os.stat("p").st_mode & 0o777))
print("readlink", os.readlink("/proc/self/fd/%d" % fd).endswith("/p"))
try:
    os.read(fd, 1)
except OSError as e: print("read", e.errno)
os.close(fd)'; echo opath=$?
timeout 5 mkfifo -m 0640 q; echo mkfifo_m=$?; stat -c '%A %n' q
mkdir t && mkfifo t/f && tar cf a.tar t && rm -rf t && timeout 5 tar xf a.tar; echo tar=$?; stat -c '%F' t/f
