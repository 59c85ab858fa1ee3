//===- stubc/lib/Driver/StubcMain.cpp - The stubc driver ------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Orchestrates one stubc run: parse options, run ModelAction on the header
/// with the compiler arguments after `--`, then emit the generated files (or
/// the JSON model), the depfile and the stamp.
///
//===----------------------------------------------------------------------===//

#include "stubc/StubcMain.h"
#include "Driver/ModelAction.h"
#include "Driver/OutputFile.h"
#include "stubc/Emitter.h"

#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

using namespace llvm;
namespace tooling = clang::tooling;

namespace stubc {
namespace {

cl::OptionCategory StubcCategory("stubc options");

enum class EmitKind { Cpp, Json };

cl::opt<std::string> HeaderPath(cl::Positional, cl::desc("<interface header>"),
                                cl::Required, cl::cat(StubcCategory));
cl::opt<EmitKind> Emit(
    "emit", cl::desc("What to produce"), cl::init(EmitKind::Cpp),
    cl::values(clEnumValN(EmitKind::Cpp, "cpp",
                          "Stub/X/Meta/State C++ files in --out-dir"),
               clEnumValN(EmitKind::Json, "json",
                          "the interface model as JSON (stdout or -o)")),
    cl::cat(StubcCategory));
enum class ClientKind { Standard, Handler };

cl::list<ClientKind> Clients(
    "client",
    cl::desc("Which client stubs to generate, comma-separated (default: "
             "standard)"),
    cl::CommaSeparated,
    cl::values(clEnumValN(ClientKind::Standard, "standard",
                          "Stub<Name>: std::string/std::vector results"),
               clEnumValN(ClientKind::Handler, "handler",
                          "HandlerStub<Name>: header-only, over a "
                          "k42::LeasedTransport, results into the caller's "
                          "buffers (no heap: callable in a signal handler)")),
    cl::cat(StubcCategory));
cl::opt<std::string> OutDir("out-dir",
                            cl::desc("Directory for <stem>.k42.h/.k42.cpp"),
                            cl::value_desc("dir"), cl::cat(StubcCategory));
cl::opt<std::string> OutputPath("o", cl::desc("Output file for --emit=json"),
                                cl::value_desc("file"),
                                cl::cat(StubcCategory));
cl::opt<std::string> DepfilePath("depfile",
                                 cl::desc("Write a make-syntax depfile"),
                                 cl::value_desc("file"),
                                 cl::cat(StubcCategory));
cl::opt<std::string>
    DepTarget("dep-target",
              cl::desc("The target named in the depfile (default: the "
                       "stamp, else the generated header)"),
              cl::value_desc("path"), cl::cat(StubcCategory));
cl::opt<std::string> StampPath("stamp",
                               cl::desc("File touched after every success"),
                               cl::value_desc("file"), cl::cat(StubcCategory));
cl::opt<std::string>
    IncludeName("include-name",
                cl::desc("How generated code #includes the header (default: "
                         "the header path as given)"),
                cl::value_desc("string"), cl::cat(StubcCategory));

const char Overview[] =
    "stubc: the K42 stub compiler\n\n"
    "Reads a C++ header whose classes are decorated with <k42/idl.h> and "
    "generates, for each exported interface, the client stub (Stub<Name>), "
    "the server interface object (X<Name>), the interface description "
    "(Meta<Name>) and hot-swap state transfer (State<Name>).\n\n"
    "usage: stubc [options] <header> -- <compiler arguments>\n";

/// Reports a problem with the command line or the file system.
int fail(const Twine &Message, int Code = 2) {
  errs() << "stubc: error: " << Message << "\n";
  return Code;
}

int reportError(Error E) {
  std::string Message = toString(std::move(E));
  return fail(Message, 1);
}

/// The stem of generated files: the header's file name without extension.
std::string stemOf(StringRef Path) {
  return std::string(sys::path::stem(Path));
}

} // namespace

int stubcMain(int Argc, const char **Argv) {
  InitLLVM Init(Argc, Argv);

  // Everything after "--" is the compiler's; stubc's own options come before.
  int Split = Argc;
  for (int I = 1; I < Argc; ++I)
    if (StringRef(Argv[I]) == "--") {
      Split = I;
      break;
    }
  std::vector<std::string> CompilerArgs;
  for (int I = Split + 1; I < Argc; ++I)
    CompilerArgs.push_back(Argv[I]);

  cl::HideUnrelatedOptions(StubcCategory);
  if (!cl::ParseCommandLineOptions(Split, Argv, Overview, &errs()))
    return 2;

  if (Emit == EmitKind::Cpp && OutDir.empty())
    return fail("--out-dir is required with --emit=cpp");
  if (!sys::fs::exists(HeaderPath))
    return fail("no such file: '" + HeaderPath + "'");

  // The header is parsed as C++ whatever its extension, with the standard
  // stubc needs unless the caller chose one, and with the resource directory
  // of the Clang stubc was built against (for <stddef.h> and friends).
  tooling::FixedCompilationDatabase Database(".", CompilerArgs);
  tooling::ClangTool Tool(Database, {HeaderPath});
  Tool.appendArgumentsAdjuster(tooling::getInsertArgumentAdjuster(
      {"-xc++", "-std=c++20", "-resource-dir=" K42_CLANG_RESOURCE_DIR,
       // The header is the main file here, which is no reason to complain
       // about its #pragma once.
       "-Wno-pragma-once-outside-header"},
      tooling::ArgumentInsertPosition::BEGIN));

  ModelResult Result;
  Result.Model.MainFile = HeaderPath;
  Result.Model.IncludeName = IncludeName.empty() ? HeaderPath : IncludeName;
  ModelActionFactory Factory(Result);
  int ToolStatus = Tool.run(&Factory);
  if (ToolStatus != 0 || !Result.Succeeded)
    return 1;

  if (Emit == EmitKind::Json) {
    std::string Json = emitJson(Result.Model);
    if (OutputPath.empty() || OutputPath == "-") {
      outs() << Json;
      outs().flush();
    } else if (Error E = OutputFile::writeIfChanged(OutputPath, Json)) {
      return reportError(std::move(E));
    }
  } else {
    EmitOptions Options;
    if (!Clients.empty()) {
      Options.StandardClient = Options.HandlerClient = false;
      for (ClientKind K : Clients)
        (K == ClientKind::Standard ? Options.StandardClient
                                   : Options.HandlerClient) = true;
    }
    std::string Stem = stemOf(HeaderPath);
    SmallString<256> HeaderOut(OutDir), SourceOut(OutDir);
    sys::path::append(HeaderOut, Stem + ".k42.h");
    sys::path::append(SourceOut, Stem + ".k42.cpp");
    if (Error E = OutputFile::writeIfChanged(HeaderOut,
                                             emitHeader(Result.Model, Options)))
      return reportError(std::move(E));
    if (Error E = OutputFile::writeIfChanged(
            SourceOut, emitSource(Result.Model, Stem + ".k42.h", Options)))
      return reportError(std::move(E));
    if (!DepfilePath.empty()) {
      std::string Target = !DepTarget.empty()   ? DepTarget.getValue()
                           : !StampPath.empty() ? StampPath.getValue()
                                                : std::string(HeaderOut);
      if (Error E = OutputFile::writeDepfile(DepfilePath, Target,
                                             Result.Dependencies))
        return reportError(std::move(E));
    }
  }
  if (!StampPath.empty())
    if (Error E = OutputFile::touch(StampPath))
      return reportError(std::move(E));
  return 0;
}

} // namespace stubc
