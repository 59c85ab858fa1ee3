#!/bin/bash
# shared-roots.sh BUILD SYSDIR: how many channels to the /bin hostfs a
# shell's children make that each exec /bin/true (a path the shell never
# looks up itself), and how many kernel connections the run makes. Each
# child asks whether /bin is the host's /bin (the server's stat of the
# mount's root) to exec the host's file; the answer one child got is
# shared with its parent and siblings (SharedRoots), so one child asks.
build=$1 sys=$2
export K42_KERNEL_SOCKET=$sys/kernel.sock
trace() { "$build/bin/k42-trace" --socket "$K42_KERNEL_SOCKET" "$@"; }
trace start >/dev/null
trace dump >/dev/null
LANG=C "$build/bin/k42-exec" bash -c \
  'for i in 1 2 3 4 5 6; do /bin/true; done; echo "status: $?"'
events=$(trace dump --no-summary)
echo "bin channels: $(awk '/kernel\.channel/ && $NF == "/fs/bin"' <<<"$events" | grep -c .)"
joins=$(grep -c 'kernel\.joined' <<<"$events")
# k42-exec's, the shell's and the first child's; not one per child.
echo "joins below 6: $((joins < 6))"
trace stop >/dev/null
