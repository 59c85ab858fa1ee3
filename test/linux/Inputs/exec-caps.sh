#!/bin/bash
# exec-caps.sh: the capabilities an exec gives a root process (exec-caps.test):
# with CAP_CHOWN dropped from the bounding set before the exec, the new
# program has it neither permitted nor effective; with nothing dropped,
# all of them.
drop='import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
if sys.argv[1] != "none" and libc.prctl(24, int(sys.argv[1]), 0, 0, 0) != 0:
    sys.exit("PR_CAPBSET_DROP failed")
os.execv("/bin/grep", ["grep", "-E", "^Cap(Prm|Eff|Bnd)", "/proc/self/status"])'
echo "== CAP_CHOWN dropped"; python3 -c "$drop" 0
echo "== CAP_KILL dropped"; python3 -c "$drop" 5
echo "== nothing dropped"; python3 -c "$drop" none
