#!/bin/bash
# links-across.sh WORK HOST: links between K42's names and the host's, two
# hops deep (links-across.test). WORK is K42's folder under the
# personality (a host folder natively); HOST a host folder. In WORK, hl
# names HOST; in HOST, to_work names WORK's folder "target" by its
# absolute path, which is K42's under the personality.
set -u
work=$1 host=$2
rm -rf "$work" "$host"
mkdir -p "$work/target" "$host" || exit 1
cd "$work" || exit 1
echo "the work folder's" > target/tf
ln -s "$host" hl
ln -s "$work/target" "$host/to_work"
echo a > hl/a

echo "== rename and link inside the host folder, through hl"
touch hl/new
mv hl/new hl/new2 && echo "mv: $?"
ls hl
ln hl/a hl/a2 && echo "ln: $?"
stat -c '%h links' hl/a
python3 - <<'PY'
import errno, os
def attempt(what, f):
    try:
        f()
        print(what, "ok")
    except OSError as e:
        print(what, errno.errorcode[e.errno])
attempt("rename hl/new2 hl/new3", lambda: os.rename("hl/new2", "hl/new3"))
attempt("rename over a file", lambda: os.rename("hl/new3", "hl/a2"))
attempt("rename missing", lambda: os.rename("hl/nope", "hl/nope2"))
attempt("link missing", lambda: os.link("hl/nope", "hl/nope2"))
attempt("rename into a missing folder", lambda: os.rename("hl/a", "hl/sub/a"))
PY
ls hl

echo "== a host link back into the work folder, through hl"
cat hl/to_work/tf
cat "$host/to_work/tf"
cat "$host/to_work/./tf"
cat hl/to_work/../target/tf
stat -c '%F' "$host/to_work" "$host/to_work/" "$host/to_work/." hl/to_work hl/to_work/
ls hl/to_work/
echo made > hl/to_work/made
cat target/made
(cd hl/to_work && pwd -P | sed "s|^$work|WORK|" && cat tf)

echo "== a loop through both"
ln -s "$host/l2" l1
ln -s "$work/l1" "$host/l2"
cat l1
cd l1
rm -f l1 "$host/l2"
rm -rf "$work" "$host"
