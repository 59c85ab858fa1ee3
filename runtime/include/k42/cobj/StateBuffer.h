//===- runtime/include/k42/cobj/StateBuffer.h - Hot-swap state --*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The buffer a hot swap moves an object's K42_STATE fields through. The
/// generated State<Class>::exportState writes a fingerprint of the field list
/// and then each field; importState checks the fingerprint, so state is
/// never read into a class whose fields differ from the writer's, and every
/// read is bounds-checked, so a short or corrupt buffer is an error value,
/// never undefined behaviour.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_COBJ_STATEBUFFER_H
#define K42_RUNTIME_COBJ_STATEBUFFER_H

#include "k42/ipc/Status.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

namespace k42 {

/// An append-only byte buffer with a read cursor.
class StateBuffer {
public:
  /// Appends the bytes of a trivially copyable value.
  template <typename T> void put(const T &Value) {
    static_assert(std::is_trivially_copyable_v<T>,
                  "only trivially copyable values are stored as bytes");
    append(&Value, sizeof(T));
  }

  /// Reads a value written by put<T>; BadMessage if the buffer is short.
  template <typename T> Status get(T &Value) {
    static_assert(std::is_trivially_copyable_v<T>,
                  "only trivially copyable values are stored as bytes");
    return read(&Value, sizeof(T));
  }

  /// Appends a length-prefixed string.
  void putString(const std::string &Value);
  /// Reads a string written by putString.
  Status getString(std::string &Value);

  /// Appends a length-prefixed vector of trivially copyable elements.
  template <typename T> void putVector(const std::vector<T> &Value) {
    static_assert(std::is_trivially_copyable_v<T>);
    put<uint64_t>(Value.size());
    append(Value.data(), Value.size() * sizeof(T));
  }
  /// Reads a vector written by putVector.
  template <typename T> Status getVector(std::vector<T> &Value) {
    static_assert(std::is_trivially_copyable_v<T>);
    uint64_t Count = 0;
    if (Status S = get(Count); !S)
      return S;
    if (Count > remaining() / (sizeof(T) ? sizeof(T) : 1))
      return Status::error(errc::BadMessage);
    Value.resize(Count);
    return read(Value.data(), Count * sizeof(T));
  }

  /// Appends raw bytes.
  void append(const void *Data, size_t Size);
  /// Copies the next \p Size bytes out; BadMessage if fewer remain.
  Status read(void *Data, size_t Size);

  /// Bytes not yet read.
  size_t remaining() const { return Bytes.size() - Cursor; }
  /// Everything written so far.
  const std::vector<std::byte> &bytes() const { return Bytes; }
  /// Starts reading from the beginning again.
  void rewind() { Cursor = 0; }
  /// Empties the buffer.
  void clear() {
    Bytes.clear();
    Cursor = 0;
  }

private:
  std::vector<std::byte> Bytes;
  size_t Cursor = 0;
};

} // namespace k42

#endif // K42_RUNTIME_COBJ_STATEBUFFER_H
