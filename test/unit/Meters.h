//===- test/unit/Meters.h - Implementations with state to swap --*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A meter in three implementations for the hot-swap state tests. MeterA
/// and MeterB keep the same K42_STATE fields (so either takes the other's
/// state through the generated State<Class>); MeterC keeps different ones
/// (so a swap to it is refused and rolled back).
///
//===----------------------------------------------------------------------===//

#ifndef K42_TEST_UNIT_METERS_H
#define K42_TEST_UNIT_METERS_H

#include <k42/idl.h>

#include <atomic>
#include <cstdint>
#include <string>

namespace metertest {

class Meter {
public:
  virtual ~Meter() = default;
  virtual void tick() = 0;
  virtual uint64_t ticks() const = 0;
  virtual std::string label() const = 0;
};

/// Counts ticks.
class MeterA final : public Meter {
  K42_STATE_ACCESS(MeterA);

public:
  explicit MeterA(std::string Label = "") : Label(std::move(Label)) {}
  void tick() override { Count.fetch_add(1); }
  uint64_t ticks() const override { return Count.load(); }
  std::string label() const override { return Label; }

private:
  K42_STATE std::atomic<uint64_t> Count{0};
  K42_STATE std::string Label;
};

/// Counts ticks the same way, with the same state, differently labelled.
class MeterB final : public Meter {
  K42_STATE_ACCESS(MeterB);

public:
  void tick() override { Count.fetch_add(1); }
  uint64_t ticks() const override { return Count.load(); }
  std::string label() const override { return "B:" + Label; }

private:
  K42_STATE std::atomic<uint64_t> Count{0};
  K42_STATE std::string Label;
};

/// Keeps its count in another form: its state is not the others'.
class MeterC final : public Meter {
  K42_STATE_ACCESS(MeterC);

public:
  void tick() override { ++Halves; }
  uint64_t ticks() const override { return Halves; }
  std::string label() const override { return "C"; }

private:
  K42_STATE uint32_t Halves = 0;
};

} // namespace metertest

#endif // K42_TEST_UNIT_METERS_H
