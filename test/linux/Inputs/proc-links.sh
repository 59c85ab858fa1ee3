# proc-links.sh DIR: a process's own /proc/self/cwd and /proc/self/root
# links (readlink, lstat, stat through them, paths through them, a
# subshell's /proc/$BASHPID spelling), in DIR and in a host folder; the
# physical folder after cd through a symlink (pwd -P, the cwd link).
# Prints nothing that depends on where DIR is.
set -u
dir=${1:?usage: proc-links.sh DIR}
rm -rf "$dir" && mkdir -p "$dir/sub" && cd "$dir" || exit 1
echo inside > f
echo deeper > sub/g
[ "$(readlink /proc/self/cwd)" = "$PWD" ] && echo "cwd link is the folder"
[ "$(readlink /proc/thread-self/cwd)" = "$PWD" ] && echo "thread-self too"
stat -c '%F' /proc/self/cwd
stat -L -c '%F' /proc/self/cwd
[ "$(stat -L -c '%d %i' /proc/self/cwd)" = "$(stat -c '%d %i' .)" ] && echo "same folder"
cat /proc/self/cwd/f
ls /proc/self/cwd/
ls /proc/self/cwd/sub
[ "$(readlink -f /proc/self/cwd/sub)" = "$PWD/sub" ] && echo "resolved through it"
cat "/proc/self/root$PWD/sub/g"
( read -r line < "/proc/$BASHPID/cwd/f"; echo "subshell read: $line" )
( cd /proc/self/cwd/sub && [ "$(pwd -P)" = "$dir/sub" ] && echo "cd through it" )
echo written > /proc/self/cwd/new
cat new
cd sub && [ "$(readlink /proc/self/cwd)" = "$dir/sub" ] && echo "moves with cd"
mkdir -p "$dir/d1/d2" && ln -s d1/d2 "$dir/ld" && cd "$dir/ld" || exit 1
echo "through a link: $(pwd -P | sed "s|^$dir|DIR|") $(readlink /proc/self/cwd | sed "s|^$dir|DIR|") $(pwd | sed "s|^$dir|DIR|")"
cd .. && echo "back: $(pwd | sed "s|^$dir|DIR|")"
cd /usr/bin && readlink /proc/self/cwd
[ -x /proc/self/cwd/ls ] && echo "host folder through it"
readlink /proc/self/root
cd "$dir"
python3 -c '
import errno, os
print("python readlink", os.readlink("/proc/self/cwd") == os.getcwd())
try:
    os.open("/proc/self/cwd", os.O_RDONLY | os.O_NOFOLLOW)
    print("nofollow opened")
except OSError as e:
    print("nofollow", errno.errorcode[e.errno])
fd = os.open("/proc/self/cwd", os.O_RDONLY | os.O_DIRECTORY)
print("opened folder", sorted(os.listdir(fd)))
'
