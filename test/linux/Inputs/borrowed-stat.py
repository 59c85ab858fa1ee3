"""borrowed-stat.py DIR: a fork child's stats, which go through its
parent's channel to the file server until it has one of its own
(runtime/linux/FsBridge.cpp, MountSlot::Borrowed): of its cwd, a file, a
missing name; after the child made itself another user (a folder closed
to that user must refuse it, as the parent's credentials would not); and
in a process whose parent, the channel's owner, is gone. Prints only what
native Linux prints too."""
import os
import stat
import sys
import time

top = sys.argv[1]
os.makedirs(top + "/open", exist_ok=True)
os.makedirs(top + "/closed", exist_ok=True)
for name in ("open/f", "closed/f"):
    with open(top + "/" + name, "w") as f:
        f.write("x")
os.chmod(top + "/closed", 0o700)
os.chdir(top)


def kind(path):
    st = os.stat(path)
    return "folder" if stat.S_ISDIR(st.st_mode) else "file of %d" % st.st_size


def answer(fn):
    try:
        return fn()
    except OSError as e:
        return "%s %d" % (type(e).__name__, e.errno)


def in_child(fn):
    """fn's answer in a fork child that makes no other call first."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        os.write(w, (answer(fn) + "\n").encode())
        os._exit(0)
    os.close(w)
    got = os.read(r, 1000).decode().strip()
    os.close(r)
    os.waitpid(pid, 0)
    return got


def as_nobody(path):
    os.setgroups([])
    os.setgid(65534)
    os.setuid(65534)
    return kind(path)


print("cwd:", in_child(lambda: kind(".")))
print("file:", in_child(lambda: kind("open/f")))
print("missing:", in_child(lambda: kind("open/none")))
print("closed, as root:", in_child(lambda: kind("closed/f")))
print("closed, as nobody:", in_child(lambda: as_nobody("closed/f")))
print("open, as nobody:", in_child(lambda: as_nobody("open/f")))

# The channel's owner gone: a child that opens a file (so it has a channel
# of its own), forks a grandchild and exits; the grandchild stats later,
# its parent's channel closed by then.
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(r)
    with open("open/f") as f:
        f.read()
    if os.fork() == 0:
        time.sleep(0.3)
        os.write(w, ("orphan: " + answer(lambda: kind("open/f")) + "\n").encode())
        os._exit(0)
    os._exit(0)
os.close(w)
os.waitpid(pid, 0)
print(os.read(r, 1000).decode().strip())
os.close(r)
