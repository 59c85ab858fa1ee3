#!/bin/bash
# proc-names.sh DIR: what /proc's links say of files and programs in DIR
# (proc-names.test): an open file unlinked, an open folder removed,
# another process's program (a copy of sleep in DIR) before and after it
# is unlinked, as readlink, ls -l and Python see them; and the links'
# modes (a descriptor's access: lr-x, l-wx, lrwx), own and another
# process's, of files and pipes.
d=$1
rm -rf "$d"; mkdir -p "$d" && cd "$d" || exit 1
echo abc > f; exec 3<f
echo "open file: $(readlink /proc/self/fd/3 | sed "s,^$d,D,")"
rm f
echo "unlinked: $(readlink /proc/self/fd/3 | sed "s,^$d,D,")"
echo "ls -l: $(ls -l /proc/self/fd/3 | sed "s,.*-> ,,; s,^$d,D,")"
exec 3<&-
mkdir folder; exec 4<folder; rmdir folder
echo "removed folder: $(readlink /proc/self/fd/4 | sed "s,^$d,D,")"
exec 4<&-
cp /bin/sleep mysleep
./mysleep 5 & p=$!
sleep 0.3
echo "program: $(readlink /proc/$p/exe | sed "s,^$d,D,")"
echo "its name: $(ps -o comm= -p $p)"
rm mysleep
echo "unlinked program: $(readlink /proc/$p/exe | sed "s,^$d,D,")"
/usr/bin/python3 -c "import os, sys; print('python:', os.readlink('/proc/$p/exe').replace(sys.argv[1], 'D'))" "$d"
kill $p; wait $p 2>/dev/null
echo x > g; exec 3<g 4>>g 5<>g 6< <(echo) 7> >(cat > /dev/null)
for n in 3 4 5 6 7; do
  echo "mode $n: $(stat -c %A /proc/self/fd/$n) $(stat -c %A /dev/fd/$n)"
done
echo "/dev/stdin: $(stat -c %A /dev/stdin)"
sh -c "for n in 3 4 5; do echo \"another's \$n: \$(stat -c %A /proc/$$/fd/\$n)\"; done"
exec 3<&- 4>&- 5<&- 6<&- 7>&-
cd / && rm -rf "$d"
