//===- runtime/lib/StateBuffer.cpp - Hot-swap state -----------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/cobj/StateBuffer.h"

namespace k42 {

void StateBuffer::append(const void *Data, size_t Size) {
  if (Size == 0)
    return;
  const auto *Begin = static_cast<const std::byte *>(Data);
  Bytes.insert(Bytes.end(), Begin, Begin + Size);
}

Status StateBuffer::read(void *Data, size_t Size) {
  if (Size > remaining())
    return Status::error(errc::BadMessage);
  if (Size != 0)
    std::memcpy(Data, Bytes.data() + Cursor, Size);
  Cursor += Size;
  return Status::ok();
}

void StateBuffer::putString(const std::string &Value) {
  put<uint64_t>(Value.size());
  append(Value.data(), Value.size());
}

Status StateBuffer::getString(std::string &Value) {
  uint64_t Size = 0;
  if (Status S = get(Size); !S)
    return S;
  if (Size > remaining())
    return Status::error(errc::BadMessage);
  Value.assign(reinterpret_cast<const char *>(Bytes.data() + Cursor), Size);
  Cursor += Size;
  return Status::ok();
}

} // namespace k42
