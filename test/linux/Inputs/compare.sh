#!/bin/sh
# compare.sh K42_EXEC OUT COMMAND [ARGS...]: runs COMMAND natively and under
# the personality (K42_EXEC), writing OUT.native and OUT.k42 (stdout, then
# "exit <status>") and OUT.*.err (stderr). Fails, showing the difference,
# unless stdout, stderr and exit status all match; prints OUT.k42 so that
# the test can FileCheck what the program said.
k42_exec=$1
out=$2
shift 2
"$@" >"$out.native" 2>"$out.native.err"
echo "exit $?" >>"$out.native"
"$k42_exec" "$@" >"$out.k42" 2>"$out.k42.err"
echo "exit $?" >>"$out.k42"
diff "$out.native" "$out.k42" || exit 1
diff "$out.native.err" "$out.k42.err" || exit 1
cat "$out.k42"
