"""deps-agree.py README UTILS_K42: the Debian packages utils/k42 installs
(its `packages=(...)` list) against the two places README.md names them:
the set-up paragraph's "they install what is missing (...)" and the first
column of the dependency table (`| Package | Why |`). Prints one line per
disagreement and exits 1, or one line saying they agree."""
import re
import sys


def installed(utils):
    text = open(utils).read()
    m = re.search(r"^packages=\((.*?)\)", text, re.S | re.M)
    return set(m.group(1).split()) if m else set()


def said(readme):
    text = open(readme).read()
    m = re.search(r"they install what\s+is missing \((.*?)\)", text, re.S)
    setup = {p.strip() for p in m.group(1).split(",")} if m else set()
    table, inside = set(), False
    for line in text.splitlines():
        if line.startswith("| Package | Why |"):
            inside = True
            continue
        if inside:
            if not line.startswith("|"):
                break
            first = line.split("|")[1].strip()
            if first and not first.startswith("---"):
                table |= {p.strip() for p in first.split(",")}
    return setup, table


def main():
    packages = installed(sys.argv[2])
    setup, table = said(sys.argv[1])
    wrong = []
    for where, named in (("the set-up paragraph", setup), ("the table", table)):
        for p in sorted(packages - named):
            wrong.append(f"utils/k42 installs {p}, which {where} does not name")
        for p in sorted(named - packages):
            wrong.append(f"{where} names {p}, which utils/k42 does not install")
    for line in wrong:
        print(line)
    if not packages or wrong:
        sys.exit(1)
    print(f"README.md and utils/k42 name the same {len(packages)} packages")


main()
