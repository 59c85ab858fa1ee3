#!/usr/bin/env python3
# Checks a `k42-trace dump` text: events in timestamp order, how many
# processes have events, marks plus lost; with --json, that the Chrome JSON
# parses and how many call spans it holds. Prints one fact per line for
# FileCheck.
import argparse
import json
import re
import sys

parser = argparse.ArgumentParser()
parser.add_argument("dump")
parser.add_argument("--json")
args = parser.parse_args()

line_re = re.compile(
    r"^(\d+) cpu=(\d+) pid=(\d+) host=(\d+) tid=(\d+) (\S+)(?: (.*))?$")
stamps, hosts, marks, lost, bad = [], set(), [], None, 0
for line in open(args.dump):
    line = line.rstrip("\n")
    if line.startswith("# lost: "):
        lost = int(line.split()[2])
    if line.startswith("#") or not line:
        continue
    m = line_re.match(line)
    if not m:
        bad += 1
        continue
    stamps.append(int(m.group(1)))
    hosts.add(m.group(4))
    if m.group(6) == "mark.1":
        marks.append(m.group(7))

print("events: %d" % len(stamps))
print("malformed lines: %d" % bad)
print("ordered: %s" % ("yes" if stamps == sorted(stamps) else "no"))
print("processes: %d" % len(hosts))
if marks:
    # Marks are "<text> <i>": the kept ones must be whole and in order.
    seq = [int(m.rsplit(" ", 1)[1]) for m in marks]
    print("marks in order: %s" % ("yes" if seq == sorted(seq) else "no"))
    print("marks kept: %d" % len(marks))
    print("marks kept + lost: %d" % (len(marks) + (lost or 0)))
print("lost: %s" % lost)
if args.json:
    data = json.load(open(args.json))
    events = data["traceEvents"]
    spans = [e for e in events if e.get("ph") == "X"]
    print("json events: %d" % len(events))
    print("json spans: %d %s" % (len(spans),
          ",".join(sorted(set(e["name"] for e in spans)))))
    print("json lost: %d" % data["otherData"]["lost_events"])
