#!/bin/bash
# mount-watch-chain.sh PHASE SCRATCH: the personality side of
# mount-watch.sh, one process through three programs (PHASE a execs b,
# b execs c). a reads the mount table, opens a K42 file at descriptor 3
# and reads its first line; b, started before /late is mounted, sees the
# mount and reads the second line from the inherited descriptor; c sees
# /late go. Each program notes its kernel socket (descriptor 1000).
set -u
phase=$1 s=$2
fail() { echo "$phase: $*"; exit 1; }
. "$(dirname "$0")/await.sh"
late() { test -d /late/sub && echo "$1: /late seen" || echo "$1: /late absent"; }
case $phase in
a)
  mkdir -p /tmp/k42-watch-test && printf 'line 1\nline 2\nline 3\n' > /tmp/k42-watch-test/f
  exec 3< /tmp/k42-watch-test/f
  read -r line <&3 && echo "a: read $line"
  late a
  readlink "/proc/$$/fd/1000" > "$s/socket.a"
  touch "$s/read"
  exec bash "$0" b "$s"
  ;;
b)
  readlink "/proc/$$/fd/1000" > "$s/socket.b"
  await "$s/mounted"
  late b
  read -r line <&3 && echo "b: read $line"
  touch "$s/seen"
  exec bash "$0" c "$s"
  ;;
c)
  readlink "/proc/$$/fd/1000" > "$s/socket.c"
  await "$s/unmounted"
  late c
  read -r line <&3 && echo "c: read $line"
  cmp -s "$s/socket.a" "$s/socket.b" && cmp -s "$s/socket.a" "$s/socket.c" &&
    echo "one kernel connection through the chain"
  ;;
esac
