# tail-rotate.sh DIR: `tail -F` (follow the name) of a log another process
# rotates, in DIR (made, then removed): tail watches the folder too, and
# follows the new file when the old one is renamed away. (Before K42
# watched directories, tail warned that it could not watch them and
# polled.)
dir=${1:?usage: tail-rotate.sh DIR}
rm -rf "$dir" && mkdir -p "$dir" && cd "$dir" || exit 1
echo one > log
tail -F log > out 2> err &
tail=$!
seen() { for i in $(seq 200); do grep -qx "$1" out 2> /dev/null && return; sleep 0.05; done; echo "no $1"; }
said() { for i in $(seq 200); do grep -q "$1" err 2> /dev/null && return; sleep 0.05; done; echo "no $1"; }
seen one
mv log log.1
# The new file only once tail has seen the old one go (it then says so
# and waits for the name to come back, not racing the new file).
said inaccessible
echo two > log
seen two
echo three >> log
seen three
kill $tail
wait $tail 2> /dev/null
cat out
echo "stderr:"
cat err
cd / && rm -rf "$dir"
