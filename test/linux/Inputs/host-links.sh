# host-links.sh DIR: DIR is a host folder holding symlinks into K42's /tmp
# (host-links.test); run in K42. Each reaches K42's file, never the host's.
set -u
cd "$1" || exit 1
echo "abs: $(cat abs)"
echo "rel: $(cat rel)"
echo "through a folder link: $(cat tmpdir/k42-host-links-marker)"
echo "from the folder: $(cd "$1" && cat ./abs)"
echo "stat -L: $(stat -L -c %s abs)"
echo "lstat: $(stat -c %F abs)"
echo changed > abs
echo "written: $(cat /tmp/k42-host-links-marker)"
test -e /tmp/k42-host-links-marker && echo "test -e: yes"
echo "touch: $(touch -d @1000000000 abs && stat -c %Y /tmp/k42-host-links-marker)"
echo "statfs: $(stat -f -c %T abs)"
echo "chown: $(chown 1:1 abs && stat -c %u:%g /tmp/k42-host-links-marker)"
python3 - "$1" <<'PY'
import os, socket, sys
link = os.path.join(sys.argv[1], "sock")
srv = socket.socket(socket.AF_UNIX)
srv.bind("/tmp/k42-host-links-sock")
srv.listen(1)
os.symlink("/tmp/k42-host-links-sock", link)
c = socket.socket(socket.AF_UNIX)
c.connect(link)
a, _ = srv.accept()
c.sendall(b"hi")
print("connect through a link:", a.recv(2).decode())
os.unlink(link)
os.unlink("/tmp/k42-host-links-sock")
PY
rm abs
echo "unlinked the link: $(ls | tr '\n' ' ')"
echo "the file stays: $(cat /tmp/k42-host-links-marker)"
