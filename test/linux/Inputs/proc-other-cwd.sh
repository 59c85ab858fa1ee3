#!/bin/bash
# proc-other-cwd.sh DIR: another process's /proc/<pid>/cwd followed, and
# its /proc/<pid>/fdinfo/N, read by a child of the shell that is in DIR
# and holds a file open there (proc-other-cwd.test).
D=$1
rm -rf "$D" && mkdir -p "$D" && cd "$D" || exit 1
touch marker
exec 7> f
echo abc >&7
echo "ls through the link: $(ls /proc/$$/cwd | tr '\n' ' ')"
echo "a file through it: $(cat /proc/$$/cwd/f)"
[ "$(stat -L -c %d:%i /proc/$$/cwd)" = "$(stat -c %d:%i .)" ] && echo "stat -L is the folder"
[ -L /proc/$$/cwd ] && echo "the link itself is a link"
echo "fdinfo of the shell's 7: $(grep -E '^(pos|flags)' /proc/$$/fdinfo/7 | tr '\n\t' '  ')"
[ "$(grep ^ino /proc/$$/fdinfo/7 | cut -f2)" = "$(stat -c %i f)" ] && echo "its inode is the file's"
