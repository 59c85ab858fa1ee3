#!/bin/bash
# exec-env.sh DIR PRELOAD [STATIC]: programs exec'd with environments of
# their own (exec-env.test): env -i, env -u LD_PRELOAD, an LD_PRELOAD of
# the program's own (PRELOAD, a harmless library), a C program's execle
# with two variables, and a static program (STATIC: linux-envexec-static,
# when built) given each, which exec's sh. Each reads a file by a relative
# path in DIR (made and removed) and prints the environment it sees.
d=$1
rm -rf "$d"; mkdir -p "$d"; cd "$d" || exit 1
echo "in the folder" > f
echo "== env -i"
env -i PATH=/usr/bin:/bin sh -c 'cat f; env | sort'
echo "== env -i, nothing at all"
env -i /usr/bin/env | wc -l
env -i /bin/cat f
echo "== env -u LD_PRELOAD"
env -u LD_PRELOAD sh -c 'echo "LD_PRELOAD=${LD_PRELOAD-unset}"; cat f'
echo "== a preload of the program's own"
LD_PRELOAD=$2 sh -c 'echo "${LD_PRELOAD##*/}"; cat f'
echo "== and its children"
LD_PRELOAD=$2 sh -c 'env -i LD_PRELOAD="$LD_PRELOAD" X=1 /usr/bin/env | sed "s,=.*/,=,"'
echo "== python's execve"
python3 -c 'import os; os.execve("/bin/sh", ["sh", "-c", "cat f; env | sort"], {"A": "1"})'
echo "== strings at MAX_ARG_STRLEN"
python3 -c 'import subprocess
for what, n in (("argument", 131071), ("argument", 131072),
                ("variable", 131069), ("variable", 131070)):
    args = ["/bin/true"] + (["a" * n] if what == "argument" else [])
    env = {"V": "v" * n} if what == "variable" else {}
    size = n + 1 if what == "argument" else n + 3  # "V=", the NUL
    try:
        print(what, size, "bytes:", subprocess.run(args, env=env).returncode)
    except OSError as e:
        print(what, size, "bytes:", e.strerror)'
if [ -n "$3" ]; then
  echo "== a static program, env -i"
  env -i X=1 "$3" /bin/sh -c 'cat f; env | sort'
  echo "== a static program, env -u LD_PRELOAD"
  env -u LD_PRELOAD "$3" | grep -c '^LD_PRELOAD='
fi
cd / && rm -rf "$d"
