"""xattrs.py DIR: extended attributes of files in DIR (xattrs.test): user.
and trusted. attributes set, read, listed and removed by path, by
descriptor and without following a symlink, with Linux's errors (the
flags, sizes, a missing name, a symlink or FIFO's user. attributes, the
permission bits); what tar --xattrs and cp --preserve=xattr carry."""
import ctypes
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
t("bare namespace", lambda: os.setxattr("f", "user.", b"x"))
t("bare namespace get", lambda: os.getxattr("f", "trusted."))
t("bare namespace, missing file", lambda: os.getxattr("none", "user."))

# The *xattrat calls (Linux 6.13), through ctypes, where the host's kernel
# has them (its answer for a host path, /proc/self, says).
libc = ctypes.CDLL(None, use_errno=True)


class XattrArgs(ctypes.Structure):
    _fields_ = [("value", ctypes.c_uint64), ("size", ctypes.c_uint32),
                ("flags", ctypes.c_uint32)]


def sc(number, *args):
    r = libc.syscall(ctypes.c_long(number), *args)
    if r < 0:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))
    return r


L = ctypes.c_long
AT_FDCWD, AT_EMPTY_PATH, AT_SYMLINK_NOFOLLOW = -100, 0x1000, 0x100
SET, GET, LIST, REMOVE = 463, 464, 465, 466
value = ctypes.create_string_buffer(b"at")
out = ctypes.create_string_buffer(64)
names = ctypes.create_string_buffer(256)


def args(buf, size, flags=0):
    return XattrArgs(ctypes.addressof(buf), size, flags)


def xattrat(number, dirfd, path, flags, *rest):
    return sc(number, L(dirfd), ctypes.c_char_p(path), L(flags), *rest)


try:
    xattrat(GET, AT_FDCWD, b"/proc/self", 0, ctypes.c_char_p(b"user.x"),
            ctypes.byref(args(out, 64)), L(16))
    have = True
except OSError as e:
    have = e.errno != errno.ENOSYS
if not have:
    print("xattrat: not on this kernel")
else:
    n = ctypes.c_char_p
    # Room for more on ext4 (one block for all of a file's attributes),
    # where the native run may be: the 4000-byte value set aside.
    big = os.getxattr("f", "user.big")
    os.removexattr("f", "user.big")
    t("setxattrat", lambda: xattrat(SET, AT_FDCWD, b"f", 0, n(b"user.at"),
                                    ctypes.byref(args(value, 2)), L(16)))
    def got(size):
        return out.raw[:size]

    def listed(size):
        return sorted(names.raw[:size].split(b"\0")[:-1])

    t("getxattrat", lambda: got(xattrat(
        GET, AT_FDCWD, b"f", 0, n(b"user.at"), ctypes.byref(args(out, 64)),
        L(16))))
    t("getxattrat flags", lambda: xattrat(
        GET, AT_FDCWD, b"f", 0, n(b"user.at"),
        ctypes.byref(args(out, 64, 1)), L(16)))
    t("setxattrat short args", lambda: xattrat(
        SET, AT_FDCWD, b"f", 0, n(b"user.at"),
        ctypes.byref(args(value, 2)), L(8)))
    longer = (ctypes.c_uint64 * 3)(ctypes.addressof(value), 2, 1)
    t("setxattrat args tail not zero", lambda: xattrat(
        SET, AT_FDCWD, b"f", 0, n(b"user.at"), longer, L(24)))
    t("setxattrat bad at_flags", lambda: xattrat(
        SET, AT_FDCWD, b"f", 4, n(b"user.at"), ctypes.byref(args(value, 2)),
        L(16)))
    t("listxattrat symlink itself", lambda: xattrat(
        LIST, AT_FDCWD, b"l", AT_SYMLINK_NOFOLLOW, names, L(256)))
    fd = os.open("f", os.O_RDONLY)
    t("setxattrat by descriptor", lambda: xattrat(
        SET, fd, b"", AT_EMPTY_PATH, n(b"user.fd2"),
        ctypes.byref(args(value, 2)), L(16)))
    t("listxattrat by descriptor", lambda: listed(xattrat(
        LIST, fd, b"", AT_EMPTY_PATH, names, L(256))))
    t("removexattrat by descriptor", lambda: xattrat(
        REMOVE, fd, b"", AT_EMPTY_PATH, n(b"user.fd2")))
    os.close(fd)
    t("removexattrat", lambda: xattrat(REMOVE, AT_FDCWD, b"f", 0,
                                       n(b"user.at")))
    t("after removexattrat", lambda: os.getxattr("f", "user.at"))
    t("removexattrat missing file", lambda: xattrat(
        REMOVE, AT_FDCWD, b"none", 0, n(b"user.at")))
    os.setxattr("f", "user.big", big)
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
