#!/bin/sh
# inside.sh DIR COMMAND [ARGS...]: runs COMMAND, a host program without the
# personality (a test's raw client, a script that reads the servers'
# /proc), inside the pid and mount namespaces of the system boot.sh booted
# at DIR, where its pids and /proc are the system's, in the current
# folder. Personality programs need none of this: k42-exec enters itself.
dir=$1
shift
pid=$(sed -n 's/.*kernel pid \([0-9]*\).*/\1/p' "$dir/up")
if [ -z "$pid" ]; then
  echo "inside.sh: no kernel pid in $dir/up" >&2
  exit 1
fi
exec nsenter --target "$pid" --pid --mount --wd="$PWD" -- "$@"
