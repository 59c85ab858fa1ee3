// Preloaded after the personality (LD_PRELOAD=libk42linux.so:this), so its
// constructor runs before the personality arms (execoverlay.test): with
// EO_EARLY=1 in the environment (and in linux-execoverlay only, not in
// k42-exec, which the preload reaches first) it catches SIGWINCH and ignores SIGPWR with
// flags and a mask, then drops EO_EARLY so the program it execs does not do
// it again. The exec must reset both as the host's execve does, though the
// personality never saw them set.
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

static void onEarly(int Signal) { (void)Signal; }

__attribute__((constructor)) static void early(void) {
  const char *On = getenv("EO_EARLY");
  if (!On || strcmp(On, "1") != 0 ||
      strncmp(program_invocation_short_name, "linux-execoverlay", 17) != 0)
    return;
  unsetenv("EO_EARLY");
  struct sigaction Action = {.sa_handler = onEarly, .sa_flags = SA_RESTART};
  sigaction(SIGWINCH, &Action, NULL);
  Action.sa_handler = SIG_IGN;
  sigaddset(&Action.sa_mask, SIGUSR1);
  sigaction(SIGPWR, &Action, NULL);
}
