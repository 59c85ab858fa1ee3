#!/bin/bash
# mount-watch-fork-chain.sh CASE SCRATCH: the personality side of
# mount-watch-fork.sh. The parent reads the mount table and forks a
# child (a subshell) that makes path calls only (no file server, so no
# connection of its own), and then blocks opening a host FIFO, making no
# call until mount-watch-fork.sh has mounted /late: for CASE alive while
# the parent waits for it, for CASE gone after the parent has exited.
set -u
case=$1 s=$2
late() { test -d /late/sub && echo "$case: $1: /late seen" || echo "$case: $1: /late absent"; }
# The kernel socket is the personality's lowest descriptor from 1000 up.
connected() {
  if test -e "/proc/$BASHPID/fd/1000"; then
    echo "$case: child: connected"
  else
    echo "$case: child: no kernel connection"
  fi
}
late parent
(
  late child
  connected
  echo > "$s/ready"
  read -r _ < "$s/go"
  late child
  connected
  : > "$s/child.done"
) &
child=$!
read -r _ < "$s/ready"
: > "$s/child.ready"
[ "$case" = alive ] && wait "$child"
exit 0
