#!/bin/sh
# shutdown.sh BUILD DIR: stops the system boot.sh started at DIR.
"$1/bin/k42ctl" --socket "$2/kernel.sock" shutdown >/dev/null
