"""xattrs.py DIR: extended attributes of files in DIR (xattrs.test): user.
and trusted. attributes set, read, listed and removed by path, by
descriptor and without following a symlink, with Linux's errors (the
flags, sizes, a missing name, a symlink or FIFO's user. attributes, the
permission bits); what tar --xattrs and cp --preserve=xattr carry."""
import errno
import os
import subprocess
import sys

os.chdir(sys.argv[1])


def t(what, f):
    try:
        r = f()
        print(what, "->", r if r is not None else "ok")
    except OSError as e:
        print(what, "->", errno.errorcode.get(e.errno, e.errno))


with open("f", "w") as f:
    f.write("data")
os.mkdir("d")
os.symlink("f", "l")
os.mkfifo("p")
t("set user.a", lambda: os.setxattr("f", "user.a", b"one"))
t("get user.a", lambda: os.getxattr("f", "user.a"))
t("set user.b empty", lambda: os.setxattr("f", "user.b", b""))
t("get user.b", lambda: os.getxattr("f", "user.b"))
t("list", lambda: sorted(os.listxattr("f")))
t("create existing", lambda: os.setxattr("f", "user.a", b"x", os.XATTR_CREATE))
t("replace missing", lambda: os.setxattr("f", "user.c", b"x", os.XATTR_REPLACE))
t("replace", lambda: os.setxattr("f", "user.a", b"two", os.XATTR_REPLACE))
t("get replaced", lambda: os.getxattr("f", "user.a"))
t("get missing", lambda: os.getxattr("f", "user.zz"))
t("remove missing", lambda: os.removexattr("f", "user.zz"))
t("remove user.b", lambda: os.removexattr("f", "user.b"))
t("list after", lambda: sorted(os.listxattr("f")))
t("bad flags", lambda: os.setxattr("f", "user.a", b"x", 4))
t("empty name", lambda: os.setxattr("f", "", b"x"))
t("long name", lambda: os.setxattr("f", "user." + "n" * 260, b"x"))
t("big value", lambda: os.setxattr("f", "user.big", b"v" * 65537))
t("4000-byte value", lambda: len(os.setxattr("f", "user.big", b"v" * 4000) or os.getxattr("f", "user.big")))
t("no namespace", lambda: os.setxattr("f", "bogus", b"x"))
t("trusted", lambda: os.setxattr("f", "trusted.t", b"root") or os.getxattr("f", "trusted.t"))
t("folder", lambda: os.setxattr("d", "user.d", b"dir") or os.getxattr("d", "user.d"))
t("through the symlink", lambda: os.getxattr("l", "user.a"))
t("the symlink itself", lambda: os.setxattr("l", "user.s", b"x", follow_symlinks=False))
t("the symlink's list", lambda: os.listxattr("l", follow_symlinks=False))
t("a FIFO", lambda: os.setxattr("p", "user.p", b"x"))
fd = os.open("f", os.O_RDONLY)
t("by descriptor", lambda: os.getxattr(fd, "user.a"))
t("set by descriptor", lambda: os.setxattr(fd, "user.fd", b"via fd") or os.getxattr("f", "user.fd"))
t("list by descriptor", lambda: sorted(os.listxattr(fd)))
os.close(fd)
t("missing file", lambda: os.getxattr("none", "user.a"))
t("acl asked by ls -l", lambda: os.getxattr("f", "system.posix_acl_access"))
# What tools carry.
subprocess.run(["tar", "--xattrs", "-cf", "a.tar", "f"], check=True)
os.mkdir("x")
subprocess.run(["tar", "--xattrs", "--xattrs-include=user.*", "-xf", "../a.tar"], cwd="x", check=True)
t("tar carried", lambda: os.getxattr("x/f", "user.a"))
subprocess.run(["cp", "--preserve=xattr", "f", "copy"], check=True)
t("cp carried", lambda: os.getxattr("copy", "user.fd"))
# Another user: the permission bits, and trusted. is not for it. (Its
# output goes to a file the test opened: a process that changed its user
# makes no new K42 connection.)
os.chmod("f", 0o644)
sys.stdout.flush()
pid = os.fork()
if pid == 0:
    os.setgid(65534)
    os.setuid(65534)
    t("another user sets", lambda: os.setxattr("f", "user.o", b"x"))
    t("another user reads", lambda: os.getxattr("f", "user.a"))
    t("another user's trusted", lambda: os.getxattr("f", "trusted.t"))
    t("another user's list", lambda: sorted(os.listxattr("f")))
    sys.stdout.flush()
    os._exit(0)
os.waitpid(pid, 0)
