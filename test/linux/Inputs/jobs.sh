# Job control basics (processtree.test): a background job and wait, a trap
# for TERM sent to the shell itself, an exit status, a job killed, stopped
# and continued (the status of each said by wait and by ps's state letter).
sleep 0.1 & wait $!; echo waited $?
trap 'echo got TERM' TERM; kill -TERM $$; echo after
(exit 3) & wait $!; echo status $?
sleep 100 & k=$!; kill -TERM $k; wait $k; echo killed $?
sleep 100 & s=$!
kill -STOP $s
while [ "$(ps -o stat= -p $s | cut -c1)" != T ]; do :; done
echo stopped
kill -CONT $s
while [ "$(ps -o stat= -p $s | cut -c1)" = T ]; do :; done
echo continued
kill -KILL $s; wait $s 2>/dev/null
exit 0
