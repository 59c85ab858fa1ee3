#!/bin/bash
# setgid-dir.sh DIR: a set-group-id folder in DIR (setgid-dir.test): its
# new files, folders, symlinks and FIFOs take its group, its new folders
# its set-group-id bit (and theirs in turn); a file another user makes
# there with mode 2775 loses its set-group-id bit (not of the group).
d=$1
rm -rf "$d" && mkdir -p "$d" && cd "$d" || exit 1
mkdir g && chgrp 65534 g && chmod g+s g
touch g/f; mkdir g/sub; ln -s f g/l; mkfifo g/p; mkdir g/sub/deeper
stat -c "%n %a %g" g g/f g/sub g/p g/sub/deeper
stat -c "%n %g" g/l
python3 -c 'import os; os.setgid(65533); os.setuid(65533); os.open("g/x", os.O_CREAT | os.O_WRONLY, 0o2775)' 2> /dev/null
echo "other user, no write permission: rc $?"
chmod o+w g
python3 -c 'import os; os.setgid(65533); os.setuid(65533); os.open("g/x", os.O_CREAT | os.O_WRONLY, 0o2775)' 2> /dev/null
echo "other user: rc $?"
stat -c "%n %a %u %g" g/x
python3 -c 'import os; os.open("g/y", os.O_CREAT | os.O_WRONLY, 0o2775)'
stat -c "%n %a %g" g/y
