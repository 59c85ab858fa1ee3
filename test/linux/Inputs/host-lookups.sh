#!/bin/bash
# host-lookups.sh [exact]: readlink, realpath, stat, ls and reads of paths
# on read-only host mounts with '..' inside them and symlinks at the end or
# on the way, and the errors; every answer and exit status printed, so a
# run under the personality can be diffed with a native run. "exact": only
# the lookups the host answers itself (no '..' above a mount's root, no
# file used as a directory), for counting the server calls left.
run() { "$@" 2>&1; echo "-> $?"; }
run readlink /usr/bin/awk
run readlink /usr/bin
run readlink /usr/k42-no-such
run readlink /usr/lib/../bin/awk
run readlink /usr/bin/X11
run readlink /usr/bin/X11/awk
run readlink -f /usr/bin/awk
run readlink -f /usr/lib/../bin/X11/env
run realpath -e /usr/share/../bin/env
run realpath -e /usr/share/../k42-no-such/x
run realpath -m /usr/lib/x86_64-linux-gnu/../k42-no-such/../lib
run stat -c '%n %F %s %h' /usr/share/../bin/env /usr/lib/../lib
run stat -c '%n %F' /usr/k42-no-such/../bin
run head -c 64 /usr/share/../share/common-licenses/GPL-3
run test -e /usr/local/k42-no-such/lib64/../lib
[ "$1" = exact ] && exit 0
run readlink /usr/bin/awk/x
run readlink /usr/../etc/passwd
run readlink -f /usr/lib/../../usr/bin/awk
run stat -c '%n %F' /usr/../usr/bin /usr/lib/../../etc/passwd
run realpath -e /usr/bin/env/..
run ls -d /usr/lib/../bin/X11/../../share
run cat /etc/../etc/hostname/..
