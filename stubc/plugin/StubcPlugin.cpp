//===- stubc/plugin/StubcPlugin.cpp - stubc as a Clang plugin -------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The second front door of the stubc library: loaded with
/// `clang++ -fplugin=K42StubcPlugin.so`, it runs the same Extractor over
/// every interface in the user's (non-system) headers during an ordinary
/// compile, so mistakes show up in the editor and the normal build with the
/// same stubc-NNNN diagnostics the stubc tool reports. It generates nothing.
///
//===----------------------------------------------------------------------===//

#include "stubc/Extractor.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendPluginRegistry.h"

using namespace clang;

namespace stubc {
namespace {

/// Checks the decorated classes of a translation unit once it is parsed.
class CheckConsumer : public ASTConsumer {
public:
  explicit CheckConsumer(CompilerInstance &CI) : CI(CI) {}

  void HandleTranslationUnit(ASTContext &Context) override {
    if (Context.getDiagnostics().hasErrorOccurred())
      return;
    SourceManager &SM = Context.getSourceManager();
    FileModel Discarded;
    Extractor X(Context, CI.hasSema() ? &CI.getSema() : nullptr);
    (void)X.run(Discarded, [&](SourceLocation Loc) {
      return Loc.isValid() && !SM.isInSystemHeader(SM.getExpansionLoc(Loc));
    });
  }

private:
  CompilerInstance &CI;
};

/// The plugin action: runs before the main action, so the compile goes on
/// as usual (and fails if a stubc error was reported).
class StubcPluginAction : public PluginASTAction {
protected:
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 llvm::StringRef) override {
    return std::make_unique<CheckConsumer>(CI);
  }

  bool ParseArgs(const CompilerInstance &CI,
                 const std::vector<std::string> &Args) override {
    for (const std::string &Arg : Args) {
      DiagnosticsEngine &Diags = CI.getDiagnostics();
      unsigned Id = Diags.getCustomDiagID(
          DiagnosticsEngine::Error, "k42-stubc plugin: unknown argument '%0'");
      Diags.Report(Id) << Arg;
      return false;
    }
    return true;
  }

  ActionType getActionType() override { return AddBeforeMainAction; }
};

} // namespace
} // namespace stubc

static FrontendPluginRegistry::Add<stubc::StubcPluginAction>
    RegisterStubcPlugin("k42-stubc",
                        "check K42 interface decorations (stubc diagnostics)");
