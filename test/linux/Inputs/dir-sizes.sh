# dir-sizes.sh DIR: directory sizes and blocks in DIR (dir-sizes.test) as
# tmpfs counts them: 40 a folder, 20 an entry, no blocks. Each step
# prints what stat and du -b say.
set -u
cd "$1" || exit 1
show() { echo "== $1"; stat -c '%n %s %b' . a a/b 2>&1; du -ab . | sort -k2; }
mkdir -p a/b
show made
touch a/f a/g a/b/h && ln -s f a/l && mkfifo a/p
show filled
mv a/g a/b/g2 && mv a/b/h .
show moved
rm a/f a/p && rmdir a/b 2>/dev/null; rm -r a/b
show emptied
ls -ld a | awk '{ print $5 }'
