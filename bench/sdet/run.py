#!/usr/bin/env python3
"""utils/k42 bench sdet: scripts per hour of workload.sh under the Linux
personality against natively, on the same machine in the same run.

One system (linux.boot) is booted on a private socket for the whole run, so
every personality script meets the same warm servers. Rounds interleave the
two sides (native first in even rounds, K42 first in odd ones) so drift in
the machine's load hits both alike; each round runs the script SCRIPTS
times in sequence on each side, and the median round of each side is
reported. The scratch folder is a host folder natively and K42's /tmp
(ramfs) under the personality. Before timing, one run of each side is
compared: a benchmark of a workload that misbehaves would be meaningless.

With --stages, each script's output is read as it comes and the time
between its "== NAME" lines is kept per stage, so the report also says
which part of the workload (file commands, text tools, the compile, the
clean-up) costs K42 most against natively: the median of each stage on
each side, and their ratio. The rates are measured the same way in both
modes; reading the output costs both sides alike.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "common"))
import k42system  # noqa: E402


def run_script(cmd, env, stages=None):
    """Runs one script; with \p stages (a dict), adds each stage's time,
    from its "== NAME" line to the next one, to stages[NAME]."""
    if stages is None:
        subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        return
    with subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL) as proc:
        current, since = None, None
        for line in proc.stdout:
            now = time.perf_counter()
            if not line.startswith(b"== "):
                continue
            if current is not None:
                stages.setdefault(current, []).append(now - since)
            current, since = line[3:].strip().decode(), now
    if proc.returncode != 0:
        raise subprocess.CalledProcessError(proc.returncode, cmd)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--workload", required=True)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--scripts", type=int, default=5)
    ap.add_argument("--stages", action="store_true",
                    help="also report each stage of the workload per side")
    args = ap.parse_args()

    with k42system.booted(args.build, "sdet") as system:
        return measure(args, system)


def measure(args, system):
    native_dir = os.path.join(system.folder, "native")
    k42_env, native_env = system.k42_env, system.native_env
    native = ["bash", args.workload, native_dir]
    k42 = [system.tool("k42-exec"), "bash", args.workload, "/tmp/k42-sdet"]
    out_native = subprocess.run(native, env=native_env, check=True,
                                capture_output=True, text=True).stdout
    out_k42 = subprocess.run(k42, env=k42_env, check=True,
                             capture_output=True, text=True).stdout
    if out_native != out_k42:
        print("sdet: the workload's output under K42 differs from native",
              file=sys.stderr)
        return 1
    sides = {"native": (native, native_env), "k42": (k42, k42_env)}
    times = {"native": [], "k42": []}
    stages = {"native": {}, "k42": {}} if args.stages else None
    for r in range(args.rounds):
        order = ["native", "k42"] if r % 2 == 0 else ["k42", "native"]
        for side in order:
            cmd, env = sides[side]
            start = time.perf_counter()
            for _ in range(args.scripts):
                run_script(cmd, env, stages[side] if stages else None)
            times[side].append(time.perf_counter() - start)
    rate = {s: 3600.0 * args.scripts / statistics.median(t)
            for s, t in times.items()}
    print(f"sdet: {args.rounds} interleaved rounds of {args.scripts} scripts "
          f"each side (median round)")
    print(f"  native    {rate['native']:10.0f} scripts/hour")
    print(f"  k42       {rate['k42']:10.0f} scripts/hour")
    if stages:
        print("  stage       native ms     k42 ms   k42/native (medians)")
        for name, native_times in stages["native"].items():
            k42_times = stages["k42"].get(name)
            if not k42_times:
                continue
            n = statistics.median(native_times) * 1000
            k = statistics.median(k42_times) * 1000
            print(f"  {name:10} {n:10.1f} {k:10.1f} {k / n:10.2f}")
    print(f"RESULT sdet_k42_vs_native ratio={rate['k42'] / rate['native']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
