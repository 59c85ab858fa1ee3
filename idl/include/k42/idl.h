//===- idl/include/k42/idl.h - The K42 interface decorations ----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The decoration vocabulary that turns an ordinary C++ class into a K42
/// service. Every macro expands to a `[[clang::annotate("k42.*", ...)]]`
/// attribute under Clang and to nothing under any other compiler, so an
/// interface header compiles unchanged with g++, with clang++, with the stubc
/// Clang plugin, and under stubc itself: all of them see exactly the same
/// translation unit. The meaning of each decoration is documented in
/// idl/README.md; stubc is the only consumer of the annotations.
///
/// The vocabulary deliberately says only what the C++ type cannot: direction
/// is inferred from the parameter type (value and `const&` are in, non-const
/// `&` is out, `std::span<const T>` and `std::string_view` are in, and so on).
///
//===----------------------------------------------------------------------===//

#ifndef K42_IDL_H
#define K42_IDL_H

#include "k42/ipc/Badge.h"
#include "k42/ipc/ObjectHandle.h"
#include "k42/ipc/Status.h"

#if defined(__clang__)
#define K42_IDL_ANNOTATE(...) [[clang::annotate(__VA_ARGS__)]]
#else
#define K42_IDL_ANNOTATE(...)
#endif

/// Marks a class as an exported K42 interface. stubc generates Stub<Name>,
/// X<Name> and Meta<Name> for it. Place it between `class` and the name:
/// `class K42_EXPORT Hello { ... };`.
#define K42_EXPORT K42_IDL_ANNOTATE("k42.export")

/// Declares the right names of an interface, in bit order after the rights
/// inherited from an exported base: `class K42_EXPORT K42_RIGHTS(read, write)
/// File { ... };`. Names must be identifiers; `all` and `none` are reserved.
#define K42_RIGHTS(...) K42_IDL_ANNOTATE("k42.rights", #__VA_ARGS__)

/// Sets the rights a method requires when the class itself says none; on the
/// class head. Without it a method without K42_REQUIRES requires no right.
#define K42_DEFAULT_REQUIRES(...)                                              \
  K42_IDL_ANNOTATE("k42.default_requires", #__VA_ARGS__)

/// The rights a caller's handle must hold for the method to run; checked by
/// the generated X object before anything is unmarshalled.
#define K42_REQUIRES(...) K42_IDL_ANNOTATE("k42.requires", #__VA_ARGS__)

/// A one-way (asynchronous) method: no reply, so no out parameters and a
/// `void` result.
#define K42_ONEWAY K42_IDL_ANNOTATE("k42.oneway")

/// On an exported class: the generated X object records a trace event
/// (k42/trace/Trace.h) when it starts serving each call and when the call
/// returns, so `k42-trace dump` shows every call as a span and sums up each
/// method's latency. Off the fingerprint: tracing is the server's business.
#define K42_TRACE K42_IDL_ANNOTATE("k42.trace")

/// The interface version, part of the fingerprint that binding checks.
#define K42_VERSION(N) K42_IDL_ANNOTATE("k42.version", N)

/// Overrides the stable method number (by default a hash of the qualified
/// name). Required to tell overloads apart.
#define K42_METHOD_ID(N) K42_IDL_ANNOTATE("k42.method_id", N)

/// On a `k42::Badge` parameter: the caller's identity, filled in by the
/// generated X object from the channel and hidden from the stub's signature.
#define K42_CALLER K42_IDL_ANNOTATE("k42.caller")

/// On a pointer parameter: the number of elements it points to is held by the
/// named integral parameter. `const T *` is in, `T *` is out.
#define K42_LENGTH(Param) K42_IDL_ANNOTATE("k42.length", #Param)

/// On a non-const reference, `std::string &` or `std::vector<T> &`
/// parameter: the value travels in both directions instead of out only.
#define K42_INOUT K42_IDL_ANNOTATE("k42.inout")

/// On a data member: part of the state that hot swap moves from one
/// implementation to the next through the generated State<Name> functions.
#define K42_STATE K42_IDL_ANNOTATE("k42.state")

/// Inside a class with non-public K42_STATE fields: lets the generated
/// State<Name> functions read and write them.
#define K42_STATE_ACCESS(Name) friend struct State##Name

#endif // K42_IDL_H
