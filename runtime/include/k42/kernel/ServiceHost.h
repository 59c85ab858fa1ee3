//===- runtime/include/k42/kernel/ServiceHost.h - A server's loop -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// What every server process does with the kernel's messages: for each new
/// client, enter the root object in the handle table for that client's
/// badge and serve the kernel-made channel; when a client is gone, revoke
/// its handles and stop serving it. A client may connect more than once;
/// each channel is served, and numbered in the badges of its calls.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_KERNEL_SERVICEHOST_H
#define K42_RUNTIME_KERNEL_SERVICEHOST_H

#include "k42/ipc/ChannelServer.h"
#include "k42/ipc/HandleTable.h"
#include "k42/ipc/XObject.h"
#include "k42/kernel/KernelLink.h"

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace k42::kernel {

/// Serves one root object to every client the kernel connects.
class ServiceHost {
public:
  /// \p Link is this process's connection to the kernel.
  explicit ServiceHost(KernelLink &Link);
  ~ServiceHost();

  /// Serves until the kernel says Shutdown (ok) or goes away (an error).
  /// Each client gets a handle to \p Root with \p Rights; \p OnGone, if set,
  /// also runs when a client is gone.
  Status serve(XObject &Root, RightsMask Rights,
               std::function<void(const Badge &)> OnGone = {});

  /// Serves \p Object (with \p Rights) to clients that connect to this
  /// process for path \p Path (KernelLink::connectProcess) instead of the
  /// root object; call before serve(). Paths under /k42/ are the system's
  /// per-process objects (such as the swap control object, at
  /// k42::swap::ControlPath): a client that asks for one this process has
  /// not added gets ENOENT rather than the root. EEXIST if \p Path is
  /// taken.
  Status exportAt(std::string_view Path, XObject &Object, RightsMask Rights);

  /// The table of the objects this process serves.
  HandleTable &handles() { return Table; }

  /// The notification transport to the client channel \p Caller came on
  /// (the K42_CALLER badge of a call), or nullptr if that channel is gone.
  /// Safe to call from any thread, including from inside a call.
  std::shared_ptr<NotifySender> notifier(const Badge &Caller);

private:
  KernelLink &Link;
  HandleTable Table;
  std::mutex ClientsLock;
  /// Every client channel, by client and channel number (Badge::Channel).
  std::map<std::pair<ProcessId, uint32_t>, std::unique_ptr<ChannelServer>>
      Clients;
  uint32_t NextChannel = 1;
  /// What exportAt() added, by path.
  std::map<std::string, std::pair<XObject *, RightsMask>, std::less<>>
      Exported;
};

} // namespace k42::kernel

#endif // K42_RUNTIME_KERNEL_SERVICEHOST_H
