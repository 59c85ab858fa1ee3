/* other-user-perms.c: what another user may do to root's files, as Linux
   checks it (other-user-perms.test, run as root in a fresh folder): a
   sticky folder's EPERM, the parent's permission before the victim's kind
   (rmdir, unlink), chdir and fchdir into a folder without search
   permission, a folder moved to another parent without write permission
   on it ('..' changes), chmod's set-group-id bit dropped for a caller
   outside the group, O_NOATIME on another's file, protected_hardlinks,
   and (as root) F_SETFL's O_ASYNC on a file, which is not kept. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define SHOW(X)                                                                \
  do {                                                                         \
    errno = 0;                                                                 \
    long R = (long)(X);                                                        \
    printf("%-48s = %s\n", #X, R < 0 ? strerrorname_np(errno) : "ok");         \
  } while (0)

static void file(const char *Name, int Mode, uid_t Uid, gid_t Gid) {
  close(open(Name, O_CREAT | O_WRONLY | O_TRUNC, 0600));
  chown(Name, Uid, Gid);
  chmod(Name, Mode);
}

static void folder(const char *Name, int Mode, uid_t Uid, gid_t Gid) {
  mkdir(Name, 0700);
  chown(Name, Uid, Gid);
  chmod(Name, Mode);
}

int main(void) {
  setvbuf(stdout, 0, _IONBF, 0);
  alarm(20);
  chmod(".", 0755);
  folder("sticky", 01777, 0, 0);
  file("sticky/roots", 0666, 0, 0);
  folder("ro", 0755, 0, 0);
  folder("ro/full", 0755, 0, 0);
  file("ro/full/f", 0644, 0, 0);
  folder("ro/empty", 0755, 0, 0);
  file("ro/file", 0644, 0, 0);
  folder("noexec", 0744, 0, 0);
  folder("w1", 0755, 65534, 65534);
  folder("w2", 0755, 65534, 65534);
  folder("w1/rootdir", 0755, 0, 0);
  file("w1/mine", 0755, 65534, 0);
  file("roots", 0644, 0, 0);

  // As root: F_SETFL's O_ASYNC is not kept on a file.
  int Fd = open("roots", O_RDONLY);
  SHOW(fcntl(Fd, F_SETFL, O_ASYNC));
  printf("O_ASYNC kept: %d\n", (fcntl(Fd, F_GETFL) & O_ASYNC) != 0);
  close(Fd);

  if (fork() == 0) {
    // A K42 call first, as root: a child that changed its user makes no
    // new connection to the system of its own.
    close(open(".", O_RDONLY | O_DIRECTORY));
    if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
        setresuid(65534, 65534, 65534)) {
      perror("setres");
      _exit(1);
    }
    SHOW(unlink("sticky/roots"));
    SHOW(rename("sticky/roots", "sticky/moved"));
    SHOW(rmdir("ro/full"));
    SHOW(unlink("ro/empty"));
    SHOW(rmdir("ro/file"));
    SHOW(chdir("noexec"));
    int Dir = open("noexec", O_RDONLY | O_DIRECTORY);
    SHOW(fchdir(Dir));
    close(Dir);
    SHOW(rename("w1/rootdir", "w2/rootdir"));
    SHOW(rename("w1/rootdir", "w1/samedir"));
    SHOW(chmod("w1/mine", 02755));
    struct stat St;
    stat("w1/mine", &St);
    printf("mode after chmod 02755: %o\n", St.st_mode & 07777);
    SHOW(open("roots", O_RDONLY | O_NOATIME));
    Fd = open("roots", O_RDONLY);
    SHOW(fcntl(Fd, F_SETFL, O_NOATIME));
    close(Fd);
    SHOW(link("roots", "w1/link"));
    _exit(0);
  }
  int Status = 0;
  wait(&Status);
  printf("child exit %d\n", WEXITSTATUS(Status));
  return 0;
}
