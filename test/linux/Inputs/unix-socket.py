# unix-socket.py DIR: an AF_UNIX stream socket and a datagram socket named
# in DIR, bound, connected to by a forked child, unlinked and bound again
# (unix-socket.test: on K42's /tmp and in a host folder, the same output).
import os
import socket
import sys

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
