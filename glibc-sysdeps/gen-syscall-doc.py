#!/usr/bin/env python3
"""Writes docs/linux-syscalls.md from glibc-sysdeps/syscalls.def.

  gen-syscall-doc.py --def syscalls.def --out docs/linux-syscalls.md
  gen-syscall-doc.py --def syscalls.def --check docs/linux-syscalls.md
  gen-syscall-doc.py --def syscalls.def --header asm/unistd_64.h

--check exits 1 if the page differs from what would be written (the lit
test in test/linux/ runs it); --header exits 1 unless every __NR_ constant of
the header has an entry with that number and name.
"""
import argparse
import re
import sys

ENTRY = re.compile(
    r"^K42_SYSCALL\((\d+), (\w+), (\d), (K42|HOST|NOSYS\((E\w+)\))\)"
    r"(?: // (.*))?$"
)


def read_def(path):
    entries = []
    for number, line in enumerate(open(path), 1):
        line = line.rstrip("\n")
        if not line.startswith("K42_SYSCALL"):
            continue
        m = ENTRY.match(line)
        if not m:
            sys.exit(f"{path}:{number}: not an entry this script understands")
        entries.append(
            {
                "number": int(m.group(1)),
                "name": m.group(2),
                "args": int(m.group(3)),
                "kind": m.group(4).split("(")[0],
                "errno": m.group(5) or "",
                "note": m.group(6) or "",
            }
        )
    return entries


def render(entries):
    kinds = {"K42": 0, "HOST": 0, "NOSYS": 0}
    for e in entries:
        kinds[e["kind"]] += 1
    out = [
        "# Linux system calls on K42",
        "",
        "<!-- Written by glibc-sysdeps/gen-syscall-doc.py from",
        "     glibc-sysdeps/syscalls.def; do not edit. `ninja linux-syscalls-doc`",
        "     rewrites it, and test/linux/syscall-doc.test fails when it is stale. -->",
        "",
        "Every x86_64 Linux system call of a personality process reaches one",
        "transfer table, by direct branch (the replaced glibc wrappers of",
        "`libk42linux.so`) or by trap reflection (Syscall User Dispatch, SIGSYS",
        "handled in the process). Each number is served one of three ways:",
        "",
        "| Disposition | Meaning | Calls |",
        "|---|---|---|",
        f"| K42 | served by the personality in the process (`runtime/linux/`) | {kinds['K42']} |",
        f"| HOST | passed through to the host kernel unchanged, from the personality's gate | {kinds['HOST']} |",
        f"| NOSYS | refused with the errno shown, logged once per process | {kinds['NOSYS']} |",
        "",
        "Numbers without an entry (335-423, x32's 512-547, anything past 1039)",
        "are refused with ENOSYS and logged once. `K42_LINUX_LOG` chooses where",
        "refusals are logged: stderr (the default), `off`, or a file.",
        "",
        "| # | Name | Args | Disposition | Note |",
        "|---:|---|---:|---|---|",
    ]
    for e in entries:
        kind = e["kind"] + (f" ({e['errno']})" if e["errno"] else "")
        note = e["note"].replace("|", "\\|")
        out.append(f"| {e['number']} | `{e['name']}` | {e['args']} | {kind} | {note} |")
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--def", dest="defs", required=True)
    parser.add_argument("--out")
    parser.add_argument("--check")
    parser.add_argument("--header")
    args = parser.parse_args()
    entries = read_def(args.defs)
    numbers = [e["number"] for e in entries]
    if numbers != sorted(set(numbers)):
        sys.exit(f"{args.defs}: numbers must be unique and in order")
    if args.header:
        listed = {e["number"]: e["name"] for e in entries}
        missing = []
        for name, number in re.findall(
            r"#define __NR_(\w+) (\d+)", open(args.header).read()
        ):
            if listed.get(int(number)) != name:
                missing.append(f"{number} {name}")
        if missing:
            print("not in syscalls.def:", ", ".join(missing))
            return 1
        print(f"all {len(re.findall('__NR_', open(args.header).read()))} host calls listed")
        return 0
    text = render(entries)
    if args.check:
        try:
            current = open(args.check).read()
        except OSError:
            current = ""
        if current != text:
            print(f"{args.check} is out of date: run `ninja linux-syscalls-doc`")
            return 1
        print(f"{args.check} is current ({len(entries)} entries)")
        return 0
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)
        return 0
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
