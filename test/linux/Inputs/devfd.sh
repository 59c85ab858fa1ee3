#!/bin/bash
# devfd.sh DIR: programs that reach their descriptors by name (bash's
# process substitution, /dev/stdin, /dev/fd/0 with a redirected file,
# /proc/self/fd) and a named pipe with a writer and a reader in the
# background, in DIR (made here, removed at the end). What it prints does
# not depend on DIR, so a run in a host folder and one in K42's /tmp
# compare equal.
set -u
d=$1
rm -rf "$d" && mkdir -p "$d" && cd "$d" || exit 1

diff <(echo a) <(echo b); echo "diff $?"
diff <(seq 1 3) <(seq 1 3) && echo same
cat < <(echo x)
split -l 2 <(seq 1 6) p_ && cat p_aa p_ab p_ac && ls p_*
paste <(seq 1 3) <(seq 4 6)
while read -r l; do echo "line $l"; done < <(printf 'one\ntwo\n')
wc -l < <(seq 1 100)
sort -n <(echo 3; echo 1) <(echo 2)

echo x | cat /dev/stdin
echo y > yy
cat /dev/fd/0 < yy
cat /dev/stdin < yy
cat /proc/self/fd/0 < yy
echo z | cat /proc/self/fd/0
cat - /dev/stdin < yy
{ echo to-stdout-name > /dev/stdout; } > named
cat named

r=$(readlink /proc/self/fd/0 < yy); echo "readlink ${r#"$d"/}"
r=$(echo | readlink /proc/self/fd/0); echo "readlink ${r%%\[*}"
r=$(readlink /dev/fd/0 < yy); echo "readlink dev ${r#"$d"/}"
echo "stdin link $(readlink /dev/stdin)"
# Another process's descriptor by name: the path this shell opened.
exec 8< yy
r=$(readlink /proc/$$/fd/8); echo "other's readlink ${r#"$d"/}"
r=$(ls -l /proc/$$/task/$$/fd/8); echo "other's ls ${r##*"$d"/}"
exec 8<&-
stat -L -c '%F %s' /dev/stdin < yy
echo | stat -L -c '%F' /dev/stdin
[ -p /dev/stdin ] < yy || echo "file stdin not a pipe"
echo | { [ -p /dev/stdin ] && echo "piped stdin is a pipe"; }
[ -f /dev/stdin ] < yy && echo "file stdin is a file"

echo "fds $(ls /proc/self/fd | wc -l) $(ls /dev/fd/ | wc -l)"
echo "fds with a file $(ls /proc/self/fd 5< yy | wc -l)"

# Paths through a folder's descriptor name, walked from the folder.
mkdir -p sub/deeper && echo inside > sub/deeper/f
exec 7< sub
ls /dev/fd/7/ /proc/self/fd/7/deeper
cat /proc/self/fd/7/deeper/f /dev/fd/7/deeper/../deeper/f
stat -c '%F' /dev/fd/7/ /proc/self/fd/7/deeper
echo made > /dev/fd/7/new && cat sub/new
ls /dev/fd/7/.. | grep -c '^sub$'
cat /dev/fd/0/x < yy 2>&1 | sed 's/^.*: //'
exec 7<&-
rm -r sub

mkfifo ff; echo "mkfifo $?"
[ -p ff ] && echo "ff is a fifo"
ls -l ff | cut -c1
(echo "through the fifo" > ff &)
cat ff
{ echo second > ff; } &
cat < ff
wait
seq 1 3 > ff &
while read -r n; do echo "got $n"; done < ff
wait
cat ff > from-fifo &
printf 'a\nb\n' > ff
wait
cat from-fifo
mkfifo ff 2>/dev/null || echo "mkfifo again fails"
rm ff && { [ -e ff ] || echo removed; }

# truncate through a file's descriptor name is the file's (it was EPERM:
# the placeholder's), and O_DIRECTORY of a file's name ENOTDIR.
printf 0123456789 > tr
exec 5<>tr
truncate -s 4 /proc/self/fd/5 && truncate -s 3 /dev/fd/5 && wc -c < tr
python3 -c 'import os
os.truncate("/proc/self/fd/5", 2)
print("truncate(2) by the name:", os.stat("tr").st_size)
try:
    os.open("/dev/fd/5", os.O_RDONLY | os.O_DIRECTORY)
except OSError as e:
    print("O_DIRECTORY of a file:", e.strerror)' 2>&1 || true
exec 5<&-

# "N" opened in a descriptor of the /dev/fd/ folder (gnulib's reopen of
# /dev/fd/N: gzip's), stat'ed and read as a link there, of a pipe end and
# of a file: the descriptor's, where the host opened the placeholder (a
# pipe end's ENXIO, a file's personality bytes; battery 44).
seq 1 5 | gzip > five.gz
gzip -dc /dev/fd/3 3<five.gz | wc -l
gzip -dc <(cat five.gz) | wc -l
python3 -c 'import os, stat
r, w = os.pipe()
os.write(w, b"pipe-bytes")
f = os.open("plain", os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
os.write(f, b"file-bytes")
d = os.open("/dev/fd/", os.O_RDONLY | os.O_DIRECTORY)
for kind, fd in (("pipe", r), ("file", f)):
    n = os.open(str(fd), os.O_RDONLY | os.O_NONBLOCK, dir_fd=d)
    st = os.stat(str(fd), dir_fd=d)
    print(kind, os.read(n, 32).decode(), stat.S_ISFIFO(st.st_mode), stat.S_ISREG(st.st_mode),
          os.readlink(str(fd), dir_fd=d).startswith("pipe:") if kind == "pipe" else os.path.basename(os.readlink(str(fd), dir_fd=d)))
    os.close(n)' 2>&1 || true

cd / && rm -rf "$d"
echo done
