# pipes.sh DIR: bash on pipes (pipes.test runs it natively and on K42's
# pipes): command substitution, a writer ended by SIGPIPE (yes | head), a
# pipeline in the background and wait, a here-document, read -t (select
# with a timeout) on a pipe, then the line that comes later.
x=$(seq 1 5 | tr "\n" " ")
echo "[$x]"
yes | head -c 300000 | wc -c
echo "${PIPESTATUS[@]}"
(seq 1 3 | sed s/^/bg/ > "$1/bg") &
wait
cat "$1/bg"
cat <<END | rev
a here-document
END
{ sleep 0.2; echo late; } | { read -t 0.01 v; echo "timed out $?"; read v; echo "then $v"; }
