//===- test/unit/ProcessorTest.cpp - Calls served for the caller's CPU ----===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A server process whose X object reports, for each call, the processor
/// the call is served for (CallContext::Processor and currentProcessor())
/// and the one its worker actually runs on. A client thread pinned to each
/// processor in turn checks that the first two are always its own, and,
/// with ChannelServerOptions::FollowCaller, the third too.
///
//===----------------------------------------------------------------------===//

#include "ForkedServer.h"

#include <k42/ipc/PPCReader.h>
#include <k42/ipc/PPCWriter.h>
#include <k42/ipc/Processor.h>
#include <k42/ipc/XObject.h>

#include <gtest/gtest.h>

#include <sched.h>

namespace {

constexpr k42::Badge ClientBadge{300, 1000, 1000, 0};

/// Answers every call with three processor numbers.
class WhereObject final : public k42::XObject {
public:
  void dispatch(const k42::CallContext &Context, const k42::PPCPage &,
                k42::PPCPage &Reply) override {
    k42::PPCWriter Out(Reply);
    Out.put<uint32_t>(Context.Processor);
    Out.put<uint32_t>(k42::currentProcessor());
    Out.put<uint32_t>(uint32_t(sched_getcpu()));
    Reply.Status = Out.finish().raw();
  }
  const k42::InterfaceInfo &interfaceInfo() const override { return Info; }

private:
  k42::InterfaceInfo Info{};
};

struct Where {
  uint32_t Context, Current, Running;
};

/// A server process serving a WhereObject with \p Options.
class WhereServer : public k42test::ForkedServer {
public:
  explicit WhereServer(k42::ChannelServerOptions Options)
      : ForkedServer(
            ClientBadge, 4,
            [](k42::HandleTable &Table, const k42::Badge &Who) {
              // The child's object lives until it exits.
              return Table.insert(*new WhereObject, 1, Who.Pid);
            },
            Options) {}

  Where ask() {
    k42::CallBuffers &Pages = Transport->buffers();
    Pages.Request.MethodId = 1;
    Pages.Request.Length = 0;
    Where W{~0u, ~0u, ~0u};
    if (!Transport->call(Handle, Pages))
      return W;
    k42::PPCReader In(Pages.Reply);
    In.get(W.Context);
    In.get(W.Current);
    In.get(W.Running);
    return W;
  }
};

using k42test::allowedCpus;
using k42test::onCpu;

TEST(ProcessorTest, CallsAreServedForTheCallersProcessor) {
  WhereServer Server({});
  for (int Cpu : allowedCpus())
    onCpu(Cpu, [&] {
      for (int I = 0; I < 20; ++I) {
        Where W = Server.ask();
        EXPECT_EQ(W.Context, uint32_t(Cpu));
        EXPECT_EQ(W.Current, uint32_t(Cpu));
      }
    });
  // Outside a call, a thread works for the processor it runs on.
  onCpu(allowedCpus().front(), [&] {
    EXPECT_EQ(k42::currentProcessor(), uint32_t(allowedCpus().front()));
  });
}

TEST(ProcessorTest, FollowCallerRunsTheWorkerOnTheCallersProcessor) {
  WhereServer Server({/*FollowCaller=*/true});
  for (int Cpu : allowedCpus())
    onCpu(Cpu, [&] {
      for (int I = 0; I < 20; ++I) {
        Where W = Server.ask();
        EXPECT_EQ(W.Context, uint32_t(Cpu));
        EXPECT_EQ(W.Running, uint32_t(Cpu));
      }
    });
}

} // namespace
