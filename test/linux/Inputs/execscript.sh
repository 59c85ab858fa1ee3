#!/bin/bash
# Makes #! scripts in the current folder and runs them (execscript.test):
# each case's output and exit status, the same natively and under K42.
P=$(pwd)
printf '#!/bin/echo\n' > noarg
printf '#!/bin/echo \t one  arg\t \n' > onearg
printf '#!./onearg x\n' > nested2
for i in 3 4 5 6; do printf '#!./nested%d\n' $((i - 1)) > nested$i; done
printf '#!/nonexistent/interpreter\necho not here\n' > missing
printf '#!/bin/sh\r\necho crlf sh\r\n' > crlfsh
printf '#!/bin/echo crlf\r\n' > crlfarg
{ printf '#!/bin/'; printf 'x%.0s' $(seq 300); printf '\necho run by bash itself\n'; } > toolong
{ printf '#!/bin/echo '; printf 'y%.0s' $(seq 300); printf '\n'; } > longarg
printf '#!/bin/echo' > nonewline
printf '#!' > empty
printf '#!   \n' > blank
printf '#!/bin/cat /proc/self/comm\n' > comm-is-the-script
printf '#!/bin/sh -e\necho "sh: $0 $# $*"\nfalse\necho not reached\n' > shell
printf '#!/bin/sh\necho not executable\n' > noexec
printf '#!./noexec\n' > noexec-interp
printf '#!/bin/sh\necho "by $0: $1"\n' > inner
printf '#!/bin/sh\nexec ./inner "$0"\n' > outer
chmod +x noarg onearg nested? missing crlfsh crlfarg toolong longarg \
  nonewline empty blank comm-is-the-script shell noexec-interp inner outer
chmod -x noexec
for f in noarg onearg nested2 nested5 nested6 missing crlfsh crlfarg \
  toolong nonewline empty blank comm-is-the-script shell \
  noexec-interp outer; do
  echo "== $f"
  bash -c "./$f a 'b c'" 2>&1 | sed "s|$P|DIR|g" | cat -A | cut -c1-80
  echo "status ${PIPESTATUS[0]}"
done
# An argument cut at the line buffer's end (256 bytes, its last a NUL).
echo "== longarg"
./longarg a | wc -c
# From a path that names the folder, not the current one.
echo "== by path"
(cd / && "$P/onearg" a) | sed "s|$P|DIR|g"
