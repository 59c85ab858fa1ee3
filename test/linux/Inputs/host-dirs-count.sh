#!/bin/bash
# host-dirs-count.sh BUILD SYSDIR: how many channels to the /usr hostfs a
# shell and five `cat`s make under LANG=C.UTF-8 (glibc opens each locale
# category's path; LC_MESSAGES is a directory, which it fstats and
# closes). The shell asks hostfs once whether /usr is the host's
# directory; its children inherit the answer and open the directory with
# no call, so the count is 1 (it was one more per cat).
build=$1 sys=$2
export K42_KERNEL_SOCKET=$sys/kernel.sock
trace() { "$build/bin/k42-trace" --socket "$K42_KERNEL_SOCKET" "$@"; }
trace start >/dev/null
trace dump >/dev/null
LANG=C.UTF-8 "$build/bin/k42-exec" bash -c \
  'for i in 1 2 3 4 5; do cat /etc/hostname; done' >/dev/null
events=$(trace dump --no-summary)
# The processes that connected, for the record of a failure.
echo "joins: $(grep -c 'kernel\.joined' <<<"$events")"
echo "usr channels: $(grep -c 'kernel\.channel .*/fs/usr$' <<<"$events")"
trace stop >/dev/null
