#!/bin/sh
# link-follow.sh DIR: hard links of symlinks (link-follow.test): ln -P
# (link(2)) links the symlink itself; ln -L (linkat AT_SYMLINK_FOLLOW)
# links what it names, through a chain of relative and absolute links,
# and a loop is ELOOP.
d=$1
cd "$d" || exit 1
: > f
ln -s f s
mkdir sub
ln -s ../s sub/s2
ln -s "$d/sub/s2" abs
ln -P s h1 && echo "ln -P: $(stat -c %F h1), links of s $(stat -c %h s)"
ln -L s h2 && echo "ln -L: $(stat -c %F h2), links of f $(stat -c %h f)"
ln -L abs h3 && echo "ln -L through a chain: $(stat -c %F h3), links of f $(stat -c %h f)"
ln -s loop loop
ln -L loop h4 2>&1 | sed 's/.*: //'
