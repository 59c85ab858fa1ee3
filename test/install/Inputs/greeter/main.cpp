// SPDX-License-Identifier: Apache-2.0
#include "Greeter.k42.h"

#include <k42/ipc/InProcTransport.h>

#include <cstdio>

namespace {
class Impl final : public outside::Greeter {
public:
  k42::Status greet(std::string_view Name, std::string &Out) override {
    Out = "hi " + std::string(Name);
    return k42::Status::ok();
  }
};
} // namespace

int main() {
  using outside::MetaGreeter;
  std::printf("%s v%u\n", MetaGreeter::Name, MetaGreeter::Version);
  k42::InProcTransport Transport(k42::Badge{1, 0, 0, 0});
  Impl Server;
  outside::XGreeter X(Server);
  auto Handle = Transport.exportObject(X, MetaGreeter::Rights::all);
  if (!Handle)
    return 1;
  auto Stub = outside::StubGreeter::bind(Transport, *Handle);
  if (!Stub)
    return 1;
  std::string Out;
  k42::Status S = Stub->greet("outside", Out);
  std::printf("%s: %s\n", std::string(S.message()).c_str(), Out.c_str());
  return S.isOk() ? 0 : 1;
}
