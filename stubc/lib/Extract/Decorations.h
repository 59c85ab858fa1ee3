//===- stubc/lib/Extract/Decorations.h - Reading <k42/idl.h> ----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The macros of <k42/idl.h> expand to [[clang::annotate("k42.<what>", ...)]].
/// These helpers find those annotations on a declaration and read their
/// arguments, so the rest of stubc talks about decorations, not attributes.
///
//===----------------------------------------------------------------------===//

#ifndef K42_STUBC_LIB_EXTRACT_DECORATIONS_H
#define K42_STUBC_LIB_EXTRACT_DECORATIONS_H

#include "clang/AST/Attr.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace clang {
class ASTContext;
class Decl;
} // namespace clang

namespace stubc {

/// Annotation names, as written by <k42/idl.h>.
namespace deco {
inline constexpr llvm::StringLiteral Export = "k42.export";
inline constexpr llvm::StringLiteral Rights = "k42.rights";
inline constexpr llvm::StringLiteral DefaultRequires = "k42.default_requires";
inline constexpr llvm::StringLiteral Requires = "k42.requires";
inline constexpr llvm::StringLiteral OneWay = "k42.oneway";
inline constexpr llvm::StringLiteral Version = "k42.version";
inline constexpr llvm::StringLiteral MethodId = "k42.method_id";
inline constexpr llvm::StringLiteral Caller = "k42.caller";
inline constexpr llvm::StringLiteral Length = "k42.length";
inline constexpr llvm::StringLiteral InOut = "k42.inout";
inline constexpr llvm::StringLiteral State = "k42.state";
inline constexpr llvm::StringLiteral Trace = "k42.trace";
} // namespace deco

/// Every k42.* annotation on \p D, in source order.
llvm::SmallVector<const clang::AnnotateAttr *, 4>
decorationsOf(const clang::Decl *D);

/// The first annotation named \p Name on \p D, or null.
const clang::AnnotateAttr *findDecoration(const clang::Decl *D,
                                          llvm::StringRef Name);

/// The macro a user wrote for annotation \p Name ("k42.oneway" ->
/// "K42_ONEWAY"), for messages.
std::string macroName(llvm::StringRef Name);

/// The string argument of a stringizing decoration (K42_RIGHTS,
/// K42_REQUIRES, K42_LENGTH, ...).
std::optional<std::string> stringArgument(const clang::AnnotateAttr *A);

/// The integer argument of K42_VERSION or K42_METHOD_ID, if it is an integer
/// constant expression.
std::optional<llvm::APSInt> integerArgument(const clang::AnnotateAttr *A,
                                            const clang::ASTContext &Context);

/// Splits "a, b ,c" into trimmed, non-empty names.
llvm::SmallVector<std::string, 8> splitNames(llvm::StringRef List);

} // namespace stubc

#endif // K42_STUBC_LIB_EXTRACT_DECORATIONS_H
