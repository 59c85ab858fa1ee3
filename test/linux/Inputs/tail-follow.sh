# tail-follow.sh DIR: `tail -f` of a file another process appends to, in
# DIR (made, then removed): the lines as they come, then what tail said on
# stderr (nothing where it can watch the file: "inotify cannot be used,
# reverting to polling" where it cannot).
dir=${1:?usage: tail-follow.sh DIR}
rm -rf "$dir" && mkdir -p "$dir" && cd "$dir" || exit 1
echo one > log
tail -f log > out 2> err &
tail=$!
seen() { for i in $(seq 200); do grep -qx "$1" out 2> /dev/null && return; sleep 0.05; done; echo "no $1"; }
seen one
echo two >> log
seen two
printf 'three\nfour\n' >> log
seen four
kill $tail
wait $tail 2> /dev/null
cat out
echo "stderr:"
cat err
cd / && rm -rf "$dir"
