"""unix-symlink.py DIR HOST: a UNIX socket bound in host folder HOST, reached
by its own name, through a symlink in HOST and through a symlink in DIR
(K42's /tmp under the personality) (unix-symlink.test); a symlink in
DIR to a host name with no socket is refused as natively."""
import os, socket, stat, sys

D, H = sys.argv[1:]
os.makedirs(D, exist_ok=True)
os.makedirs(H, exist_ok=True)
p = os.path.join(H, "srv.sock")
links = (os.path.join(D, "link.sock"), os.path.join(H, "hlink.sock"),
         os.path.join(D, "dangling.sock"))
for f in (p,) + links:
    if os.path.lexists(f):
        os.unlink(f)
s = socket.socket(socket.AF_UNIX)
s.bind(p)
s.listen()
os.symlink(p, links[0])
os.symlink(p, links[1])
os.symlink(os.path.join(H, "none.sock"), links[2])
for target in (p, links[1], links[0], links[2]):
    name = target.replace(D, "DIR").replace(H, "HOST")
    c = socket.socket(socket.AF_UNIX)
    try:
        c.connect(target)
        s.accept()[0].close()
        print("connect", name, "ok")
    except OSError as e:
        print("connect", name, "error", os.strerror(e.errno))
    c.close()
print("stat through the link: socket", stat.S_ISSOCK(os.stat(links[0]).st_mode))
