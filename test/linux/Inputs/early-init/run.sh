# run.sh DIR: builds and runs early.c and libearly.so in DIR (made, emptied
# first), from there; prints what early-init.test compares.
dir=$1
src=$(cd "$(dirname "$0")" && pwd)
rm -rf "$dir" && mkdir -p "$dir" && cd "$dir" || exit 1
echo "from the settings file" > settings
cc -shared -fPIC -o libearly.so "$src/library.c" || exit 1
cc -o early "$src/early.c" -L. -learly -Wl,-rpath,"$dir" || exit 1
./early
echo "exit $?"
ls
