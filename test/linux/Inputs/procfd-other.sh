#!/bin/bash
# procfd-other.sh DIR: another process's /proc/<pid>/fd/N of this shell's
# descriptors (procfd-other.test). Opening the name opens the file it
# names anew, as Linux does: its bytes, a write through it, an offset of
# its own, ELOOP with O_NOFOLLOW, and the access the file's mode allows
# (more than the descriptor's own: an O_PATH one's, a write-only one's).
set -u
rm -rf "$1" && mkdir -p "$1" && cd "$1" || exit 1
echo content > f
exec 5< f
echo "== read"
sh -c "cat /proc/$$/fd/5"
echo "== write"
exec 6> g
sh -c "echo written > /proc/$$/fd/6"
echo "rc $?"
cat g
echo "== an offset of its own"
head -c 3 <&5
echo
sh -c "head -c 4 /proc/$$/fd/5"
echo
head -c 4 <&5
echo
echo "== O_NOFOLLOW, and a folder"
exec 7< .
python3 - "$$" <<'PY'
import errno, os, sys
pid = sys.argv[1]
try:
    os.open("/proc/%s/fd/5" % pid, os.O_RDONLY | os.O_NOFOLLOW)
    print("nofollow opened")
except OSError as e:
    print("nofollow", errno.errorcode[e.errno])
print("folder", sorted(os.listdir("/proc/%s/fd/7" % pid)))
fd = os.open("/proc/%s/fd/7" % pid, os.O_RDONLY | os.O_DIRECTORY)
print("folder opened", sorted(os.listdir(fd)))
PY
echo "== a file renamed and one removed since"
mv f f2
sh -c "cat /proc/$$/fd/5 | wc -c"
echo "== an O_PATH descriptor's link, and a write-only one's, read"
python3 -c '
import os
fd = os.open("f2", os.O_PATH)
r = os.open("/proc/self/fd/%d" % fd, os.O_RDONLY)
print(os.read(r, 100).decode(), end="")'
rm g
exec 8< /proc/$$/fd/6
echo "rc $?"
exec 5<&- 6>&- 7<&- 8<&-
ls
