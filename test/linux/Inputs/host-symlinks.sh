#!/bin/bash
# host-symlinks.sh DIR HOST: symlinks in DIR (K42's /tmp under the
# personality) to files, a program and a folder in HOST, a host-only path
# (the build tree): each call through them is the host's, on the host path
# the symlink names, as a program would see on Linux.
set -u
d=$1 t=$2
rm -rf "$d" "$t" && mkdir -p "$d" "$t/sub" || exit 1
printf 'hello\n' > "$t/data.txt"
printf '#!/bin/sh\necho script ran "$@"\n' > "$t/prog.sh" && chmod +x "$t/prog.sh"
cp /bin/echo "$t/echo"
cd "$d" || exit 1
ln -s "$t" dir && ln -s "$t/data.txt" data && ln -s "$t/prog.sh" prog
ln -s "$t/echo" echo && ln -s /nonexistent-k42-test/x missing
cat data
./prog one
./echo elf ran
ls dir
stat -L -c %F dir
test -d dir && echo "dir is a folder"
(cd dir && cat data.txt && pwd -P | sed "s|$t|HOST|")
echo appended >> data
cat "$t/data.txt"
cat missing
echo "missing: $?"
touch dir/sub/new && ls dir/sub
rm dir/sub/new && ls dir/sub | wc -l
mv data renamed && readlink renamed | sed "s|$t|HOST|"
