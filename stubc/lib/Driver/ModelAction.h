//===- stubc/lib/Driver/ModelAction.h - Parse and model ---------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The frontend action the stubc tool runs on an interface header: parse it
/// exactly as the compiler would, run the Extractor over the declarations of
/// the main file, and hand back the model and every file the header read
/// (for the depfile).
///
//===----------------------------------------------------------------------===//

#ifndef K42_STUBC_LIB_DRIVER_MODELACTION_H
#define K42_STUBC_LIB_DRIVER_MODELACTION_H

#include "stubc/Model.h"

#include "clang/Frontend/FrontendAction.h"
#include "clang/Tooling/Tooling.h"

#include <memory>
#include <string>
#include <vector>

namespace stubc {

/// What one run of ModelAction found.
struct ModelResult {
  /// The model of the main file; complete only if Succeeded.
  FileModel Model;
  /// Every file the translation unit read, the main file first.
  std::vector<std::string> Dependencies;
  /// False if the header had any error (Clang's or stubc's).
  bool Succeeded = false;
};

/// Parses a header and builds its model into a ModelResult.
class ModelAction : public clang::ASTFrontendAction {
public:
  explicit ModelAction(ModelResult &Result) : Result(Result) {}

protected:
  std::unique_ptr<clang::ASTConsumer>
  CreateASTConsumer(clang::CompilerInstance &CI, llvm::StringRef File) override;

private:
  ModelResult &Result;
};

/// Makes ModelActions for a ClangTool run over one header.
class ModelActionFactory : public clang::tooling::FrontendActionFactory {
public:
  explicit ModelActionFactory(ModelResult &Result) : Result(Result) {}
  std::unique_ptr<clang::FrontendAction> create() override {
    return std::make_unique<ModelAction>(Result);
  }

private:
  ModelResult &Result;
};

} // namespace stubc

#endif // K42_STUBC_LIB_DRIVER_MODELACTION_H
