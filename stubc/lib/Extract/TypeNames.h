//===- stubc/lib/Extract/TypeNames.h - Recognising types --------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Type questions the extractor asks: is this std::vector<T>, is this
/// k42::ObjectHandle, and how to spell a type so that generated code, which
/// lives in the interface's namespace but in another file, means the same
/// type.
///
//===----------------------------------------------------------------------===//

#ifndef K42_STUBC_LIB_EXTRACT_TYPENAMES_H
#define K42_STUBC_LIB_EXTRACT_TYPENAMES_H

#include "clang/AST/Type.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace clang {
class ASTContext;
class ClassTemplateSpecializationDecl;
} // namespace clang

namespace stubc {

/// \p T spelled fully qualified, keeping typedef names such as uint64_t and
/// std::string.
std::string spellType(clang::QualType T, const clang::ASTContext &Context);

/// If \p T (sugar ignored) is std::<Name><...>, its specialization.
const clang::ClassTemplateSpecializationDecl *
asStdTemplate(clang::QualType T, llvm::StringRef Name);

/// The first template argument of \p Spec (the specialization \p T names) as
/// a type, as written where possible (uint16_t, not unsigned short); a null
/// type if it is not a type.
clang::QualType
firstTypeArgument(clang::QualType T,
                  const clang::ClassTemplateSpecializationDecl *Spec);

/// True if \p T (sugar and cv ignored) is the class k42::<Name>.
bool isK42Class(clang::QualType T, llvm::StringRef Name);

/// True if \p T is std::basic_string<char> (std::string).
bool isStdString(clang::QualType T);

/// True if \p T is std::basic_string_view<char> (std::string_view).
bool isStdStringView(clang::QualType T);

} // namespace stubc

#endif // K42_STUBC_LIB_EXTRACT_TYPENAMES_H
