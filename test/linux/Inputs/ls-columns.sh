#!/bin/sh
# Keeps the `ls -l` columns that must match between K42 and the host: mode,
# links, size and name (owner, group and time are the system's, and
# "total" counts blocks, which K42's ramfs does not allocate like ext4).
awk 'NF >= 9 { print $1, $2, $5, $9; next } /^total / { next } { print }'
