//===- k42/personality/ScmRights.h - Descriptors in a message --*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The walk over a message's SCM_RIGHTS descriptors, shared by what the
/// personality receives from the kernel (KernelConnection) and the pipe
/// server (PipeClient: every descriptor of a malformed reply is closed)
/// and what it reads of a program's sendmsg and recvmsg (PassedFds).
/// Handler-safe: no allocation, no system call.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_SCMRIGHTS_H
#define K42_PERSONALITY_SCMRIGHTS_H

#include <cstddef>
#include <cstring>

#include <sys/socket.h>

namespace k42::personality {

/// Calls \p Each(int) with every descriptor of the SCM_RIGHTS messages in
/// \p Msg's control data, in order. A header whose length is too short or
/// runs past the control data ends the walk: a control buffer copied from
/// a program may hold anything.
template <typename Fn> void forEachScmRight(msghdr &Msg, Fn &&Each) {
  const char *End =
      static_cast<const char *>(Msg.msg_control) + Msg.msg_controllen;
  for (cmsghdr *C = CMSG_FIRSTHDR(&Msg); C; C = CMSG_NXTHDR(&Msg, C)) {
    if (C->cmsg_len < CMSG_LEN(0) ||
        reinterpret_cast<const char *>(C) + C->cmsg_len > End)
      break;
    if (C->cmsg_level != SOL_SOCKET || C->cmsg_type != SCM_RIGHTS)
      continue;
    size_t N = (C->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (size_t I = 0; I < N; ++I) {
      int Fd;
      std::memcpy(&Fd, CMSG_DATA(C) + I * sizeof(int), sizeof(int));
      Each(Fd);
    }
  }
}

} // namespace k42::personality

#endif // K42_PERSONALITY_SCMRIGHTS_H
