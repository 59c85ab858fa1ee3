# birth-time.sh DIR: birth times of a file, a folder and a symlink made in
# DIR (known, not after their mtime), kept across a write and a rename.
cd "$1" || exit 1
touch f && mkdir d && ln -s f l
for x in f d l; do
  stat -c '%.9W %.9Y' "$x" |
    awk -v x="$x" '{ print x ": " ($1 > 0 && $1 <= $2 ? "born" : "birth " $1) }'
done
w=$(stat -c %.9W f)
sleep 0.05
echo more >> f
stat -c '%.9W %.9Y' f |
  awk -v w="$w" '{ print "after a write: " ($1 == w ? "same birth" : "birth moved") ", " ($2 > w ? "newer mtime" : "same mtime") }'
mv f g
[ "$(stat -c %.9W g)" = "$w" ] && echo "after a rename: same birth"
stat g | grep -c '^ Birth: [0-9]'
