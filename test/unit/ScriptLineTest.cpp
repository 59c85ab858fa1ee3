//===- test/unit/ScriptLineTest.cpp - A script's #! line ------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/ScriptLine.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <string>

using namespace k42::personality;

namespace {

/// The line's reading: "name|arg", "name" without an argument, or the
/// errno.
std::string parse(const std::string &File) {
  ScriptLine Line;
  long E = Line.parse(File.data(), File.size());
  if (E < 0)
    return "error " + std::to_string(-E);
  std::string Out = Line.name();
  if (Line.arg())
    Out += std::string("|") + Line.arg();
  return Out;
}

TEST(ScriptLineTest, NameAndOneOptionalArgument) {
  EXPECT_EQ(parse("#!/bin/sh\necho\n"), "/bin/sh");
  EXPECT_EQ(parse("#!/bin/sh -e\n"), "/bin/sh|-e");
  // Spaces and tabs around both dropped; inside the argument kept: one
  // argument, not two.
  EXPECT_EQ(parse("#! \t/usr/bin/env  bash -x \t\nrest"),
            "/usr/bin/env|bash -x");
  EXPECT_EQ(parse("#!/bin/sh   \n"), "/bin/sh");
  // The file's end (a NUL in Linux's buffer) ends the line too.
  EXPECT_EQ(parse("#!/bin/echo"), "/bin/echo");
  EXPECT_EQ(parse(std::string("#!/bin/a\0b c\n", 13)), "/bin/a");
}

TEST(ScriptLineTest, CarriageReturnsStayInTheLine) {
  // Linux does not strip them: "/bin/sh\r" is looked up (ENOENT).
  EXPECT_EQ(parse("#!/bin/sh\r\n"), "/bin/sh\r");
  EXPECT_EQ(parse("#!/bin/sh -e\r\n"), "/bin/sh|-e\r");
}

TEST(ScriptLineTest, NoInterpreterIsNoExec) {
  EXPECT_EQ(parse("#!\n"), "error " + std::to_string(ENOEXEC));
  // "#!" alone: the buffer's NUL ends an empty name, taken as Linux takes
  // it (its lookup then answers; the overlay leaves that to the host).
  EXPECT_EQ(parse("#!"), "");
  EXPECT_EQ(parse("#!   \t\n"), "error " + std::to_string(ENOEXEC));
  EXPECT_EQ(parse("#! /bin/sh"), "/bin/sh");
  EXPECT_EQ(parse("# !/bin/sh\n"), "error " + std::to_string(ENOEXEC));
  EXPECT_EQ(parse("#"), "error " + std::to_string(ENOEXEC));
  EXPECT_FALSE(ScriptLine::isScript("\x7f"
                                    "ELF",
                                    4));
  EXPECT_TRUE(ScriptLine::isScript("#!", 2));
}

TEST(ScriptLineTest, AnInterpreterCutByTheBufferIsRefused) {
  // No newline and no space, tab or NUL after the name within 256 bytes:
  // the name may be longer than what was read.
  std::string Long = "#!/bin/" + std::string(300, 'x') + "\n";
  EXPECT_EQ(parse(Long), "error " + std::to_string(ENOEXEC));
  std::string Spaces = "#!" + std::string(300, ' ') + "\n";
  EXPECT_EQ(parse(Spaces), "error " + std::to_string(ENOEXEC));
  // A name that ends in the buffer with an argument cut by it: taken, the
  // argument ending one byte before the buffer's end (its last byte the
  // NUL Linux writes).
  std::string Arg = "#!/bin/echo " + std::string(300, 'y') + "\n";
  EXPECT_EQ(parse(Arg),
            "/bin/echo|" + std::string(ScriptLine::BufferBytes - 1 - 12, 'y'));
  // A newline within the buffer: whatever follows is not read.
  std::string Fits =
      "#!/bin/" + std::string(ScriptLine::BufferBytes - 8, 'z') + "\n";
  ASSERT_EQ(Fits.size(), ScriptLine::BufferBytes);
  EXPECT_EQ(parse(Fits + "more"),
            "/bin/" + std::string(ScriptLine::BufferBytes - 8, 'z'));
}

} // namespace
