//===- stubc/lib/Driver/ModelAction.cpp - Parse and model -----------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "Driver/ModelAction.h"
#include "Extract/Diagnoser.h"
#include "stubc/Extractor.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"

#include <algorithm>

using namespace clang;

namespace stubc {
namespace {

/// Runs the Extractor once the whole translation unit is parsed, so that
/// every declaration (bases from other headers included) is complete.
class ModelConsumer : public ASTConsumer {
public:
  ModelConsumer(ModelResult &Result, CompilerInstance &CI)
      : Result(Result), CI(CI) {}

  void HandleTranslationUnit(ASTContext &Context) override {
    SourceManager &SM = Context.getSourceManager();
    collectDependencies(SM);
    // An AST with Clang errors in it is not worth modelling: Clang has
    // already said what is wrong, and stubc's checks would only echo it.
    if (Context.getDiagnostics().hasErrorOccurred())
      return;
    FileID Main = SM.getMainFileID();
    Extractor X(Context, CI.hasSema() ? &CI.getSema() : nullptr);
    bool Ok = X.run(Result.Model, [&](SourceLocation Loc) {
      return Loc.isValid() && SM.getFileID(SM.getExpansionLoc(Loc)) == Main;
    });
    Result.Succeeded = Ok && !Context.getDiagnostics().hasErrorOccurred();
    if (Result.Succeeded && Result.Model.Interfaces.empty() &&
        Result.Model.StateClasses.empty()) {
      Diagnoser Diags(Context.getDiagnostics());
      OptionalFileEntryRef Entry = SM.getFileEntryRefForID(Main);
      Diags.report(SM.getLocForStartOfFile(Main), Diag::NoInterfaces)
          << (Entry ? Entry->getName() : llvm::StringRef("the header"));
    }
  }

private:
  void collectDependencies(SourceManager &SM) {
    std::vector<std::string> Others;
    OptionalFileEntryRef MainEntry = SM.getFileEntryRefForID(SM.getMainFileID());
    for (auto It = SM.fileinfo_begin(), End = SM.fileinfo_end(); It != End;
         ++It) {
      FileEntryRef Entry = It->first;
      if (MainEntry && Entry == *MainEntry)
        continue;
      Others.push_back(std::string(Entry.getName()));
    }
    // DenseMap order is not stable; depfiles should be.
    std::sort(Others.begin(), Others.end());
    Others.erase(std::unique(Others.begin(), Others.end()), Others.end());
    if (MainEntry)
      Result.Dependencies.push_back(std::string(MainEntry->getName()));
    Result.Dependencies.insert(Result.Dependencies.end(), Others.begin(),
                               Others.end());
  }

  ModelResult &Result;
  CompilerInstance &CI;
};

} // namespace

std::unique_ptr<ASTConsumer>
ModelAction::CreateASTConsumer(CompilerInstance &CI, llvm::StringRef) {
  return std::make_unique<ModelConsumer>(Result, CI);
}

} // namespace stubc
