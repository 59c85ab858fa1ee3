#!/bin/bash
# kernel-joins.sh BUILD SYSDIR: how many kernel connections (the kernel's
# `joined` trace events) a shell makes that asks the process server for
# its parent ($PPID), writes a K42 file and execs cat to read it, and
# whether its channel to the process server came over the same
# connection as its file channels. One connection per process: k42-exec's
# (it registers the program) and the shell's.
build=$1 sys=$2
export K42_KERNEL_SOCKET=$sys/kernel.sock
trace() { "$build/bin/k42-trace" --socket "$K42_KERNEL_SOCKET" "$@"; }
trace start >/dev/null
trace dump >/dev/null
LANG=C "$build/bin/k42-exec" bash -c \
  'echo "ppid: $PPID" > /tmp/kernel-joins; cat /tmp/kernel-joins'
events=$(trace dump --no-summary)
echo "joins: $(grep -c 'kernel\.joined' <<<"$events")"
# Clients (K42 process ids) with a channel to the process server and one
# to ramfs (/fs/root).
proc=$(awk '/kernel\.channel/ && $NF == "/linux-process" { print $(NF-3) }' <<<"$events" | sort -u)
files=$(awk '/kernel\.channel/ && $NF == "/fs/root" { print $(NF-3) }' <<<"$events" | sort -u)
echo "process channels sharing a file client's connection: $(comm -12 <(echo "$proc") <(echo "$files") | grep -c .)"
trace stop >/dev/null
