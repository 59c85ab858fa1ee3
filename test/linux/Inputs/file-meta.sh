# file-meta.sh DIR: coreutils and util-linux on file metadata in DIR,
# printing only what does not depend on the file system or the clock, so a
# run on K42's /tmp and one in a host folder print the same
# (file-meta.test). Run as root for the chown lines to change owners.
D=$1
mkdir -p "$D" && cd "$D" || exit 1
touch a; echo "touch $?"
touch -d '2002-03-04 05:06:07 UTC' a; stat -c 'touch -d %Y size %s' a
touch -r a b; stat -c 'touch -r %Y %X' b
touch -m -d @1234567890 b; stat -c 'touch -m %Y' b
touch -a -d @1234500000 b; stat -c 'touch -a %X %Y' b
ln a hard; stat -c 'ln links %h' a
ln -s a soft; echo "ln -s $(readlink soft)"; stat -L -c 'through %Y' soft
ln hard hard; echo "ln again $?"
chown 1234:2345 a; stat -c 'chown %u %g' a
ls -ln a | awk '{print "ls -ln", $3, $4}'
chown -h 99 soft; stat -c 'chown -h %u' soft; stat -L -c 'target %u' soft
chgrp 77 b; stat -c 'chgrp %g' b
chmod 4755 b; chown 5 b; stat -c 'chown clears %a' b
stat -c '%F %a %h %s' a hard soft b
df "$D" > df.out; echo "df $? lines $(wc -l < df.out) fields $(tail -1 df.out | wc -w)"
df -i "$D" > /dev/null; echo "df -i $?"
# Free inodes to make files with (ramfs counts them as tmpfs does).
/usr/bin/python3 -c 'import os, sys; v = os.statvfs(sys.argv[1]); print("free inodes", v.f_ffree > 0, v.f_files >= v.f_ffree)' "$D"
if command -v flock > /dev/null; then
  flock lock -c 'echo under flock'
  flock -x lock flock -n lock true; echo "flock -n held $?"
  flock -n lock true; echo "flock -n free $?"
fi
truncate -s 5000 a; stat -c 'truncate %s' a
fallocate -l 9000 a 2>/dev/null; stat -c 'fallocate %s' a
