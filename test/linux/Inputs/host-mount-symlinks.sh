#!/bin/bash
# host-mount-symlinks.sh: host symlinks on K42's read-only host mounts whose
# absolute target starts with a name K42's root lacks (/sbin, /lib32), as
# usrmerge makes them (host-mount-symlinks.test): each followed by stat, read
# and run, in a deterministic order.
n=0
for d in /usr/bin /usr/sbin /usr/lib /bin; do
  for l in "$d"/*; do
    [ -L "$l" ] || continue
    case $(readlink "$l") in
    /sbin/* | /lib32/*) ;;
    *) continue ;;
    esac
    printf '%s: %s\n' "$l" "$(stat -L -c %F "$l" 2>&1)"
    n=$((n + 1))
    [ $n -ge 20 ] && break 2
  done
done
echo "links: $n"
if [ -x /usr/bin/pidof ]; then
  head -c 4 /usr/bin/pidof | od -An -c
  sleep 5 &
  # The child may not have exec'd sleep yet (its name is still bash's):
  # asked again, for up to 5 s, as a loaded machine needs.
  for _ in $(seq 50); do
    pidof -x sleep > /dev/null && break
    sleep 0.1
  done
  if pidof -x sleep > /dev/null; then echo "pidof found a sleep"; else echo "pidof: $?"; fi
  kill $!
fi
