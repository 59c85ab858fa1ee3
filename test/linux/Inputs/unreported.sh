# Children the process server was not told of when they were forked
# (ProcessBridge::childForked): found when another process names them,
# and told at their parent's exit and exec, after which the host no
# longer says whose they were. Prints the same natively.
f=${1:?a scratch file}
# A sibling's kill of a child its parent never reported.
sleep 30 &
s=$!
(
  kill $s
  echo "sibling kill: $?"
)
wait $s
echo "its status: $?"
# An orphan: its parent (a subshell) exits without waiting for it.
(
  sleep 31 &
  echo $! > "$f"
)
kill "$(cat "$f")" && echo "orphan kill: ok"
# An orphan whose parent exec'd first (the new image never knew of it).
bash -c 'sleep 32 & echo $! > "$1"; exec bash -c "exit 0"' - "$f"
kill "$(cat "$f")" && echo "orphan after exec kill: ok"
# An orphan whose parent was killed by a signal, which told nobody of it:
# Linux made it init's. (The subshell, which the true keeps from becoming
# the killed shell, keeps bash's report of the kill, which names a pid,
# off the output.)
(
  bash -c 'sleep 34 & echo $! > "$1"; kill -KILL $$' - "$f"
  true
) 2> /dev/null
kill "$(cat "$f")" && echo "orphan of a killed parent kill: ok"
# A group kill from a subshell reaches a child nobody reported, in a
# session of its own so that the kill stays in it. 143 whether the
# shell's trap ends the wait or the child's death does.
setsid -w bash -c '
trap "echo shell: TERM" TERM
sleep 33 &
s=$!
(
  trap "" TERM
  kill -TERM 0
)
wait $s
echo "group member status: $?"'
