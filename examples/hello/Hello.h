//===- examples/hello/Hello.h - The hello interface -------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A first K42 service: an ordinary C++ class that <k42/idl.h> turns into an
/// exported interface. stubc reads this header and generates StubHello (for
/// clients), XHello (for the server) and MetaHello (method numbers, rights,
/// fingerprint). The header compiles as plain C++ too.
///
//===----------------------------------------------------------------------===//

#ifndef K42_EXAMPLES_HELLO_HELLO_H
#define K42_EXAMPLES_HELLO_HELLO_H

#include <k42/idl.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace hello {

/// Greets callers and counts the greetings. Holders of `greet` may be
/// greeted; only holders of `admin` may reset the count.
class K42_EXPORT K42_RIGHTS(greet, admin) K42_VERSION(1) Hello {
public:
  virtual ~Hello() = default;

  /// Puts a greeting for \p Name into \p Greeting.
  K42_REQUIRES(greet)
  virtual k42::Status greet(std::string_view Name, std::string &Greeting) = 0;

  /// The number of greetings so far.
  K42_REQUIRES(greet)
  virtual k42::Status count(uint64_t &Count) = 0;

  /// Tells the caller its own K42 process id, as the channel vouches for it:
  /// the badge parameter is filled by XHello and is not part of the stub.
  virtual k42::Status whoAmI(K42_CALLER const k42::Badge &Caller,
                             uint32_t &Pid) = 0;

  /// Sets the count back to zero.
  K42_REQUIRES(admin)
  virtual k42::Status reset() = 0;

  /// Leaves a note; one-way, so the caller does not wait for a reply.
  K42_ONEWAY K42_REQUIRES(greet) virtual void note(std::string_view Text) = 0;
};

} // namespace hello

#endif // K42_EXAMPLES_HELLO_HELLO_H
