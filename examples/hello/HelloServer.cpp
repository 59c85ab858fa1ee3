//===- examples/hello/HelloServer.cpp - The hello implementation ----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "HelloServer.h"

namespace hello {

k42::Status HelloServer::greet(std::string_view Name, std::string &Greeting) {
  if (Name.empty())
    return k42::Status::error(EINVAL);
  Greeting = Salutation + ", " + std::string(Name) + "!";
  ++Greetings;
  return k42::Status::ok();
}

k42::Status HelloServer::count(uint64_t &Count) {
  Count = Greetings;
  return k42::Status::ok();
}

k42::Status HelloServer::whoAmI(const k42::Badge &Caller, uint32_t &Pid) {
  Pid = Caller.Pid;
  return k42::Status::ok();
}

k42::Status HelloServer::reset() {
  Greetings = 0;
  return k42::Status::ok();
}

void HelloServer::note(std::string_view Text) { LastNote = Text; }

} // namespace hello
