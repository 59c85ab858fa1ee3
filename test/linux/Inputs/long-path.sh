#!/bin/bash
# long-path.sh DIR: a directory name under DIR about 3,300 bytes long (40
# components of 80 bytes; zeros become l, so the tenth is ...l1l), so that
# the exec's path and the name the caller gave do not fit in one page side
# by side (ExecOverlay's PathRooms).
printf '%s' "$1"
printf '/%080d' $(seq 40) | tr 0 l
