# host-cwd-climb.sh DIR: from host folder DIR, relative paths whose '..'s
# climb to the root reach K42's names, not the host's
# (host-cwd-climb.test). Run in K42.
set -u
echo k42 > /tmp/k42-climb-marker
cd "$1" || exit 1
up=$(printf '%s' "$1" | sed 's#[^/][^/]*#..#g; s#^/##')
cat "$up/tmp/k42-climb-marker"
ls -d "$up/tmp/k42-climb-marker"
ls -d "../$(basename "$1")" > /dev/null && echo "a sibling: the host's"
(cd -P "$up" && pwd -P && cat tmp/k42-climb-marker)
rm -f /tmp/k42-climb-marker
