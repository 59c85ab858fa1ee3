# unix-long.py DIR: AF_UNIX names in a folder deeper than sun_path allows
# (unix-long.test: on K42's /tmp and in a host folder, the same output):
# a stream socket bound by a relative name from there, connected to by a
# fork child bound itself, and by one not bound; the
# names getsockname, getpeername and accept answer; a datagram's sender
# as recvfrom and recvmsg give it; the absolute name refused as too long.
import os
import socket
import sys

d = sys.argv[1]
deep = os.path.join(d, *["a-rather-long-folder-name-%d" % i for i in range(6)])
os.makedirs(deep)
print("depth over sun_path:", len(os.path.abspath(deep)) > 108)
os.chdir(deep)
server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
server.bind("server.sock")
server.listen(2)
print("getsockname:", server.getsockname())
pid = os.fork()
if pid == 0:
    c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    c.bind("client.sock")
    c.connect("server.sock")
    c.sendall(("%s %s" % (c.getsockname(), c.getpeername())).encode())
    c.close()
    c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    c.connect("server.sock")
    c.sendall(("unbound %r %s" % (c.getsockname(), c.getpeername())).encode())
    c.close()
    os._exit(0)
for _ in range(2):
    conn, peer = server.accept()
    print("accepted from %r; peer %r, local %r; child said: %s" % (
        peer, conn.getpeername(), conn.getsockname(), conn.recv(256).decode()))
    conn.close()
os.waitpid(pid, 0)

r = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
r.bind("in.sock")
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("out.sock")
s.sendto(b"one", "in.sock")
print("recvfrom:", r.recvfrom(64))
s.sendto(b"two", "in.sock")
print("recvmsg:", r.recvmsg(64)[::3])
s.connect("in.sock")
print("dgram peer:", s.getpeername())
t = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
t.sendto(b"three", "in.sock")
print("unbound sender:", r.recvfrom(64))
try:
    socket.socket(socket.AF_UNIX).bind(os.path.abspath("whole.sock"))
except OSError as e:
    print("absolute name:", e)
print("listed:", sorted(os.listdir(".")))
for name in sorted(os.listdir(".")):
    os.unlink(name)
