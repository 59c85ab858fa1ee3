# await.sh: sourced by the mount-watch drivers and chains. Each wait lasts
# up to ten seconds, and a hang is a failure: `fail MESSAGE`, which the
# sourcing script defines, ends the test with its own prefix.

# Waits for FILE to appear.
await() {
  for _ in $(seq 1 1000); do
    [ -e "$1" ] && return 0
    sleep 0.01
  done
  fail "$1 never appeared"
}

# Waits until a K42 client ($build/bin/k42-fs) finds /late/sub (yes) or
# not (no).
await_mount() {
  for _ in $(seq 1 1000); do
    if "$build/bin/k42-fs" ls /late 2>/dev/null | grep -q ' sub$'; then
      [ "$1" = yes ] && return 0
    else
      [ "$1" = no ] && return 0
    fi
    sleep 0.01
  done
  fail "/late mounted never became $1"
}
