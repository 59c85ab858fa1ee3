//===- stubc/lib/Extract/Diagnoser.cpp - stubc's diagnostics --------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "Extract/Diagnoser.h"

#include "clang/Basic/DiagnosticIDs.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

using namespace clang;

namespace stubc {
namespace {

struct DiagSpec {
  unsigned Number;
  DiagnosticIDs::Level Level;
  const char *Text;
};

constexpr DiagnosticIDs::Level Error = DiagnosticIDs::Error;
constexpr DiagnosticIDs::Level Warning = DiagnosticIDs::Warning;
constexpr DiagnosticIDs::Level Note = DiagnosticIDs::Note;

constexpr DiagSpec Specs[] = {
#define STUBC_DIAG(Name, Id, Level, Text) {Id, Level, Text},
#include "Extract/Diagnostics.def"
};

} // namespace

unsigned diagNumber(Diag D) { return Specs[unsigned(D)].Number; }

Diagnoser::Diagnoser(DiagnosticsEngine &Engine) : Engine(Engine) {
  for (unsigned I = 0; I < unsigned(Diag::NumDiags); ++I) {
    std::string Text = Specs[I].Text;
    // The id goes where Clang puts a warning's flag, so users can search
    // for it and tests can match it.
    if (Specs[I].Number != 0) {
      llvm::raw_string_ostream OS(Text);
      OS << " [stubc-" << llvm::format("%04u", Specs[I].Number) << "]";
    }
    // Custom diagnostics are not mapped by -Werror; do it here, so a
    // plugin warning fails a -Werror build like any other warning.
    DiagnosticIDs::Level Level = Specs[I].Level;
    if (Level == Warning && Engine.getWarningsAsErrors())
      Level = Error;
    Ids[I] = Engine.getDiagnosticIDs()->getCustomDiagID(Level, Text);
  }
}

DiagnosticBuilder Diagnoser::report(SourceLocation Loc, Diag D) {
  if (Specs[unsigned(D)].Level == Error ||
      (Specs[unsigned(D)].Level == Warning && Engine.getWarningsAsErrors()))
    ++Errors;
  return Engine.Report(Loc, Ids[unsigned(D)]);
}

} // namespace stubc
