#!/bin/sh
# boot.sh BUILD DIR: boots the Linux personality's system (linux.boot) on a
# private socket, DIR/kernel.sock, in a fresh DIR. Tests run programs on it
# with `env K42_KERNEL_SOCKET=DIR/kernel.sock k42-exec ...` (%k42_on DIR)
# and end with shutdown.sh; removing DIR also stops the kernel.
# A system left at DIR by a failed run is stopped first. The kernel's
# "system up" line is kept in DIR/up (its host pid: inside.sh).
"$1/bin/k42ctl" --socket "$2/kernel.sock" shutdown >/dev/null 2>&1
rm -rf "$2" && mkdir -p "$2" || exit 1
K42_KERNEL_SOCKET="$2/kernel.sock" exec "$1/bin/k42-kernel" \
  --boot "$1/boot/linux.boot" --daemon >"$2/up"
