#!/bin/bash
# files.sh DIR: file work in DIR (K42's /tmp under the personality, a host
# folder natively); what it prints must be the same in both.
set -u
D=$1
mkdir -p "$D" && cd "$D" || exit 1
echo "== redirections"
echo one > out
echo two >> out
ls no-such-file > both 2>&1
echo "status $?"
cat out both
cat > here <<EOT
a here-document, $((6 * 7))
  indented \$HOME
EOT
cat here
echo "== pipeline"
seq 1 500 | grep 7 | sed 's/7/seven/' | sort -r | head -4 > piped
cat piped
echo "== shared offsets"
{ echo a; /bin/echo b; } > f
(echo 1; sh -c 'echo 2'; echo 3) >> f
cat f
exec 3> g
echo x >&3
sh -c 'echo y >&3'
/bin/echo z >&3
exec 3>&-
cat g
echo "== another process reads what one wrote"
printf 'written %s\n' "$(date +%Y)" > shared
bash -c 'cat shared'
echo "== files"
cp f f2 && mv f2 f3 && ln -s f3 link && cat link && rm f3 link
mkdir sub && touch sub/x && ls sub && rm -r sub
wc -c out here f g | sort
echo "== 100 processes"
for i in $(seq 1 100); do (echo "line $i" > "p$i") & done
wait
cat $(seq -f "p%g" 1 100) | md5sum
cat $(seq -f "p%g" 1 100) | tail -2
ls | wc -l
