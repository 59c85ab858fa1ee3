// SPDX-License-Identifier: Apache-2.0
// Parameters named like the generated code's own members and locals: the
// stub, X object and clustered forwarder must not mix them up.
#pragma once
#include <cstdint>
#include <k42/idl.h>
#include <span>
#include <string>
#include <string_view>
#include <vector>
namespace names {
class K42_EXPORT Clash {
public:
  virtual ~Clash() = default;
  virtual k42::Status swap(std::string_view Object, std::string_view Impl) = 0;
  virtual k42::Status transport(uint32_t Via, uint64_t Handle,
                                uint32_t Request, uint32_t &Result) = 0;
  virtual k42::Status buffers(std::span<const uint8_t> Buffers,
                              std::string &Bulk, uint32_t &Reply) = 0;
  virtual k42::Status readers(uint32_t In, uint32_t Out, uint32_t S,
                              uint32_t Context) = 0;
  // HandlerStub's own names, and a length parameter's name taken.
  virtual k42::Status slots(uint32_t Slot, uint32_t TransportT,
                            std::string &Data, uint32_t &DataLength,
                            std::vector<uint32_t> &LenData) = 0;
};
} // namespace names
