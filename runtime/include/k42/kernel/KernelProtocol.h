//===- runtime/include/k42/kernel/KernelProtocol.h - Kernel msgs *- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// What K42 processes and the kernel process say to each other over the
/// kernel's Unix socket (SOCK_SEQPACKET: one message per datagram, channel
/// memfds attached with SCM_RIGHTS). The kernel identifies each peer with
/// SO_PEERCRED when it connects and gives it a K42 process id; everything a
/// process says after that is attributed to that identity, never to what
/// the message claims.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_KERNEL_KERNELPROTOCOL_H
#define K42_RUNTIME_KERNEL_KERNELPROTOCOL_H

#include "k42/ipc/Badge.h"
#include "k42/ipc/ObjectHandle.h"

#include <cerrno>
#include <cstdint>

namespace k42::kernel {

/// Message types.
enum class MessageType : uint32_t {
  /// Process -> kernel: first message; Name is the process's name.
  /// Reply: Who is the caller's badge (its K42 process id); none if State
  /// has HelloNoReply.
  Hello = 1,
  /// Server -> kernel: serve Name, a path the kernel itself resolves (only
  /// the name server's, /name); an empty Name just says "I serve clients".
  Register = 2,
  /// Client -> kernel: open a channel to process Who.Pid (as the name
  /// server named it), or if that is 0 to the holder of the kernel path
  /// Name; Name goes to the server, which picks the object by it.
  /// Reply (Connected): the channel memfd, the root Handle, ServerPid (a
  /// client outside the system's pid namespace: 0, and a pidfd of the
  /// server after the memfd), and in Status the channel's size in bytes
  /// (it is sealed). With ConnectAnswerAtOnce in State the reply
  /// comes as soon as the channel is made, and the root handle (or the
  /// server's refusal) in the channel itself (ChannelHeader::Answered).
  Connect = 3,
  Connected = 4,
  /// Kernel -> server: a client (Who) wants Name; the channel memfd is
  /// attached, and its size is in Status. Server -> kernel (ClientReady,
  /// same Seq): the root Handle for that client, or an error Status.
  NewClient = 5,
  ClientReady = 6,
  /// Kernel -> server: process Who is gone; reclaim its handles.
  ClientGone = 7,
  /// Any -> kernel: list processes. Reply: one ProcessInfo per process,
  /// then ListEnd.
  List = 8,
  ProcessInfo = 9,
  ListEnd = 10,
  /// Any -> kernel: stop the system. Kernel -> every process: Shutdown.
  Shutdown = 11,
  /// Kernel -> process: a request failed; Status says why.
  Error = 12,
  /// Process -> kernel, no reply: its credentials changed (a set*id call
  /// the host applied). The kernel reads its effective uid and gid again
  /// from the host (/proc/<pid>/status), never from the message, and
  /// badges the channels it makes from now on with them: a channel keeps
  /// the credentials it was made with, and SO_PEERCRED says only what
  /// they were at connect().
  Credentials = 13,
};

/// One message. Fixed-size and trivially copyable: the kernel checks Type,
/// terminates Name and ignores fields a type does not use.
struct Message {
  MessageType Type;
  /// Correlates replies with requests.
  uint32_t Seq;
  /// A k42::Status raw value (replies, errors).
  int64_t Status;
  /// A process's identity, as the kernel knows it.
  Badge Who;
  /// A root object handle.
  ObjectHandle Handle;
  /// Connected: the pid of the server (so a client can watch for its
  /// death); 0 to a client outside the system's pid namespace, to whom
  /// the system's pids mean nothing, which gets a pidfd of the server as
  /// a second descriptor instead. ProcessInfo: the process's pid, the
  /// host's or (ProcessPidIsSystems) the system's own.
  int32_t ServerPid;
  /// ProcessInfo: ProcessRunning and ProcessPidIsSystems bits. Hello:
  /// HelloNoReply.
  int32_t State;
  /// A service path or a process name, NUL-terminated.
  char Name[96];
};

static_assert(sizeof(Message) <= 256, "kernel messages stay small");

/// Hello State: send no reply. A process that never uses its badge (the
/// Linux personality's) says hello with its first Connect and would
/// otherwise read (and, waiting for the Connected, be woken for) an
/// answer it throws away.
constexpr int32_t HelloNoReply = 1;

/// Connect State: answer with the channel at once, not after the server:
/// the server writes the root handle or its refusal into the channel's
/// header (ChannelHeader::Answered) and sends no ClientReady. The client
/// waits there, while the kernel goes on, instead of the kernel waking a
/// second time for the server's answer and the client waiting for both.
constexpr int32_t ConnectAnswerAtOnce = 1;
/// Connect State: this Connect is also the process's hello, as the Linux
/// personality's (name "k42-linux", no reply): one message and one read
/// of the kernel fewer per process that joins.
constexpr int32_t ConnectSaysHello = 2;
/// The name a ConnectSaysHello gives its process.
constexpr const char *PersonalityName = "k42-linux";

/// NewClient State: the client was answered at once (ConnectAnswerAtOnce):
/// answer in the channel's header, not with a ClientReady.
constexpr int32_t NewClientAnswerInChannel = 1;

/// ProcessInfo State: the process is running.
constexpr int32_t ProcessRunning = 1;
/// ProcessInfo State: its pid (ServerPid) is one of the system's own pid
/// namespace, where the kernel is pid 1; else it is the host's.
constexpr int32_t ProcessPidIsSystems = 2;

/// The errno (EXDEV: "not on this system") the kernel answers a Connect
/// from a Linux personality process outside the system's pid namespace:
/// its pids would not be the system's. k42-exec enters the namespace.
constexpr int OutsideSystem = EXDEV;

} // namespace k42::kernel

#endif // K42_RUNTIME_KERNEL_KERNELPROTOCOL_H
