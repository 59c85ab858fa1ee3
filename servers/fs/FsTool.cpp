//===- servers/fs/FsTool.cpp - The k42-fs command -------------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "FsTool.h"
#include "FsClient.h"

#include <k42/kernel/KernelLink.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <string>
#include <unistd.h>
#include <vector>

using namespace k42;
using namespace k42::fs;

namespace {

const char *Usage =
    "usage: k42-fs COMMAND ARGS...\n"
    "  ls DIR | cat FILE | write FILE (stdin) | append FILE (stdin)\n"
    "  mkdir DIR | rmdir DIR | rm FILE | mv FROM TO | ln EXISTING NEW\n"
    "  symlink TARGET PATH | readlink PATH | stat PATH | lstat PATH\n"
    "  chmod OCTAL PATH | truncate SIZE PATH | mounts | forged PATH\n";

int fail(std::string_view What, Status S) {
  int E = S.errorCode();
  std::fprintf(stderr, "k42-fs: %.*s: %s (%s)\n", int(What.size()), What.data(),
               strerrorname_np(E) ? strerrorname_np(E) : "?", std::strerror(E));
  return 1;
}

int check(std::string_view What, Status S) { return S ? 0 : fail(What, S); }

char typeOf(uint32_t Mode) {
  return S_ISDIR(Mode) ? 'd' : S_ISLNK(Mode) ? 'l' : S_ISREG(Mode) ? '-' : '?';
}

int list(FsClient &Fs, const std::string &Path) {
  Result<OpenedFile> Dir = Fs.open(Path, O_RDONLY | O_DIRECTORY);
  if (!Dir)
    return fail(Path, Dir.status());
  std::vector<std::string> Names;
  for (uint64_t Cookie = 0;;) {
    std::vector<uint8_t> Buf;
    uint64_t Next = 0;
    Status S = Dir->File.readdir(Cookie, 4096, Buf, Next);
    if (!S)
      return fail(Path, S);
    if (S.value() == 0)
      break;
    for (size_t At = 0; At + 19 <= Buf.size();) {
      uint16_t Reclen;
      std::memcpy(&Reclen, &Buf[At + 16], 2);
      if (Reclen < 20 || At + Reclen > Buf.size())
        return fail(Path, Status::error(EBADMSG));
      Names.emplace_back(reinterpret_cast<const char *>(&Buf[At + 19]));
      At += Reclen;
    }
    Cookie = Next;
  }
  (void)Dir->File.close();
  std::sort(Names.begin(), Names.end());
  for (const std::string &N : Names) {
    if (N == "." || N == "..")
      continue;
    FileAttr A;
    std::string Full = Path + (Path.ends_with("/") ? "" : "/") + N;
    if (Fs.stat(Full, A, /*Follow=*/false))
      std::printf("%c%04o %8lld %s\n", typeOf(A.Mode), A.Mode & 07777,
                  (long long)A.Size, N.c_str());
    else
      std::printf("? %s\n", N.c_str());
  }
  return 0;
}

int cat(FsClient &Fs, const std::string &Path) {
  Result<OpenedFile> F = Fs.open(Path, O_RDONLY);
  if (!F)
    return fail(Path, F.status());
  for (uint64_t Offset = 0;;) {
    std::vector<uint8_t> Data;
    Status S = F->File.pread(Offset, 1 << 20, Data);
    if (!S)
      return fail(Path, S);
    if (Data.empty())
      break;
    fwrite(Data.data(), 1, Data.size(), stdout);
    Offset += Data.size();
  }
  return check(Path, F->File.close());
}

int write(FsClient &Fs, const std::string &Path, bool Append) {
  Result<OpenedFile> F =
      Fs.open(Path, O_WRONLY | O_CREAT | (Append ? 0 : O_TRUNC), 0644);
  if (!F)
    return fail(Path, F.status());
  std::vector<uint8_t> Data;
  char Buf[65536];
  for (ssize_t N; (N = read(0, Buf, sizeof(Buf))) > 0;)
    Data.insert(Data.end(), Buf, Buf + N);
  uint64_t End = 0;
  Status S = F->File.pwrite(0, Data, Append ? WriteAppend : 0, End);
  if (!S)
    return fail(Path, S);
  return check(Path, F->File.close());
}

int stat(FsClient &Fs, const std::string &Path, bool Follow) {
  FileAttr A;
  if (Status S = Fs.stat(Path, A, Follow); !S)
    return fail(Path, S);
  std::printf("%s: type %c mode %04o size %lld links %llu uid %u gid %u "
              "ino %llu\n",
              Path.c_str(), typeOf(A.Mode), A.Mode & 07777, (long long)A.Size,
              (unsigned long long)A.Nlink, A.Uid, A.Gid,
              (unsigned long long)A.Ino);
  return 0;
}

/// Calls a file with a handle the client made up: the server must refuse
/// it and go on serving.
int forged(FsClient &Fs, const std::string &Path) {
  Result<OpenedFile> F = Fs.open(Path, O_RDONLY);
  if (!F)
    return fail(Path, F.status());
  int Refused = 0;
  const ObjectHandle Real = F->File.handle();
  const ObjectHandle Fakes[] = {{Real.Endpoint, Real.Index, Real.Sequence + 1},
                                {Real.Endpoint, Real.Index + 1, 1},
                                {Real.Endpoint + 1, Real.Index, Real.Sequence},
                                {Real.Endpoint, 0xfffffff0u, 1}};
  for (const ObjectHandle &H : Fakes) {
    Result<StubFile> Fake = StubFile::bind(F->File.transport(), H);
    std::vector<uint8_t> Data;
    Status S = Fake ? Fake->pread(0, 16, Data) : Fake.status();
    std::printf("forged handle: %s\n", S ? "ACCEPTED" : "refused");
    Refused += !S;
  }
  std::vector<uint8_t> Data;
  Status S = F->File.pread(0, 16, Data);
  std::printf("real handle: %s\n", S ? "works" : "BROKEN");
  (void)F->File.close();
  S = F->File.pread(0, 16, Data);
  std::printf("closed handle: %s\n",
              S ? "ACCEPTED" : std::string(S.message()).c_str());
  return Refused == 4 ? 0 : 1;
}

} // namespace

int k42::fs::fsToolMain(int Argc, char **Argv) {
  if (Argc < 2) {
    std::fputs(Usage, stderr);
    return 2;
  }
  std::string Cmd = Argv[1];
  std::vector<std::string> Args(Argv + 2, Argv + Argc);
  auto Need = [&](size_t N) {
    if (Args.size() == N)
      return true;
    std::fputs(Usage, stderr);
    return false;
  };
  Result<std::unique_ptr<kernel::KernelLink>> Link =
      kernel::KernelLink::connect("k42-fs",
                                  kernel::KernelLink::defaultSocketPath());
  if (!Link)
    return fail("kernel", Link.status());
  Result<std::unique_ptr<FsClient>> Client = FsClient::connect(**Link);
  if (!Client)
    return fail("mount table", Client.status());
  FsClient &Fs = **Client;

  if (Cmd == "mounts" && Need(0)) {
    if (Status S = Fs.mounts().refresh(); !S)
      return fail("mounts", S);
    for (const char *P :
         {"/", "/tmp", "/home", "/usr", "/bin", "/lib", "/lib64", "/etc"}) {
      Mount M;
      std::string Rest;
      if (Fs.mountOf(P, M, Rest))
        std::printf("%s -> %s (pid %u)%s\n", P, M.Path.c_str(), M.Server,
                    M.Flags & name::MountReadOnly ? " read-only" : "");
    }
    return 0;
  }
  if (Cmd == "ls" && Need(1))
    return list(Fs, Args[0]);
  if (Cmd == "cat" && Need(1))
    return cat(Fs, Args[0]);
  if ((Cmd == "write" || Cmd == "append") && Need(1))
    return write(Fs, Args[0], Cmd == "append");
  if (Cmd == "mkdir" && Need(1))
    return check(Args[0], Fs.mkdir(Args[0], 0755));
  if (Cmd == "rmdir" && Need(1))
    return check(Args[0], Fs.rmdir(Args[0]));
  if (Cmd == "rm" && Need(1))
    return check(Args[0], Fs.unlink(Args[0]));
  if (Cmd == "mv" && Need(2))
    return check(Args[0], Fs.rename(Args[0], Args[1]));
  if (Cmd == "ln" && Need(2))
    return check(Args[1], Fs.link(Args[0], Args[1]));
  if (Cmd == "symlink" && Need(2))
    return check(Args[1], Fs.symlink(Args[0], Args[1]));
  if (Cmd == "readlink" && Need(1)) {
    std::string Target;
    if (Status S = Fs.readlink(Args[0], Target); !S)
      return fail(Args[0], S);
    std::printf("%s\n", Target.c_str());
    return 0;
  }
  if ((Cmd == "stat" || Cmd == "lstat") && Need(1))
    return stat(Fs, Args[0], Cmd == "stat");
  if (Cmd == "chmod" && Need(2))
    return check(Args[1],
                 Fs.chmod(Args[1], uint32_t(std::stoul(Args[0], nullptr, 8))));
  if (Cmd == "truncate" && Need(2))
    return check(Args[1], Fs.truncate(Args[1], std::stoull(Args[0])));
  if (Cmd == "forged" && Need(1))
    return forged(Fs, Args[0]);
  std::fputs(Usage, stderr);
  return 2;
}
