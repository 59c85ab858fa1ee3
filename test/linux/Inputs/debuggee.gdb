set pagination off
set confirm off
break work
run
next
next
print N
finish
continue
continue
