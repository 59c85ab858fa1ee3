#!/bin/bash
# as-limit.sh DIR: RLIMIT_AS (`ulimit -v`) as programs meet it (as-limit.test):
# within a limit of 200 MB, allocations under it succeed and one past it
# fails, output goes to files and pipes, the limit reads back as set, an
# exec and a fork child keep it, the soft limit moves under the hard one.
# Under the personality the host's limit must leave room for its channels
# (2 GiB each), which the program's limit does not count.
set -u
D=$1
rm -rf "$D" && mkdir -p "$D" && cd "$D" || exit 1
PY=/usr/bin/python3
alloc='
import sys
try:
    x = bytearray(int(sys.argv[1]) << 20)
    print("allocated", sys.argv[1], "MB")
except MemoryError:
    print("no memory for", sys.argv[1], "MB")
'
(
  ulimit -v 204800
  echo "limit $(ulimit -v) hard $(ulimit -H -v)"
  $PY -c "$alloc" 50 > out.txt; echo "rc $?"; cat out.txt
  $PY -c "$alloc" 400 | cat; echo "rc ${PIPESTATUS[0]}"
  seq 3 | wc -l
  bash -c 'echo "exec keeps $(ulimit -v)"'
  $PY -u -c '
import os, resource
print("getrlimit", resource.getrlimit(resource.RLIMIT_AS))
print("prlimit", resource.prlimit(0, resource.RLIMIT_AS))
pid = os.fork()
if pid == 0:
    try:
        x = bytearray(100 << 20); print("child allocated 100 MB")
    except MemoryError:
        print("child: no memory")
    try:
        x = bytearray(300 << 20); print("child allocated 300 MB")
    except MemoryError:
        print("child: no memory for 300 MB")
    os._exit(0)
os.waitpid(pid, 0)
resource.setrlimit(resource.RLIMIT_AS, (100 << 20, 200 << 20))
print("lowered", resource.getrlimit(resource.RLIMIT_AS))
try:
    x = bytearray(150 << 20); print("allocated 150 MB")
except MemoryError:
    print("no memory for 150 MB")
resource.setrlimit(resource.RLIMIT_AS, (200 << 20, 200 << 20))
x = bytearray(150 << 20); print("raised soft, allocated 150 MB")
try:
    resource.setrlimit(resource.RLIMIT_AS, (300 << 20, 100 << 20))
except ValueError as e:
    print("soft above hard:", e)
'
)
echo "outside $(ulimit -v)"
