#!/usr/bin/env python3
"""open-bytes-exec.py: run with a small file as stdin and another as
stdout, both opened by the shell that exec'd it (K42: their server handles
and leases come across the exec, the reader's copy too). Reads, fstats
and writes see what another process changes meanwhile."""
import os
import subprocess
import sys


def say(*what):
    os.write(2, (" ".join(str(w) for w in what) + "\n").encode())


say("stdin:", os.read(0, 100), "size", os.fstat(0).st_size)
say("stdout size:", os.fstat(1).st_size)
subprocess.run(["sh", "-c", "echo two > " + sys.argv[1]], check=True)
say("stdin after another process wrote:", os.pread(0, 100, 0), "size",
    os.fstat(0).st_size)
os.write(1, b"written\n")
say("stdout after a write:", os.fstat(1).st_size)
subprocess.run(["sh", "-c", "echo more >> " + sys.argv[2]], check=True)
say("stdout after another process appended:", os.fstat(1).st_size)
