#!/bin/bash
# workload.sh DIR: one "user" of a software development machine, in the
# spirit of SPEC SDET (the FREENIX 2003 paper's benchmark): file commands,
# text tools, a compile with cc and make, all in the scratch folder DIR
# (created, emptied first). The output is deterministic (no dates, pids,
# inode numbers, owners or block counts), so a run under the Linux
# personality can be diffed with a native run. A missing cc or make skips
# that part with the same line on both sides.
set -u
dir=${1:?usage: workload.sh DIR}
rm -rf "$dir" && mkdir -p "$dir" && cd "$dir" || exit 1

echo "== files"
mkdir -p src doc tmp
seq 1 400 | awk '{ printf "%05d item-%d %s\n", ($1 * 7919) % 10007, $1, ($1 % 3 ? "alpha" : "beta") }' > data.txt
for n in 1 2 3 4 5; do
  printf 'chapter %d\nthe quick brown fox %d\njumps over the lazy dog\n' "$n" "$n" > "doc/ch$n.txt"
done
cp data.txt tmp/copy.txt
mv tmp/copy.txt tmp/moved.txt
ln -s moved.txt tmp/link.txt
ls
ls doc tmp
ls -l doc | awk 'NR > 1 { print $1, $2, $5, $NF }'
test -L tmp/link.txt && echo "link -> $(readlink tmp/link.txt)"
cmp data.txt tmp/moved.txt && echo "copy identical"

echo "== text"
wc -l data.txt doc/*.txt
grep -c beta data.txt
grep -n 'item-1[0-9]\b' data.txt | head -5
grep -l fox doc/*.txt | wc -l
sed -e 's/alpha/ALPHA/' -e '/beta/d' data.txt > tmp/sed.txt
wc -l < tmp/sed.txt
sort data.txt | head -3
sort -t' ' -k3,3 -k1,1n data.txt | tail -3
sort -u -k3 data.txt | awk '{ print $3 }' | sort -u
awk '{ s += $1 } END { print "sum", s, "lines", NR }' data.txt
cut -d' ' -f2 data.txt | tr a-z A-Z | tail -2
cat doc/*.txt | tr ' ' '\n' | sort | uniq -c | sort -k1,1nr -k2 | head -4
md5sum data.txt | cut -d' ' -f1
head -c 1000 data.txt | od -c | tail -2

echo "== compile"
if command -v cc > /dev/null && command -v make > /dev/null; then
  cat > src/prog.c <<'EOT'
#include <stdio.h>
#include <string.h>
int main(int argc, char **argv) {
  FILE *in = fopen(argc > 1 ? argv[1] : "data.txt", "r");
  char line[256];
  unsigned long sum = 0, n = 0;
  if (!in)
    return 2;
  while (fgets(line, sizeof line, in)) {
    sum += strlen(line) * (unsigned long)line[0];
    ++n;
  }
  fclose(in);
  printf("prog: %lu lines, checksum %lu\n", n, sum);
  return 0;
}
EOT
  printf 'prog: src/prog.c\n\tcc -O1 -o prog src/prog.c\nclean:\n\trm -f prog\n' > Makefile
  make -s; echo "make $?"
  ./prog data.txt; echo "prog $?"
  make; echo "make again $?"
  make -s clean && test ! -e prog && echo "cleaned"
else
  echo "no cc or make: skipped"
fi

echo "== cleanup"
rm -f tmp/link.txt tmp/moved.txt
mv tmp/sed.txt sed.txt
rm -rf doc
ls -A tmp | wc -l
ls
rm -rf src tmp sed.txt data.txt Makefile
ls -A | wc -l
echo "== done"
