#!/usr/bin/env python3
"""utils/k42 bench process: what one process's life costs under the Linux
personality against natively, piece by piece, in the same run.

An SDET script is some sixty short processes, each forked by bash, exec'd,
opening a few files and exiting; `sdet_k42_vs_native` says how much slower
the whole is, this benchmark says where. bench-process (Process.c) times
one kind of operation N times and prints the nanoseconds each took; each
kind runs natively (its file in a host folder) and under k42-exec (its
file in K42's /tmp, ramfs) on one system booted for the run, rounds
alternating the order, medians reported. exec and spawn also run under
K42_HOST_EXEC=1, the host's execve instead of the exec overlay, so the
overlay's own cost is printed beside them.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "common"))
import k42system  # noqa: E402

# (kind, N, argument: None, "file" or "true")
KINDS = [
    ("fork", 400, None),
    ("exec", 150, None),
    ("spawn", 150, "true"),
    ("join", 200, "file"),
    ("open", 2000, "file"),
    ("stat", 4000, "file"),
    ("killgroup", 2000, None),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()

    with k42system.booted(args.build, "process") as system:
        return measure(args, system)


def measure(args, system):
    client = system.tool("bench-process")
    k42_exec = system.tool("k42-exec")
    true = shutil.which("true") or "/bin/true"
    k42_env = dict(system.k42_env)
    k42_env.pop("K42_HOST_EXEC", None)
    host_exec_env = dict(k42_env, K42_HOST_EXEC="1")
    files = {"native": os.path.join(system.folder, "native-4k"),
             "k42": "/tmp/k42-bench-process-4k"}
    sides = {"native": ([], system.native_env), "k42": ([k42_exec], k42_env),
             "k42-host-exec": ([k42_exec], host_exec_env)}

    def run(side, kind, n, arg):
        prefix, env = sides[side]
        cmd = prefix + [client, kind, str(n)]
        if arg == "file":
            cmd.append(files["native" if side == "native" else "k42"])
        elif arg == "true":
            cmd.append(true)
        out = subprocess.run(cmd, env=env, check=True, capture_output=True,
                             text=True).stdout
        return float(out.split()[-1])

    subprocess.run([client, "write", files["native"]], env=system.native_env,
                   check=True)
    subprocess.run([k42_exec, client, "write", files["k42"]], env=k42_env,
                   check=True)
    ns = {}
    for r in range(args.rounds + 1):  # round 0 warms up, not counted
        for kind, n, arg in KINDS:
            order = ["native", "k42"]
            if kind in ("exec", "spawn"):
                order.append("k42-host-exec")
            if r % 2:
                order.reverse()
            for side in order:
                t = run(side, kind, n, arg)
                if r > 0:
                    ns.setdefault((kind, side), []).append(t)
    med = {k: statistics.median(v) for k, v in ns.items()}
    print(f"process: {args.rounds} interleaved rounds each side "
          f"(median round), microseconds an operation")
    print(f"  {'operation':8} {'native':>10} {'k42':>10} {'k42 host exec':>14}")
    for kind, _, _ in KINDS:
        host = med.get((kind, "k42-host-exec"))
        extra = f"{host / 1000:14.1f}" if host else f"{'':14}"
        print(f"  {kind:8} {med[(kind, 'native')] / 1000:10.1f} "
              f"{med[(kind, 'k42')] / 1000:10.1f} {extra}")
    for kind, _, _ in KINDS:
        ratio = med[(kind, "k42")] / med[(kind, "native")]
        print(f"RESULT process_{kind}_k42_vs_native ratio={ratio:.3f}")
    for kind in ("exec", "spawn"):
        ratio = med[(kind, "k42")] / med[(kind, "k42-host-exec")]
        print(f"RESULT process_{kind}_overlay_vs_host_exec ratio={ratio:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
