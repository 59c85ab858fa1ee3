# spawn.py: pipes across posix_spawn (clone with CLONE_VM: the child runs
# in its parent's memory until it execs) and subprocess's communicate,
# which polls the pipes, and asyncio, which watches one with epoll
# (pipes.test runs it natively and on K42's pipes).
import os
import subprocess

r, w = os.pipe()
pid = os.posix_spawn("/bin/sh", ["sh", "-c", "echo spawned with stdout on a pipe"],
                     os.environ, file_actions=[(os.POSIX_SPAWN_DUP2, w, 1),
                                               (os.POSIX_SPAWN_CLOSE, r),
                                               (os.POSIX_SPAWN_CLOSE, w)])
os.close(w)
out = b""
while chunk := os.read(r, 100):
    out += chunk
os.close(r)
print(out.decode().strip(), os.waitpid(pid, 0)[1])
done = subprocess.run(["sh", "-c", "echo out; echo err >&2; exit 3"],
                      capture_output=True)
print(done.stdout, done.stderr, done.returncode)
print(subprocess.check_output("seq 1 3 | wc -l", shell=True))

# asyncio: the child's stdout pipe watched by epoll.
import asyncio


async def child_output():
    proc = await asyncio.create_subprocess_exec(
        "sh", "-c", "echo from asyncio; sleep 0.1; echo later",
        stdout=asyncio.subprocess.PIPE)
    out, _ = await proc.communicate()
    return out, proc.returncode

print(asyncio.run(child_output()))
