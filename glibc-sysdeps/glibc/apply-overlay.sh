#!/bin/sh
# apply-overlay.sh GLIBC_SOURCE: makes a glibc source tree (2.36, Debian
# 12's; see README.md) K42-targeted. Copies k42-sysdep.h next to glibc's
# sysdeps/unix/sysv/linux/x86_64/sysdep.h and includes it at that header's
# end, so glibc's C system-call macros branch to the personality's transfer
# table. Safe to run again: a tree already done is left as it is.
set -e
here=$(cd "$(dirname "$0")" && pwd)
src=${1:?usage: apply-overlay.sh GLIBC_SOURCE}
dir=sysdeps/unix/sysv/linux/x86_64
if [ ! -f "$src/$dir/sysdep.h" ] || ! grep -q 'define internal_syscall6' "$src/$dir/sysdep.h"; then
  echo "apply-overlay.sh: $src is not a glibc tree with an x86_64 Linux sysdep.h defining internal_syscall0..6" >&2
  exit 1
fi
cp "$here/$dir/k42-sysdep.h" "$src/$dir/k42-sysdep.h"
if ! grep -q 'k42-sysdep.h' "$src/$dir/sysdep.h"; then
  cat >>"$src/$dir/sysdep.h" <<'END'

/* K42: system calls branch to the Linux personality's transfer table
   (k42-sysdep.h, from K42's glibc-sysdeps/glibc/).  */
#include <k42-sysdep.h>
END
fi
echo "apply-overlay.sh: $src now branches to K42's transfer table"
