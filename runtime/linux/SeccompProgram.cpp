//===- runtime/linux/SeccompProgram.cpp - A filter's BPF ------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/SeccompProgram.h"

#include <cerrno>
#include <cstring>

using namespace k42::personality;

namespace {

/// BPF_MEMWORDS: the scratch words a program may use.
constexpr unsigned ScratchWords = 16;

bool isConditionalJump(uint16_t Code) {
  if (BPF_CLASS(Code) != BPF_JMP)
    return false;
  switch (BPF_OP(Code)) {
  case BPF_JEQ:
  case BPF_JGT:
  case BPF_JGE:
  case BPF_JSET:
    return true;
  default:
    return false;
  }
}

/// Whether seccomp takes \p Code at all (seccomp_check_filter's list).
bool allowed(uint16_t Code) {
  switch (Code) {
  case BPF_LD | BPF_W | BPF_ABS:
  case BPF_LD | BPF_W | BPF_LEN:
  case BPF_LDX | BPF_W | BPF_LEN:
  case BPF_RET | BPF_K:
  case BPF_RET | BPF_A:
  case BPF_ALU | BPF_NEG:
  case BPF_LD | BPF_IMM:
  case BPF_LDX | BPF_IMM:
  case BPF_MISC | BPF_TAX:
  case BPF_MISC | BPF_TXA:
  case BPF_LD | BPF_MEM:
  case BPF_LDX | BPF_MEM:
  case BPF_ST:
  case BPF_STX:
  case BPF_JMP | BPF_JA:
    return true;
  default:
    break;
  }
  // Class, operation and source are the whole low byte.
  if (isConditionalJump(Code))
    return (Code & ~0xff) == 0;
  if (BPF_CLASS(Code) == BPF_ALU && (Code & ~0xff) == 0) {
    switch (BPF_OP(Code)) {
    case BPF_ADD:
    case BPF_SUB:
    case BPF_MUL:
    case BPF_DIV:
    case BPF_AND:
    case BPF_OR:
    case BPF_XOR:
    case BPF_LSH:
    case BPF_RSH:
      return true;
    default:
      return false;
    }
  }
  return false;
}

uint32_t loadWord(const seccomp_data &Data, uint32_t Offset) {
  uint32_t Word;
  std::memcpy(&Word, reinterpret_cast<const char *>(&Data) + Offset,
              sizeof(Word));
  return Word;
}

} // namespace

long SeccompProgram::check(uint16_t *Known) const {
  if (Length == 0 || Length > MaxLength)
    return -EINVAL;
  for (unsigned Pc = 0; Pc < Length; ++Pc) {
    const sock_filter &I = Code[Pc];
    if (!allowed(I.code))
      return -EINVAL;
    switch (I.code) {
    case BPF_LD | BPF_W | BPF_ABS:
      if (I.k >= sizeof(seccomp_data) || (I.k & 3))
        return -EINVAL;
      break;
    case BPF_LD | BPF_MEM:
    case BPF_LDX | BPF_MEM:
    case BPF_ST:
    case BPF_STX:
      if (I.k >= ScratchWords)
        return -EINVAL;
      break;
    case BPF_JMP | BPF_JA:
      if (I.k >= Length - Pc - 1)
        return -EINVAL;
      break;
    case BPF_ALU | BPF_DIV | BPF_K:
      if (I.k == 0)
        return -EINVAL;
      break;
    case BPF_ALU | BPF_LSH | BPF_K:
    case BPF_ALU | BPF_RSH | BPF_K:
      if (I.k >= 32)
        return -EINVAL;
      break;
    default:
      if (isConditionalJump(I.code) &&
          (Pc + I.jt + 1 >= Length || Pc + I.jf + 1 >= Length))
        return -EINVAL;
      break;
    }
  }
  if (BPF_CLASS(Code[Length - 1].code) != BPF_RET)
    return -EINVAL;
  // No scratch word read on a path that did not store it: a word is known
  // at an instruction only if every way there stored it.
  for (unsigned Pc = 0; Pc < Length; ++Pc)
    Known[Pc] = 0xffff;
  uint16_t Now = 0;
  for (unsigned Pc = 0; Pc < Length; ++Pc) {
    const sock_filter &I = Code[Pc];
    Now &= Known[Pc];
    switch (I.code) {
    case BPF_ST:
    case BPF_STX:
      Now |= uint16_t(1u << I.k);
      break;
    case BPF_LD | BPF_MEM:
    case BPF_LDX | BPF_MEM:
      if (!(Now & (1u << I.k)))
        return -EINVAL;
      break;
    case BPF_JMP | BPF_JA:
      Known[Pc + 1 + I.k] &= Now;
      Now = 0xffff;
      break;
    default:
      if (isConditionalJump(I.code)) {
        Known[Pc + 1 + I.jt] &= Now;
        Known[Pc + 1 + I.jf] &= Now;
        Now = 0xffff;
      }
      break;
    }
  }
  return 0;
}

uint32_t SeccompProgram::run(const seccomp_data &Data) const {
  uint32_t A = 0, X = 0;
  uint32_t Scratch[ScratchWords] = {};
  for (unsigned Pc = 0; Pc < Length; ++Pc) {
    const sock_filter &I = Code[Pc];
    uint32_t Operand = BPF_SRC(I.code) == BPF_X ? X : I.k;
    switch (BPF_CLASS(I.code)) {
    case BPF_LD:
      if (BPF_MODE(I.code) == BPF_ABS)
        A = loadWord(Data, I.k);
      else if (BPF_MODE(I.code) == BPF_LEN)
        A = sizeof(seccomp_data);
      else if (BPF_MODE(I.code) == BPF_MEM)
        A = Scratch[I.k];
      else
        A = I.k;
      break;
    case BPF_LDX:
      if (BPF_MODE(I.code) == BPF_LEN)
        X = sizeof(seccomp_data);
      else if (BPF_MODE(I.code) == BPF_MEM)
        X = Scratch[I.k];
      else
        X = I.k;
      break;
    case BPF_ST:
      Scratch[I.k] = A;
      break;
    case BPF_STX:
      Scratch[I.k] = X;
      break;
    case BPF_ALU:
      switch (BPF_OP(I.code)) {
      case BPF_ADD:
        A += Operand;
        break;
      case BPF_SUB:
        A -= Operand;
        break;
      case BPF_MUL:
        A *= Operand;
        break;
      case BPF_DIV:
        if (Operand == 0)
          return 0;
        A /= Operand;
        break;
      case BPF_AND:
        A &= Operand;
        break;
      case BPF_OR:
        A |= Operand;
        break;
      case BPF_XOR:
        A ^= Operand;
        break;
      case BPF_LSH:
        A <<= (Operand & 31);
        break;
      case BPF_RSH:
        A >>= (Operand & 31);
        break;
      case BPF_NEG:
        A = 0u - A;
        break;
      }
      break;
    case BPF_JMP:
      if (BPF_OP(I.code) == BPF_JA) {
        Pc += I.k;
        break;
      }
      {
        bool Taken = false;
        switch (BPF_OP(I.code)) {
        case BPF_JEQ:
          Taken = A == Operand;
          break;
        case BPF_JGT:
          Taken = A > Operand;
          break;
        case BPF_JGE:
          Taken = A >= Operand;
          break;
        case BPF_JSET:
          Taken = (A & Operand) != 0;
          break;
        }
        Pc += Taken ? I.jt : I.jf;
      }
      break;
    case BPF_RET:
      return BPF_RVAL(I.code) == BPF_A ? A : I.k;
    case BPF_MISC:
      if (BPF_MISCOP(I.code) == BPF_TAX)
        X = A;
      else
        A = X;
      break;
    }
  }
  // check() makes the last instruction a return; a program that was not
  // checked is killed rather than let through.
  return SECCOMP_RET_KILL_PROCESS;
}
