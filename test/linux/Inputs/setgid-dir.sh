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
# A write or truncate by another user than root takes a file's
# set-user-id bit away (and set-group-id with group execute); root's
# keeps them.
touch s; chmod 6777 s; chmod 777 .
python3 -c 'import os; os.setresgid(65534, 65534, 65534); os.setresuid(65534, 65534, 65534); fd = os.open("s", os.O_WRONLY | os.O_APPEND); os.write(fd, b"x"); os.close(fd)'
echo "written by another user: rc $? mode $(stat -c %a s)"
touch t; chmod 4777 t
python3 -c 'import os; os.setresgid(65534, 65534, 65534); os.setresuid(65534, 65534, 65534); os.truncate("t", 3)'
echo "truncated by another user: rc $? mode $(stat -c %a t)"
touch r; chmod 4777 r; echo x >> r; truncate -s 5 r; echo "root's write: mode $(stat -c %a r)"
