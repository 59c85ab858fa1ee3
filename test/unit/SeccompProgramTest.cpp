//===- test/unit/SeccompProgramTest.cpp - A filter's BPF ------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The personality's check and run of seccomp's classic BPF: what Linux
/// refuses is refused (and what it takes is taken: every conditional jump,
/// scratch words stored on every path), and programs compute what the
/// kernel's interpreter computes.
///
//===----------------------------------------------------------------------===//

#include "k42/personality/SeccompProgram.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstddef>
#include <vector>

using namespace k42::personality;

namespace {

constexpr uint32_t Allow = SECCOMP_RET_ALLOW;

long check(const std::vector<sock_filter> &Code) {
  std::vector<uint16_t> Room(Code.size() + 1);
  return SeccompProgram(Code.data(), unsigned(Code.size())).check(Room.data());
}

uint32_t run(const std::vector<sock_filter> &Code, const seccomp_data &Data) {
  EXPECT_EQ(check(Code), 0);
  return SeccompProgram(Code.data(), unsigned(Code.size())).run(Data);
}

sock_filter loadNr() {
  return BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr));
}

sock_filter ret(uint32_t Value) { return BPF_STMT(BPF_RET | BPF_K, Value); }

seccomp_data callOf(int Nr, uint64_t Arg0 = 0) {
  seccomp_data Data{};
  Data.nr = Nr;
  Data.arch = 0xc000003e;
  Data.args[0] = Arg0;
  return Data;
}

} // namespace

TEST(SeccompProgramTest, TakesEveryConditionalJump) {
  for (uint16_t Op : {BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET})
    for (uint16_t Src : {BPF_K, BPF_X})
      EXPECT_EQ(check({loadNr(), BPF_JUMP(BPF_JMP | Op | Src, 1, 0, 1), ret(0),
                       ret(Allow)}),
                0)
          << Op << " " << Src;
}

TEST(SeccompProgramTest, RefusesWhatLinuxRefuses) {
  EXPECT_EQ(check({}), -EINVAL);
  EXPECT_EQ(check(std::vector<sock_filter>(4097, ret(Allow))), -EINVAL);
  EXPECT_EQ(check(std::vector<sock_filter>(4096, ret(Allow))), 0);
  // Loads other than words of seccomp_data.
  EXPECT_EQ(check({BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0), ret(Allow)}),
            -EINVAL);
  EXPECT_EQ(check({BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 0), ret(Allow)}),
            -EINVAL);
  EXPECT_EQ(check({BPF_STMT(BPF_LD | BPF_W | BPF_IND, 0), ret(Allow)}),
            -EINVAL);
  EXPECT_EQ(check({BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 2), ret(Allow)}),
            -EINVAL);
  EXPECT_EQ(check({BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 64), ret(Allow)}),
            -EINVAL);
  EXPECT_EQ(check({BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 60), ret(Allow)}), 0);
  // Jumps past the end.
  EXPECT_EQ(check({BPF_STMT(BPF_JMP | BPF_JA, 1), ret(Allow)}), -EINVAL);
  EXPECT_EQ(check({BPF_STMT(BPF_JMP | BPF_JA, 0), ret(Allow)}), 0);
  EXPECT_EQ(check({BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0), ret(Allow)}),
            -EINVAL);
  // No return last.
  EXPECT_EQ(check({ret(Allow), loadNr()}), -EINVAL);
  // Constant division by zero, shifts of 32.
  EXPECT_EQ(check({BPF_STMT(BPF_ALU | BPF_DIV | BPF_K, 0), ret(Allow)}),
            -EINVAL);
  EXPECT_EQ(check({BPF_STMT(BPF_ALU | BPF_LSH | BPF_K, 32), ret(Allow)}),
            -EINVAL);
  EXPECT_EQ(check({BPF_STMT(BPF_ALU | BPF_RSH | BPF_K, 31), ret(Allow)}), 0);
  // Operations seccomp leaves out.
  EXPECT_EQ(check({BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, 3), ret(Allow)}),
            -EINVAL);
  EXPECT_EQ(check({BPF_STMT(BPF_ALU | BPF_NEG | BPF_X, 0), ret(Allow)}),
            -EINVAL);
  // Scratch words out of range.
  EXPECT_EQ(check({BPF_STMT(BPF_ST, 16), ret(Allow)}), -EINVAL);
}

TEST(SeccompProgramTest, ScratchWordsMustBeStoredOnEveryPath) {
  EXPECT_EQ(check({BPF_STMT(BPF_LD | BPF_MEM, 0), ret(Allow)}), -EINVAL);
  EXPECT_EQ(
      check({BPF_STMT(BPF_ST, 0), BPF_STMT(BPF_LDX | BPF_MEM, 0), ret(Allow)}),
      0);
  // Stored on one way only.
  EXPECT_EQ(
      check({loadNr(), BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 1),
             BPF_STMT(BPF_ST, 2), BPF_STMT(BPF_LD | BPF_MEM, 2), ret(Allow)}),
      -EINVAL);
  // Stored before the branch: known on both ways.
  EXPECT_EQ(check({BPF_STMT(BPF_ST, 2), loadNr(),
                   BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 1),
                   BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 1),
                   BPF_STMT(BPF_LD | BPF_MEM, 2), ret(Allow)}),
            0);
}

TEST(SeccompProgramTest, RunsAsTheKernel) {
  // Return the number times three plus one, through X and a scratch word.
  std::vector<sock_filter> Arith = {loadNr(),
                                    BPF_STMT(BPF_ST, 5),
                                    BPF_STMT(BPF_LDX | BPF_IMM, 3),
                                    BPF_STMT(BPF_ALU | BPF_MUL | BPF_X, 0),
                                    BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 1),
                                    BPF_STMT(BPF_RET | BPF_A, 0)};
  EXPECT_EQ(run(Arith, callOf(14)), 43U);
  // A division by a zero X ends the program with 0.
  std::vector<sock_filter> DivX = {BPF_STMT(BPF_LDX | BPF_IMM, 0), loadNr(),
                                   BPF_STMT(BPF_ALU | BPF_DIV | BPF_X, 0),
                                   ret(Allow)};
  EXPECT_EQ(run(DivX, callOf(1)), 0U);
  // Shifts by X take its low five bits.
  std::vector<sock_filter> Shift = {
      BPF_STMT(BPF_LD | BPF_IMM, 1), BPF_STMT(BPF_LDX | BPF_IMM, 33),
      BPF_STMT(BPF_ALU | BPF_LSH | BPF_X, 0), BPF_STMT(BPF_RET | BPF_A, 0)};
  EXPECT_EQ(run(Shift, callOf(1)), 2U);
  // An argument's high word, JSET, NEG, TXA, LEN.
  std::vector<sock_filter> Arg = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, args[0]) + 4),
      BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x80, 0, 1),
      ret(SECCOMP_RET_ERRNO | 1),
      BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0),
      BPF_STMT(BPF_ALU | BPF_NEG, 0),
      BPF_STMT(BPF_MISC | BPF_TAX, 0),
      BPF_STMT(BPF_MISC | BPF_TXA, 0),
      BPF_STMT(BPF_RET | BPF_A, 0)};
  EXPECT_EQ(run(Arg, callOf(0, uint64_t(0x80) << 32)),
            uint32_t(SECCOMP_RET_ERRNO | 1));
  EXPECT_EQ(run(Arg, callOf(0, 0x80)), uint32_t(0U - 64U));
  // JGT and JGE on either side of the value.
  std::vector<sock_filter> Range = {
      loadNr(), BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 10, 0, 2),
      BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 20, 0, 1), ret(2), ret(1)};
  EXPECT_EQ(run(Range, callOf(9)), 1U);
  EXPECT_EQ(run(Range, callOf(10)), 1U);
  EXPECT_EQ(run(Range, callOf(20)), 1U);
  EXPECT_EQ(run(Range, callOf(21)), 2U);
}
