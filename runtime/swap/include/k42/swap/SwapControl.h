//===- runtime/swap/include/k42/swap/SwapControl.h - Swap control -*- C++
//-*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The interface every swap-enabled server process offers at ControlPath
/// (k42/swap/SwapControlServer.h): its named clustered objects
/// (k42::cobj::Registry) listed, swapped and upgraded from outside, as
/// `utils/k42 swap` does. An ordinary stubc interface.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_SWAP_SWAPCONTROL_H
#define K42_RUNTIME_SWAP_SWAPCONTROL_H

#include <k42/idl.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace k42::swap {

class K42_EXPORT K42_RIGHTS(inspect, swap) K42_DEFAULT_REQUIRES(inspect)
    K42_VERSION(1) SwapControl {
public:
  virtual ~SwapControl() = default;

  /// The named objects, one line each, fields separated by tabs: name,
  /// interface, implementation, the interface's implementations (comma
  /// separated), swaps so far, the implementation a lazy upgrade will give
  /// it ("-" if none), why its last swap failed ("-" if it did not).
  virtual k42::Status list(std::string &Listing) = 0;

  /// Hot swap of object \p Object to \p Implementation, state moved; ENOENT
  /// for an unknown name, the import's error if the state is refused (and
  /// then nothing changed).
  K42_REQUIRES(swap)
  virtual k42::Status swap(std::string_view Object,
                           std::string_view Implementation) = 0;

  /// Dynamic upgrade: every object of \p Interface that is a \p From
  /// becomes a \p To at its next use; \p Asked says how many.
  K42_REQUIRES(swap)
  virtual k42::Status upgrade(std::string_view Interface, std::string_view From,
                              std::string_view To, uint32_t &Asked) = 0;
};

} // namespace k42::swap

#endif // K42_RUNTIME_SWAP_SWAPCONTROL_H
