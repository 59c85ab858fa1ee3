# unix-socket.py DIR: an AF_UNIX stream socket and a datagram socket named
# in DIR, bound, connected to by a forked child, unlinked and bound again;
# the names as files (stat, chmod, listing, rename, unlink, open); connect
# to a name that is no socket, or a socket nobody bound (unix-socket.test:
# on K42's /tmp and in a host folder, the same output).
import os
import socket
import stat
import sys

os.umask(0o022)

d = sys.argv[1]
os.makedirs(d, exist_ok=True)
name = os.path.join(d, "stream.sock")
for round in (1, 2):
    try:
        os.unlink(name)
    except FileNotFoundError:
        pass
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(name)
    server.listen(1)
    pid = os.fork()
    if pid == 0:
        c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        c.connect(name)
        c.sendall(b"hello %d" % round)
        c.close()
        os._exit(0)
    conn, _ = server.accept()
    print("round", round, conn.recv(64).decode())
    conn.close()
    os.waitpid(pid, 0)
    try:
        other = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        other.bind(name)
        print("second bind: bound")
    except OSError as e:
        print("second bind:", os.strerror(e.errno))
    server.close()
dgram = os.path.join(d, "dgram.sock")
r = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
r.bind(dgram)
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.sendto(b"datagram", dgram)
print("dgram", r.recv(64).decode())
try:
    socket.socket(socket.AF_UNIX, socket.SOCK_STREAM).connect(os.path.join(d, "none.sock"))
except OSError as e:
    print("connect missing:", os.strerror(e.errno))
try:
    socket.socket(socket.AF_UNIX, socket.SOCK_STREAM).bind(os.path.join(d, "no/dir.sock"))
except OSError as e:
    print("bind missing dir:", os.strerror(e.errno))
st = os.lstat(dgram)
print("dgram node:", stat.filemode(st.st_mode))
os.chmod(dgram, 0o600)
print("after chmod:", stat.filemode(os.stat(dgram).st_mode))
print("listed:", sorted(os.listdir(d)))
moved = os.path.join(d, "moved.sock")
os.rename(dgram, moved)
s.sendto(b"to the new name", moved)
print("renamed:", r.recv(64).decode())
for what, call in (("old name", lambda: s.sendto(b"x", dgram)),
                   ("open", lambda: open(moved)),
                   ("connect file", lambda: socket.socket(socket.AF_UNIX).connect(os.path.join(d, "regular")))):
    if what == "connect file":
        open(os.path.join(d, "regular"), "w").close()
    try:
        call()
        print(what + ": ok")
    except OSError as e:
        print(what + ":", os.strerror(e.errno))
os.unlink(moved)
try:
    s.sendto(b"x", moved)
except OSError as e:
    print("unlinked:", os.strerror(e.errno))
os.mknod(os.path.join(d, "made.sock"), stat.S_IFSOCK | 0o644)
print("mknod node:", stat.filemode(os.lstat(os.path.join(d, "made.sock")).st_mode))
try:
    socket.socket(socket.AF_UNIX).connect(os.path.join(d, "made.sock"))
except OSError as e:
    print("connect unbound:", os.strerror(e.errno))
