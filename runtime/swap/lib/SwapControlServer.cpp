//===- runtime/swap/lib/SwapControlServer.cpp - Swap control --------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/swap/SwapControlServer.h"

namespace k42::swap {
namespace {

/// A listing field: never empty, and never one that would split a line.
std::string field(std::string_view Text) {
  if (Text.empty())
    return "-";
  std::string Out(Text);
  for (char &C : Out)
    if (C == '\t' || C == '\n')
      C = ' ';
  return Out;
}

} // namespace

Status SwapControlServer::list(std::string &Listing) {
  Listing.clear();
  for (const cobj::Registry::ObjectInfo &I : Objects.list()) {
    std::string Impls;
    for (const std::string &Name : I.Implementations)
      Impls += (Impls.empty() ? "" : ",") + Name;
    Listing += field(I.Name) + '\t' + field(I.Interface) + '\t' +
               field(I.Implementation) + '\t' + field(Impls) + '\t' +
               std::to_string(I.Swaps) + '\t' + field(I.Upgrading) + '\t' +
               field(I.LastFailure) + '\n';
  }
  return Status::ok();
}

Status SwapControlServer::swap(std::string_view Object,
                               std::string_view Implementation) {
  return Objects.swap(Object, Implementation);
}

Status SwapControlServer::upgrade(std::string_view Interface,
                                  std::string_view From, std::string_view To,
                                  uint32_t &Asked) {
  Result<uint32_t> N = Objects.upgrade(Interface, From, To);
  if (!N)
    return N.status();
  Asked = *N;
  return Status::ok();
}

Status exportSwapControl(kernel::ServiceHost &Host) {
  // One per process, alive as long as the process may serve calls.
  static SwapControlServer *Control = new SwapControlServer();
  static XSwapControl *Object = new XSwapControl(*Control);
  return Host.exportAt(ControlPath, *Object, MetaSwapControl::Rights::all);
}

} // namespace k42::swap
