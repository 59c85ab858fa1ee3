//===- k42/personality/PassedFds.h - SCM_RIGHTS -----------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// K42 descriptors passed between processes over AF_UNIX sockets
/// (sendmsg/recvmsg with SCM_RIGHTS). The host passes a K42 descriptor's
/// placeholder, which is the same open file description in the receiver
/// (the host counts its references as for fork): the receiver only has to
/// learn what it stands for. A pipe end's placeholder holds the pipe
/// server's PipeTag unread; a K42 file's is its FileDescription memfd,
/// re-opened by path at first use as after exec (lazy re-authorisation).
/// Without this a received pipe end was a bare socket nobody writes to,
/// and Python's multiprocessing forkserver hung on it.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_PASSEDFDS_H
#define K42_PERSONALITY_PASSEDFDS_H

struct msghdr;

namespace k42::personality {

/// The K42 side of SCM_RIGHTS.
class PassedFds {
public:
  /// Before sendmsg of the user's message at \p UserMsg: every K42 pipe
  /// end among its SCM_RIGHTS descriptors is taken by the pipe server (its
  /// tag is in its placeholder). 0; -EBADF, with nothing done, when one of
  /// them is the personality's own (ProgramFds::isPrivate), which the
  /// message must not carry; or -EFAULT for an unreadable message (the
  /// host's sendmsg then answers for it).
  static long beforeSend(long UserMsg);
  /// After a recvmsg that filled the user's message at \p UserMsg: each
  /// SCM_RIGHTS descriptor that is a K42 pipe end's or file's placeholder
  /// becomes that K42 descriptor in this process.
  static void received(long UserMsg);
  /// \p Fd, a descriptor this process just got from another (SCM_RIGHTS,
  /// pidfd_getfd): the K42 pipe end or file its placeholder is, if it is
  /// one. A file is re-authorised at its first use, as after exec.
  static void adopt(long Fd);
};

} // namespace k42::personality

#endif
