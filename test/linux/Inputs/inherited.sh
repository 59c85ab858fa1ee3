# inherited.sh DIR: descriptors a child inherits name the file they were
# opened on, whatever happened to its name since: a renamed file (and a
# new one at the old name), an unlinked one read and written, a shared
# offset after a rename, a grandchild, and a child whose parent closed
# its own descriptor before the child first used the inherited one.
set -u
dir=${1:?usage: inherited.sh DIR}
rm -rf "$dir" && mkdir -p "$dir" && cd "$dir" || exit 1
echo one > r1
exec 3< r1
mv -f r1 r2
echo two > r1
echo "renamed: $(cat <&3)"
echo "by name: $(cat r1) $(cat r2)"
echo keep > u
exec 4< u
rm u
echo "unlinked: $(cat <&4)"
ls | sort | tr '\n' ' '
echo
: > w
exec 5<> w
rm w
( echo "written unlinked" >&5 )
python3 -c 'import os; os.lseek(5, 0, 0); print("read back:", os.read(5, 64).decode().strip())'
exec 6< /dev/null
printf 'first\nsecond\nthird\n' > lines
exec 7< lines
read -r l1 <&7
mv lines lines2
( read -r l2 <&7; echo "offset shared: $l1 $l2" )
read -r l3 <&7
echo "parent goes on: $l3"
exec 3< r2
mv r2 r3
( ( echo "grandchild: $(cat <&3)" ) )
echo later > pc
exec 8< pc
( sleep 0.2; echo "after the parent's close: $(cat <&8)" ) &
exec 8<&-
wait
exec 3<&- 4<&- 5<&- 6<&- 7<&-
ls | sort | tr '\n' ' '
echo
# A descriptor's name (/dev/fd/N, /proc/self/fd/N) opened anew: the same
# file, renamed or unlinked since, as Linux opens the inode the link names.
mkdir names && cd names || exit 1
echo keep > u
exec 3< u
rm u
echo "by name, unlinked: $(cat /dev/fd/3) $(cat /proc/self/fd/3)"
echo one > r
exec 4<> r
mv r r2
echo new > r
echo "by name, renamed: $(cat /dev/fd/4)"
echo trunc > /dev/fd/4
echo "after >: $(cat r2) $(cat r)"
echo more >> /dev/fd/4
echo "after >>: $(cat r2 | tr '\n' ' ')"
exec 5< r2
( echo w > /dev/fd/5 )
echo "written past the descriptor's access: $(cat r2)"
python3 -c 'import os
try:
    os.open("/dev/fd/4", os.O_WRONLY | os.O_CREAT | os.O_EXCL)
except OSError as e:
    print("O_EXCL:", e.strerror)'
# A folder's descriptor's name: its listing, and a link that names a
# folder (K42 keeps the name it was opened at; Linux's follows a rename).
mkdir -p dd && touch dd/in
exec 6< dd
python3 -c 'import os
fd = os.open("/dev/fd/6", os.O_RDONLY | os.O_DIRECTORY)
print("folder by name:", sorted(os.listdir(fd)),
      os.path.basename(os.readlink("/proc/self/fd/%d" % fd)) == "dd")'
exec 3<&- 4<&- 5<&- 6<&-
