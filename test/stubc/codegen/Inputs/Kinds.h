// SPDX-License-Identifier: Apache-2.0
// One method per parameter kind and decoration, for the codegen tests.
#include <k42/idl.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "Shared.h"

namespace store {

enum class Mode : uint8_t { Read, Write };

class K42_EXPORT K42_RIGHTS(read, write) K42_DEFAULT_REQUIRES(read)
    K42_VERSION(2) Block {
public:
  virtual ~Block() = default;
  virtual k42::Status scalar(uint32_t Index, bool Flag, Mode M,
                             int64_t &Result) = 0;
  virtual k42::Status pod(const shared::Range &R, shared::Range &Out) = 0;
  virtual k42::Status handle(k42::ObjectHandle In, k42::ObjectHandle &Out) = 0;
  virtual k42::Status string(std::string_view Name, std::string &Out) = 0;
  virtual k42::Status vector(const std::vector<uint64_t> &In,
                             std::vector<uint64_t> &Out) = 0;
  virtual k42::Status span(std::span<const uint8_t> In,
                           std::span<uint8_t> Out) = 0;
  virtual k42::Status raw(K42_LENGTH(Count) const uint32_t *In,
                          uint32_t Count,
                          K42_LENGTH(Count) uint32_t *Out) = 0;
  virtual k42::Status inout(K42_INOUT std::string &Text,
                            K42_INOUT std::span<int16_t> Values) = 0;
  virtual k42::Status caller(K42_CALLER const k42::Badge &Who,
                             uint32_t &Pid) = 0;
  K42_REQUIRES(write) virtual k42::Status erase() = 0;
  K42_REQUIRES(none) virtual k42::Status stat(uint64_t &Size) const = 0;
  K42_ONEWAY K42_REQUIRES(write) virtual void flush(uint32_t Epoch) = 0;
  K42_METHOD_ID(7) virtual k42::Status get(uint32_t Key, uint64_t &V) = 0;
  K42_METHOD_ID(8) virtual k42::Status get(std::string_view Key,
                                           uint64_t &V) = 0;
};

class K42_EXPORT K42_RIGHTS(admin) Volume : public Block {
public:
  K42_REQUIRES(admin, write) virtual k42::Status format() = 0;
};

class Cache {
  K42_STATE_ACCESS(Cache);
  K42_STATE uint64_t Hits = 0;
  K42_STATE std::atomic<uint32_t> Misses{0};
  K42_STATE std::string Name;
  K42_STATE std::vector<uint16_t> Slots;
  K42_STATE shared::Range Last{};
};

} // namespace store
