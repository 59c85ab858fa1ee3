"""spawn-groups.py: os.posix_spawn with setpgroup=0 and with setsid=True
(spawn-groups.test): the child's group or session, made in the child
before its exec (glibc's POSIX_SPAWN_SETPGROUP, POSIX_SPAWN_SETSID), is
what its parent's getpgid and getsid see.
"""
import os
import signal

signal.alarm(20)
pid = os.posix_spawn("/bin/sleep", ["sleep", "0.5"], os.environ, setpgroup=0)
print("setpgroup=0: own group", os.getpgid(pid) == pid,
      "same session", os.getsid(pid) == os.getsid(0))
os.waitpid(pid, 0)
pid = os.posix_spawn("/bin/sleep", ["sleep", "0.5"], os.environ, setsid=True)
print("setsid: own session", os.getsid(pid) == pid, "own group",
      os.getpgid(pid) == pid)
os.waitpid(pid, 0)
print("parent's group unchanged", os.getpgid(0) == os.getpgrp())
