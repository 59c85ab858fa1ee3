# A small shell script of the kind SDET runs, in folder $1: a five-command
# pipeline, redirections, a here-document, a subshell, file commands.
cd "$1" || exit 1
seq 1 200 | grep 7 | sed s/7/seven/ | sort | tail -2 > out
cat <<END >> out
here $((6 * 7))
END
( echo from a subshell; echo to stderr >&2 ) 2>&1 | tr a-z A-Z >> out
wc -l < out
cat out
mkdir -p sub && cp out sub/copy && ls sub && rm -r sub
awk '{ n += length($0) } END { print "chars", n }' out
