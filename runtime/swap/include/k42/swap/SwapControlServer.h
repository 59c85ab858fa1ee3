//===- runtime/swap/include/k42/swap/SwapControlServer.h -------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The swap control object of a server process: SwapControl over a
/// cobj::Registry, and exportSwapControl(), the one call a server makes so
/// that `utils/k42 swap` can reach the objects it named in the registry.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_SWAP_SWAPCONTROLSERVER_H
#define K42_RUNTIME_SWAP_SWAPCONTROLSERVER_H

#include "SwapControl.k42.h"

#include <k42/cobj/Registry.h>
#include <k42/kernel/ServiceHost.h>

#include <string_view>

namespace k42::swap {

/// Where a server process serves its swap control object.
inline constexpr std::string_view ControlPath = "/k42/swap";

/// SwapControl for the objects of one registry.
class SwapControlServer final : public SwapControl {
public:
  explicit SwapControlServer(
      cobj::Registry &Objects = cobj::Registry::process())
      : Objects(Objects) {}

  Status list(std::string &Listing) override;
  Status swap(std::string_view Object,
              std::string_view Implementation) override;
  Status upgrade(std::string_view Interface, std::string_view From,
                 std::string_view To, uint32_t &Asked) override;

private:
  cobj::Registry &Objects;
};

/// Serves the process registry's swap control at ControlPath of \p Host,
/// to every client with all rights (the system's processes are one user's:
/// docs/trust-model.md). Call once, before Host.serve().
Status exportSwapControl(kernel::ServiceHost &Host);

} // namespace k42::swap

#endif // K42_RUNTIME_SWAP_SWAPCONTROLSERVER_H
