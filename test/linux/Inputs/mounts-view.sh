# mounts-view.sh: what a program under the personality finds in its mount
# tables (mounts-view.test). Run in K42, not natively: the answers are
# K42's namespace's.
set -u
mkdir -p /tmp/k42-mounts-view && cd /tmp/k42-mounts-view || exit 1
echo "root: $(grep -c '^k42:/fs/root / ramfs rw 0 0$' /proc/mounts)"
echo "roots: $(awk '$5 == "/"' /proc/self/mountinfo | wc -l)"
echo "host tmp: $(grep -c ' /tmp ' /proc/self/mounts)"
cmp -s /etc/mtab /proc/self/mounts && echo "mtab: the same"
# Every parent is in the table (the root is its own).
awk '{ id[$1] = 1; parent[NR] = $2 } END { n = 0; for (i in parent) if (!(parent[i] in id)) n++; print "orphans: " n }' /proc/self/mountinfo
# The shell's own reads (no fork): /proc/self and /proc/<its pid> agree.
while read -r line; do mine+=$line$'\n'; done < /proc/self/mountinfo
while read -r line; do byPid+=$line$'\n'; done < /proc/$$/mountinfo
[ "$mine" = "$byPid" ] && echo "by pid: the same"
# Another process's (cat's /proc/<the shell>): the system's name space too.
cat /proc/$$/mountinfo > other.txt
cat /proc/self/mountinfo > self.txt
cmp -s other.txt self.txt && echo "another's: the same"
echo "usr: $(findmnt -rn -o TARGET,FSTYPE,OPTIONS /usr | cut -d, -f1)"
echo "target: $(findmnt -rn -o TARGET,SOURCE,FSTYPE --target /tmp/k42-mounts-view)"
echo "df here: $(df -P . | awk 'NR == 2 { print $1, $6 }')"
echo "df ls: $(df -P /usr/bin/ls | awk 'NR == 2 { print $6 }')"
mountpoint /usr
mountpoint /tmp
echo "stat %m: $(stat -c %m /usr/bin /etc/passwd . | tr '\n' ' ')"
cd / && rm -rf /tmp/k42-mounts-view
