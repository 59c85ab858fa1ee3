"""fork-threads.py DIR: os.fork() from the main thread while 4 threads
make, write, close and remove files in DIR; each child makes one file and
exits 7 (fork-threads.test). A child must not inherit a lock of the
personality that another thread held at the fork."""
import os
import sys
import threading
import time

D = os.path.join(sys.argv[1], "ft")
os.makedirs(D, exist_ok=True)
stop = False


def work(t):
    i = 0
    while not stop:
        p = os.path.join(D, "w%d_%d" % (t, i % 50))
        fd = os.open(p, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o644)
        os.write(fd, b"x")
        os.close(fd)
        os.unlink(p)
        i += 1


threads = [threading.Thread(target=work, args=(t,), daemon=True) for t in range(4)]
for t in threads:
    t.start()
time.sleep(0.1)
codes = []
for k in range(20):
    pid = os.fork()
    if pid == 0:
        with open(os.path.join(D, "child%d" % k), "w") as f:
            f.write("c\n")
        os._exit(7)
    _, status = os.waitpid(pid, 0)
    codes.append(os.waitstatus_to_exitcode(status))
stop = True
for t in threads:
    t.join()
print("children", len(codes), "exits", sorted(set(codes)))
print("their files", len([n for n in os.listdir(D) if n.startswith("child")]))
