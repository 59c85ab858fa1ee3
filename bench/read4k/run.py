#!/usr/bin/env python3
"""utils/k42 bench read4k: ns per pread of a 4 KiB file the same process
wrote, under the Linux personality (K42's /tmp, ramfs) against natively (a
host file), in the same run.

bench-read4k-client is started once per side and kept running: one under
k42-exec on a system booted for this run (private socket), one natively.
Each round asks each process in turn (the order alternating) to time
ITERATIONS preads; the medians of the rounds are reported.
"""
import argparse
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "common"))
import k42system  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("--iterations", type=int, default=200000)
    args = ap.parse_args()

    with k42system.booted(args.build, "read4k") as system:
        return measure(args, system)


def measure(args, system):
    client = system.tool("bench-read4k-client")
    native_env, k42_env = system.native_env, system.k42_env
    bin_dir, sysdir = system.bin, system.folder
    procs = {}
    try:
        n = str(args.iterations)
        procs["native"] = subprocess.Popen(
            [client, os.path.join(sysdir, "native-4k"), n], env=native_env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        procs["k42"] = subprocess.Popen(
            [os.path.join(bin_dir, "k42-exec"), client, "/tmp/k42-read4k", n],
            env=k42_env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        ns = {"native": [], "k42": []}
        for r in range(args.rounds + 1):  # round 0 warms up, not counted
            order = ["native", "k42"] if r % 2 == 0 else ["k42", "native"]
            for side in order:
                p = procs[side]
                p.stdin.write("round\n")
                p.stdin.flush()
                line = p.stdout.readline()
                if not line:
                    print(f"read4k: the {side} client died", file=sys.stderr)
                    return 1
                if r > 0:
                    ns[side].append(float(line))
        med = {s: statistics.median(v) for s, v in ns.items()}
        print(f"read4k: {args.rounds} interleaved rounds of {args.iterations} "
              f"preads of 4 KiB each side (median round)")
        print(f"  native    {med['native']:10.1f} ns/pread")
        print(f"  k42       {med['k42']:10.1f} ns/pread")
        print(f"RESULT read4k_k42_vs_native ratio={med['k42'] / med['native']:.3f}")
        return 0
    finally:
        for p in procs.values():
            p.stdin.close()
            p.wait()


if __name__ == "__main__":
    sys.exit(main())
