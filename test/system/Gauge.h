//===- test/system/Gauge.h - Objects to swap by name ------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The interface of test/system/swap.test: a counter with a label, which
/// k42-lab-server serves as named clustered objects in three
/// implementations, so `utils/k42 swap` can swap and upgrade them while
/// clients call. "plain" and "loud" have the same K42_STATE fields and take
/// each other's state; "halves" has others and refuses it.
///
//===----------------------------------------------------------------------===//

#ifndef K42_TEST_SYSTEM_GAUGE_H
#define K42_TEST_SYSTEM_GAUGE_H

#include <k42/idl.h>

#include <atomic>
#include <cctype>
#include <cstdint>
#include <string>

namespace labtest {

class K42_EXPORT K42_RIGHTS(use) K42_DEFAULT_REQUIRES(use) Gauge {
public:
  virtual ~Gauge() = default;
  /// Counts one call.
  virtual k42::Status tick() = 0;
  /// The count, and the label as this implementation shows it.
  virtual k42::Status read(uint64_t &Ticks, std::string &Label) = 0;
};

/// Shows its label as given.
class PlainGauge final : public Gauge {
  K42_STATE_ACCESS(PlainGauge);

public:
  explicit PlainGauge(std::string Label = "") : Label(std::move(Label)) {}
  k42::Status tick() override {
    Count.fetch_add(1);
    return k42::Status::ok();
  }
  k42::Status read(uint64_t &Ticks, std::string &Shown) override {
    Ticks = Count.load();
    Shown = Label;
    return k42::Status::ok();
  }

private:
  K42_STATE std::atomic<uint64_t> Count{0};
  K42_STATE std::string Label;
};

/// The same state, its label shown in capitals.
class LoudGauge final : public Gauge {
  K42_STATE_ACCESS(LoudGauge);

public:
  k42::Status tick() override {
    Count.fetch_add(1);
    return k42::Status::ok();
  }
  k42::Status read(uint64_t &Ticks, std::string &Shown) override {
    Ticks = Count.load();
    Shown = Label;
    for (char &C : Shown)
      C = char(std::toupper(static_cast<unsigned char>(C)));
    return k42::Status::ok();
  }

private:
  K42_STATE std::atomic<uint64_t> Count{0};
  K42_STATE std::string Label;
};

/// Other state fields: it refuses the others' state.
class HalvesGauge final : public Gauge {
  K42_STATE_ACCESS(HalvesGauge);

public:
  k42::Status tick() override {
    Halves.fetch_add(2);
    return k42::Status::ok();
  }
  k42::Status read(uint64_t &Ticks, std::string &Shown) override {
    Ticks = Halves.load() / 2;
    Shown = "halves";
    return k42::Status::ok();
  }

private:
  K42_STATE std::atomic<uint64_t> Halves{0};
};

} // namespace labtest

#endif // K42_TEST_SYSTEM_GAUGE_H
