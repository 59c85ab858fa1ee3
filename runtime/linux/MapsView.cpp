//===- runtime/linux/MapsView.cpp - A K42 program's maps ------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/MapsView.h"

#include "k42/personality/DevFd.h"
#include "k42/personality/GateHeap.h"
#include "k42/personality/HostFolder.h"
#include "k42/personality/OwnMemfd.h"
#include "k42/personality/ProcessState.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>

using namespace k42::personality;

namespace {
/// "/memfd:" and the image's name, as the host's maps writes it.
constexpr char Memfd[] = "/memfd:";
} // namespace

bool MapsView::names(const char *Abs, long Flags) {
  if ((Flags & (O_ACCMODE | O_PATH | O_DIRECTORY | O_CREAT)) != O_RDONLY)
    return false;
  if (const char *Rest = DevFd::ownLink(Abs, ProcessState::pid(), "maps"))
    return !*Rest && ProcessState::runsK42Program();
  // Another process's (a debugger's, a profiler's look): it may run a
  // program only K42 has, which only its text says.
  const char *Rest = DevFd::anyProcessRest(Abs);
  return Rest && std::strcmp(Rest, "/maps") == 0;
}

long MapsView::open(const char *Abs, long Flags) {
  // A process's maps is a few KiB; a large one (a JVM's) some hundreds.
  size_t Room = size_t(64) << 10;
  char *Text = nullptr;
  long Got = -ENOMEM;
  for (; Room <= (size_t(16) << 20); Room *= 4) {
    Text = static_cast<char *>(GateHeap::allocate(Room));
    if (!Text)
      return -ENOMEM;
    Got = readHostFile(Abs, Text, Room);
    if (Got != -ENOMEM)
      break;
    GateHeap::release(Text);
    Text = nullptr;
  }
  if (!Text || Got < 0) {
    GateHeap::release(Text);
    return Got < 0 ? Got : -ENOMEM;
  }
  // Each image copy's name becomes its K42 path: never longer.
  constexpr size_t ImageBytes =
      sizeof(Memfd) - 1 + sizeof(DevFd::ImageName) - 1;
  constexpr size_t DeletedBytes = sizeof(DevFd::Deleted) - 1;
  size_t Out = 0;
  for (size_t At = 0; At < size_t(Got);) {
    size_t End = At;
    while (End < size_t(Got) && Text[End] != '\n')
      ++End;
    // The path column, where a line has one: the first '/' past the
    // inode's column.
    size_t Name = At;
    while (Name < End && Text[Name] != '/')
      ++Name;
    size_t Copy = End;
    bool Image = End - Name > ImageBytes &&
                 std::strncmp(Text + Name, Memfd, sizeof(Memfd) - 1) == 0 &&
                 std::strncmp(Text + Name + sizeof(Memfd) - 1, DevFd::ImageName,
                              sizeof(DevFd::ImageName) - 1) == 0;
    if (Image) {
      std::memmove(Text + Out, Text + At, Name - At);
      Out += Name - At;
      size_t From = Name + ImageBytes;
      if (Copy - From > DeletedBytes &&
          std::strncmp(Text + Copy - DeletedBytes, DevFd::Deleted,
                       DeletedBytes) == 0)
        Copy -= DeletedBytes;
      std::memmove(Text + Out, Text + From, Copy - From);
      Out += Copy - From;
    } else {
      std::memmove(Text + Out, Text + At, End - At);
      Out += End - At;
    }
    if (End < size_t(Got))
      Text[Out++] = '\n';
    At = End + 1;
  }
  long Fd = OwnMemfd::readOnlyFile("maps", Text, Out, Flags);
  GateHeap::release(Text);
  return Fd;
}
