"""chmod-fdname.py DIR: chmod through a descriptor's name
(chmod-fdname.test): os.chmod(follow_symlinks=False), which glibc makes an
O_PATH open and a chmod of /proc/self/fd/N; the names of an O_PATH and of
a read-write descriptor; shutil.copystat without following links.
"""
import os
import shutil
import stat
import sys

os.chdir(sys.argv[1])


def mode(name):
    return oct(stat.S_IMODE(os.stat(name).st_mode))


open("f", "w").close()
os.chmod("f", 0o600)
os.chmod("f", 0o640, follow_symlinks=False)
print("os.chmod(follow_symlinks=False):", mode("f"))
fd = os.open("f", os.O_PATH)
os.chmod("/proc/self/fd/%d" % fd, 0o604)
print("chmod of an O_PATH descriptor's name:", mode("f"))
rw = os.open("f", os.O_RDWR)
os.chmod("/dev/fd/%d" % rw, 0o622)
print("chmod of /dev/fd/N:", mode("f"))
open("g", "w").close()
shutil.copystat("f", "g", follow_symlinks=False)
print("shutil.copystat(follow_symlinks=False):", mode("g"))
