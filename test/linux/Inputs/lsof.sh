#!/bin/bash
# lsof.sh DIR: lsof of a process holding an epoll descriptor, and of a
# K42 folder with a file this shell holds open (lsof.test).
d=$1
rm -rf "$d" && mkdir -p "$d" && cd "$d" || exit 1
python3 -c '
import select, os, time
ep = select.epoll(); r, w = os.pipe(); ep.register(r, select.EPOLLIN)
print(os.getpid(), flush=True); time.sleep(20)' > pid &
for i in $(seq 50); do [ -s pid ] && break; sleep 0.1; done
timeout 20 lsof -p "$(cat pid)" > out 2> /dev/null; echo "epoll lsof rc $?"
grep -q eventpoll out && echo "eventpoll listed"
kill %1; wait 2> /dev/null
mkdir d && exec 7> d/f
timeout 20 lsof +D d > out 2> /dev/null; echo "+D lsof rc $?"
awk '$1 == "bash" { n = $NF; sub(".*/", "", n); print "held", n }' out | sort -u
