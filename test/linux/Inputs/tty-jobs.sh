#!/bin/bash
# tty-jobs.sh [PREFIX...]: programs started by PREFIX (k42-exec, or nothing
# for the native run) as the foreground job of a terminal (`script` gives
# each a new pseudo-terminal): the program's group is the terminal's
# foreground, an interactive bash has job control, a bash -i started from
# an interactive bash runs (it stopped at once), and a job stopped and
# continued is reported as natively (tty-jobs.test).
P="$*"
# script runs each case with $SHELL -c; bash execs a lone command, so the
# program (or k42-exec) leads the terminal's foreground group, as a job
# an interactive shell starts does. (k42-exec in its caller's group, a
# command of a script, leaves the terminal alone: SystemEntry.h.)
export SHELL=/bin/bash
t() { timeout 60 script -qec "$1" /dev/null 2>&1 | tr -d "\r" | sed "s/^\[1\] [0-9]*$/[1] PID/"; }
t "$P python3 -c 'import os; print(\"foreground\", os.tcgetpgrp(0) == os.getpgrp())'"
t "$P bash -ic 'case \$- in *m*) echo monitor on;; *) echo monitor off;; esac'"
t "bash -ic '$P bash -ic \"echo inner; exit 3\"; echo outer rc \$?'"
# A job stopped by its job spec and continued: its state as ps sees it.
# When bash reports a job's changes is timing, natively too: its "[1]"
# lines are left out.
t "$P bash -ic 'sleep 5 & kill -STOP %1; for i in \$(seq 50); do ps -o stat= -p \$! | grep -q T && break; sleep 0.1; done; echo stopped \$(ps -o stat= -p \$! | cut -c1); kill -CONT %1; kill %1; wait; echo end'" |
  grep -v '^\[1\]'
