#!/bin/bash
# channel-flags.sh: for each K42 channel mapping in this shell's own
# /proc/self/smaps, whether its VmFlags carry "dd" (MADV_DONTDUMP: left
# out of core dumps). Run in a subshell, it reads a fork child's, which
# has its parent's mappings.
c=0
while read -r a b; do
  case "$a $b" in
  *k42-channel*) c=1 ;;
  VmFlags:*)
    if [ "$c" = 1 ]; then
      case " $b " in
      *" dd "*) echo "channel not dumped" ;;
      *) echo "channel DUMPED" ;;
      esac
      c=0
    fi
    ;;
  esac
done < /proc/self/smaps
