// test/linux/PassFdsMmsg.c: descriptors passed with SCM_RIGHTS in the
// messages of one sendmmsg and received by one recvmmsg (passfds-mmsg.test),
// natively and under the personality, where pipes are K42's and DIR may be
// K42's /tmp: three messages, a pipe's write end in the first, its read
// end and a file of DIR in the second, none in the third; a fork child
// receives them all at once, writes through the write end, reads the file
// at the offset it shares with the sender and writes to it; the parent
// reads the pipe to its end. What it prints must be the same.
//
//   linux-passfdsmmsg DIR
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

enum { Messages = 3 };

int main(int Argc, char **Argv) {
  if (Argc != 2)
    return 2;
  char Path[512];
  snprintf(Path, sizeof Path, "%s/mmsg-file", Argv[1]);
  int Sock[2];
  if (socketpair(AF_UNIX, SOCK_DGRAM, 0, Sock) != 0)
    return 1;
  // The child has no copy of the pipe or the file but the ones it is sent.
  pid_t Child = fork();
  if (Child == 0) {
    close(Sock[0]);
    struct mmsghdr Msg[Messages];
    char Byte[Messages];
    struct iovec Io[Messages];
    char Control[Messages][CMSG_SPACE(4 * sizeof(int))];
    memset(Msg, 0, sizeof Msg);
    for (int I = 0; I < Messages; ++I) {
      Io[I] = (struct iovec){&Byte[I], 1};
      Msg[I].msg_hdr.msg_iov = &Io[I];
      Msg[I].msg_hdr.msg_iovlen = 1;
      Msg[I].msg_hdr.msg_control = Control[I];
      Msg[I].msg_hdr.msg_controllen = sizeof Control[I];
    }
    int Got = recvmmsg(Sock[1], Msg, Messages, MSG_WAITFORONE, NULL);
    while (Got >= 0 && Got < Messages) { // the rest, if they came later
      int More = recvmmsg(Sock[1], Msg + Got, Messages - Got, 0, NULL);
      if (More <= 0)
        break;
      Got += More;
    }
    printf("child received %d messages\n", Got);
    int Fds[8], N = 0;
    for (int I = 0; I < Got; ++I) {
      int Here = 0;
      struct msghdr *H = &Msg[I].msg_hdr;
      for (struct cmsghdr *C = CMSG_FIRSTHDR(H); C; C = CMSG_NXTHDR(H, C))
        if (C->cmsg_level == SOL_SOCKET && C->cmsg_type == SCM_RIGHTS)
          for (size_t J = 0; J < (C->cmsg_len - CMSG_LEN(0)) / sizeof(int);
               ++J, ++Here)
            memcpy(&Fds[N++], CMSG_DATA(C) + J * sizeof(int), sizeof(int));
      printf("message %d: byte %c, %d descriptors, length %u\n", I, Byte[I],
             Here, Msg[I].msg_len);
    }
    fflush(stdout);
    if (N != 3)
      _exit(1);
    // Fds: the pipe's write end, its read end, the file.
    close(Fds[1]);
    const char Text[] = "through a write end passed by sendmmsg";
    printf("child wrote %zd\n", write(Fds[0], Text, sizeof Text - 1));
    char Buf[16] = {0};
    printf("child read %zd '%s' from the shared offset\n", read(Fds[2], Buf, 3),
           Buf);
    ssize_t Wrote = write(Fds[2], "abc", 3);
    printf("child wrote %zd to the file, offset %ld\n", Wrote,
           (long)lseek(Fds[2], 0, SEEK_CUR));
    fflush(stdout);
    _exit(0);
  }
  close(Sock[1]);
  int Pipe[2];
  int File = open(Path, O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (File < 0 || write(File, "0123456789", 10) != 10 || pipe(Pipe) != 0) {
    perror(Path);
    return 1;
  }
  lseek(File, 4, SEEK_SET);
  int Sent[3][2] = {{Pipe[1]}, {Pipe[0], File}, {0}};
  int Count[3] = {1, 2, 0};
  struct mmsghdr Msg[Messages];
  struct iovec Io[Messages];
  char Byte[Messages] = {'a', 'b', 'c'};
  char Control[Messages][CMSG_SPACE(2 * sizeof(int))];
  memset(Msg, 0, sizeof Msg);
  memset(Control, 0, sizeof Control);
  for (int I = 0; I < Messages; ++I) {
    Io[I] = (struct iovec){&Byte[I], 1};
    Msg[I].msg_hdr.msg_iov = &Io[I];
    Msg[I].msg_hdr.msg_iovlen = 1;
    if (!Count[I])
      continue;
    Msg[I].msg_hdr.msg_control = Control[I];
    Msg[I].msg_hdr.msg_controllen = CMSG_SPACE(Count[I] * sizeof(int));
    struct cmsghdr *C = CMSG_FIRSTHDR(&Msg[I].msg_hdr);
    C->cmsg_level = SOL_SOCKET;
    C->cmsg_type = SCM_RIGHTS;
    C->cmsg_len = CMSG_LEN(Count[I] * sizeof(int));
    memcpy(CMSG_DATA(C), Sent[I], Count[I] * sizeof(int));
  }
  int Done = sendmmsg(Sock[0], Msg, Messages, 0);
  close(Pipe[1]);
  close(File);
  File = open(Path, O_RDONLY); // the offset is the sent description's
  char Buf[128];
  size_t Got = 0;
  ssize_t R;
  while ((R = read(Pipe[0], Buf + Got, sizeof Buf - 1 - Got)) > 0)
    Got += (size_t)R;
  Buf[Got] = 0;
  printf("parent read %zu '%s' then %s\n", Got, Buf, R == 0 ? "EOF" : "error");
  int Status;
  waitpid(Child, &Status, 0);
  printf("sendmmsg sent %d\n", Done);
  printf("child %s %d\n", WIFEXITED(Status) ? "exit" : "signal",
         WIFEXITED(Status) ? WEXITSTATUS(Status) : WTERMSIG(Status));
  char Whole[32] = {0};
  printf("file %zd '%s'\n", pread(File, Whole, sizeof Whole - 1, 0), Whole);
  unlink(Path);
  return 0;
}
