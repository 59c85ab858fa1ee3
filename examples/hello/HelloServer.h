//===- examples/hello/HelloServer.h - The hello implementation --*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The server side of hello: the implementation behind XHello. Its K42_STATE
/// fields are what hot swap would carry to a replacement implementation;
/// stubc generates StateHelloServer to export and import them.
///
//===----------------------------------------------------------------------===//

#ifndef K42_EXAMPLES_HELLO_HELLOSERVER_H
#define K42_EXAMPLES_HELLO_HELLOSERVER_H

#include "Hello.h"

#include <string>

namespace hello {

/// Greets in one language, counting greetings and keeping the last note.
class HelloServer final : public Hello {
public:
  /// A server that greets with \p Salutation ("hello", "bonjour", ...).
  explicit HelloServer(std::string Salutation)
      : Salutation(std::move(Salutation)) {}

  k42::Status greet(std::string_view Name, std::string &Greeting) override;
  k42::Status count(uint64_t &Count) override;
  k42::Status whoAmI(const k42::Badge &Caller, uint32_t &Pid) override;
  k42::Status reset() override;
  void note(std::string_view Text) override;

  /// The last note left with note().
  const std::string &lastNote() const { return LastNote; }

private:
  K42_STATE_ACCESS(HelloServer);

  std::string Salutation;
  K42_STATE uint64_t Greetings = 0;
  K42_STATE std::string LastNote;
};

} // namespace hello

#endif // K42_EXAMPLES_HELLO_HELLOSERVER_H
