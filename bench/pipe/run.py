#!/usr/bin/env python3
"""utils/k42 bench pipe: a K42 pipe against a host pipe, in the same run.

bench-pipe-client writes CHUNKS chunks of 64 KiB to a child that reads them
(ns per chunk), then makes TRIPS 1-byte round trips with a child over two
pipes (ns per round trip). It runs under k42-exec on a system booted for
this run (K42's pipes: a shared ring, futex wake-ups) and natively (the
host's pipes), in alternating order, ROUNDS times each; the medians are
compared.
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
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--chunks", type=int, default=4000)
    ap.add_argument("--trips", type=int, default=20000)
    args = ap.parse_args()

    with k42system.booted(args.build, "pipe") as system:
        client = system.tool("bench-pipe-client")
        native_env, k42_env = system.native_env, system.k42_env
        bin_dir = system.bin
        cmd = {"host": ([client], native_env),
               "k42": ([os.path.join(bin_dir, "k42-exec"), client], k42_env)}
        got = {"host": ([], []), "k42": ([], [])}
        for r in range(args.rounds + 1):  # round 0 warms up, not counted
            order = ["host", "k42"] if r % 2 == 0 else ["k42", "host"]
            for side in order:
                argv, env = cmd[side]
                out = subprocess.run(argv + [str(args.chunks), str(args.trips)],
                                     env=env, stdout=subprocess.PIPE, text=True)
                if out.returncode != 0:
                    print(f"pipe: the {side} client failed", file=sys.stderr)
                    return 1
                if r > 0:
                    chunk, trip = (float(x) for x in out.stdout.split())
                    got[side][0].append(chunk)
                    got[side][1].append(trip)
        med = {s: (statistics.median(v[0]), statistics.median(v[1]))
               for s, v in got.items()}
        print(f"pipe: {args.rounds} alternating rounds each side (median round)")
        print(f"  64 KiB chunks   host {med['host'][0]:10.1f} ns   "
              f"k42 {med['k42'][0]:10.1f} ns")
        print(f"  1-byte trips    host {med['host'][1]:10.1f} ns   "
              f"k42 {med['k42'][1]:10.1f} ns")
        print(f"RESULT pipe_k42_vs_host_64k ratio={med['k42'][0] / med['host'][0]:.3f}")
        print(f"RESULT pipe_k42_vs_host_pingpong ratio={med['k42'][1] / med['host'][1]:.3f}")
        return 0


if __name__ == "__main__":
    sys.exit(main())
