#!/bin/bash
# real-programs.sh DIR HOSTDIR: real programs on many files in DIR and
# across DIR and the host folder HOSTDIR (real-programs.test): tar c/x,
# diff -r, cp -a and mv both ways, sed -i, sort -T, xargs -P4, git,
# gcc -pipe, perl, python3 (subprocess, tempfile, os.walk,
# multiprocessing with fork). DIR is made and removed; HOSTDIR must exist.
d=$1; h=$2
rm -rf $d; mkdir -p $d; cd $d || exit 1
mkdir src; for i in $(seq 1 100); do echo "file $i" > src/f$i; done; mkdir src/sub; echo deep > src/sub/x; ln -s f1 src/link
chmod 640 src/f2; touch -d "2020-02-02 02:02:02.5" src/f2
tar cf t.tar src && mkdir out && tar xf t.tar -C out && echo "tar: $(find out | wc -l) $(cat out/src/f77) $(readlink out/src/link)"
diff -r src out/src && echo "diff -r: same"
echo change >> out/src/f5; diff -r src out/src | head -3
cp -a src $h/copied && echo "cp -a to host: $(ls $h/copied | wc -l) $(stat -c '%a %y' $h/copied/f2) $(cd $h/copied && stat -c %N link)"
cp -a $h/copied back && echo "cp -a back: $(ls back | wc -l) $(stat -c '%a %y' back/f2) $(cd back && stat -c %N link)"
mv back $h/moved && echo "mv to host: $(ls $h/moved | wc -l) $(test -e back || echo gone)"; mv $h/moved here && echo "mv back: $(ls here | wc -l)"
rm -rf $h/copied
printf 'a\nb\nc\n' > s.txt; sed -i 's/b/B/' s.txt; echo "sed -i: $(cat s.txt | tr '\n' ' ') $(ls s.txt* | tr '\n' ' ')"
seq 1 50000 | shuf --random-source=<(yes) > big; sort -n -T $d -S 1M big | md5sum | sed 's/^/sort -T: /'
seq 1 20 | xargs -P4 -n1 sh -c 'echo $0 > x.$0'; echo "xargs -P4: $(ls x.* | wc -l) $(cat x.* | sort -n | tail -1)"
if command -v git >/dev/null; then HOME=$d git init -q g && cd g && echo hi > a && git add a && git -c user.name=t -c user.email=t@t commit -qm one && echo "git: $(git log --oneline | wc -l) $(git status --porcelain | wc -l)"; cd $d; fi
command -v gcc >/dev/null && printf '#include <stdio.h>\nint main(void){puts("gcc -pipe ok");return 0;}\n' > p.c && gcc -pipe -o p p.c && ./p
perl -e 'opendir(D,"src"); @f=grep{!/^\./} readdir D; print "perl: ", scalar(@f), "\n"; open(F,">pl.txt"); print F "x\n"; close F; print -s "pl.txt", "\n"'
python3 - <<'PY'
import os, subprocess, tempfile, multiprocessing as mp
print("subprocess:", subprocess.run(["echo", "hi"], capture_output=True, text=True).stdout.strip())
with tempfile.TemporaryDirectory(dir=".") as t:
    open(os.path.join(t, "a"), "w").write("x")
    print("tempfile:", os.listdir(t))
n = sum(len(f) for _, _, f in os.walk("src"))
print("os.walk:", n)
def sq(x): return x * x
if __name__ == "__main__":
    mp.set_start_method("fork")
    with mp.Pool(3) as p: print("mp fork:", sum(p.map(sq, range(100))))
PY
cd / && rm -rf "$d" && echo "removed $?"
