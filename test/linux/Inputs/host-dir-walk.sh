# host-dir-walk.sh: walks a read-only host directory (hostfs's /usr) as
# find, du and a telldir/seekdir loop do (host-dir-walk.test); natively
# and under K42 alike.
set -u
D=/usr/include/linux
find $D -printf '%p %y %s\n' | md5sum
du -sb $D | cut -f1
perl -e '
  opendir(my $d, $ARGV[0]) or die;
  my @a = map { scalar readdir($d) } 1 .. 5;
  my $at = telldir($d);
  my @b = map { scalar readdir($d) } 1 .. 5;
  seekdir($d, $at);
  my @c = map { scalar readdir($d) } 1 .. 5;
  print "seekdir: ", ("@b" eq "@c" ? "the same entries" : "others"), "\n";
  rewinddir($d);
  my @all = readdir($d);
  print "entries: ", scalar(@all), "\n";
' $D
stat -f -c '%T %b %S' $D
