"""dot-names.py DIR: removing and renaming paths whose last component is
"." or ".." (dot-names.test): Linux refuses them (EINVAL, ENOTEMPTY,
EBUSY, EISDIR) and changes nothing; a folder renamed below itself is
EINVAL before its target's contents are looked at.
"""
import os
import sys

os.chdir(sys.argv[1])


def tree():
    for d in ("a/b/c",):
        os.makedirs(d, exist_ok=True)


def show():
    return "a/b/c %s, x %s" % (os.path.isdir("a/b/c"), os.path.exists("x"))


def attempt(what, call, *args):
    tree()
    try:
        call(*args)
        result = "done"
    except OSError as e:
        result = e.strerror
    print("%-28s %-28s %s" % (what, result, show()))
    if os.path.exists("x"):
        os.rename("x", "a") if not os.path.exists("a") else None


attempt('rename("a/b/.", "x")', os.rename, "a/b/.", "x")
attempt('rename("a/b/..", "x")', os.rename, "a/b/..", "x")
attempt('rename("a", "a/b/.")', os.rename, "a", "a/b/.")
attempt('rename("a", "a/b")', os.rename, "a", "a/b")
attempt('rmdir("a/b/c/.")', os.rmdir, "a/b/c/.")
attempt('rmdir("a/b/c/..")', os.rmdir, "a/b/c/..")
attempt('rmdir(".")', os.rmdir, ".")
attempt('rmdir("nowhere/.")', os.rmdir, "nowhere/.")
attempt('unlink("a/b/.")', os.unlink, "a/b/.")
attempt('rmdir("a/b/c/")', os.rmdir, "a/b/c/")
