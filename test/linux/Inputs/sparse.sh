# sparse.sh DIR: files with holes, as tmpfs and ext4 keep them: a truncate
# that grows a file takes no space, a byte written far past the end takes
# one page, a hole reads as zeros, cp --sparse keeps holes, a truncate
# back drops what was past. Sizes in KiB from du, blocks from stat.
set -u
dir=${1:?usage: sparse.sh DIR}
rm -rf "$dir" && mkdir -p "$dir" && cd "$dir" || exit 1
truncate -s 1G big
echo "big $(stat -c '%s %b' big) du $(du -k big | cut -f1)"
printf abc | dd of=big bs=1 seek=500000000 conv=notrunc status=none
echo "written $(stat -c '%s %b' big) du $(du -k big | cut -f1)"
dd if=big bs=1 skip=499999998 count=7 status=none | od -An -c
head -c 64 big | od -An -c
dd if=/dev/zero of=sp bs=1 count=1 seek=1000000 status=none
echo "sp $(stat -c '%s %b' sp)"
printf x | dd of=sp bs=1 seek=2000000 conv=notrunc status=none
cp --sparse=always sp sp2
cmp sp sp2 && echo "copy same $(stat -c '%s' sp2) du $(du -k sp2 | cut -f1)"
truncate -s 100 big
echo "cut $(stat -c '%s %b' big)"
head -c 5000 /dev/zero | tr '\0' y > dense
truncate -s 300000 dense
echo "dense $(stat -c '%s %b' dense) du $(du -k dense | cut -f1)"
tail -c 3 dense | od -An -c
head -c 3 dense
echo
printf x > small
truncate -s 20000 small
echo "small $(stat -c '%s %b' small) du $(du -k small | cut -f1)"
# Within a page: a new file truncated to 2000 takes no block, one byte
# written then grown takes its page alone, and a sparse copy none (ramfs
# counted every page up to the size, battery 40).
truncate -s 2000 tiny
printf x > tinyx
truncate -s 3000 tinyx
cp --sparse=always tiny tinycopy
echo "tiny $(stat -c '%s %b' tiny) tinyx $(stat -c '%s %b' tinyx) copy $(stat -c '%s %b' tinycopy)"
rm big sp sp2 dense small tiny tinyx tinycopy
ls | wc -l
# Past the 4 GiB ramfs once kept: a terabyte's size, a write past it,
# 16 GiB, and Linux's own limit (EFBIG).
truncate -s 1T tera; echo "1T rc $?"; stat -c 'tera %s %b' tera
printf end | dd of=tera bs=1 seek=$((1 << 40)) conv=notrunc status=none
stat -c 'tera grown %s' tera; tail -c 3 tera; echo
truncate -s 16G tera; echo "16G rc $?"; stat -c 'tera cut %s' tera
truncate -s 8E huge 2>&1 | sed 's/.*: //'; echo "8E rc ${PIPESTATUS[0]}"
rm -f tera huge
