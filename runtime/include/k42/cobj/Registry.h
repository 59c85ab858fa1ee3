//===- runtime/include/k42/cobj/Registry.h - Swappable objects --*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The clustered objects of a process that may be swapped by name, and the
/// implementations each interface may be swapped to. A swap by name moves
/// the state through the old implementation's export and the new one's
/// import (for classes with K42_STATE fields, the State<Class> code stubc
/// generates: see stateImplementation()), so any implementation of an
/// interface can replace any other whose state it accepts; one that refuses
/// the state leaves the object as it was.
///
/// This is what `utils/k42 swap` reaches in a server, through the swap
/// control object (k42/swap/SwapControlServer.h), and what a program uses
/// to swap or upgrade its own objects by name.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_COBJ_REGISTRY_H
#define K42_RUNTIME_COBJ_REGISTRY_H

#include "k42/cobj/Ref.h"
#include "k42/cobj/SharedRoot.h"
#include "k42/cobj/StateBuffer.h"

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <typeindex>
#include <vector>

namespace k42::cobj {

/// Named swappable objects and the implementations they may take.
class Registry {
public:
  /// How to make an object of one implementation of interface \p T, and
  /// how its state leaves and enters it.
  template <typename T> struct Implementation {
    /// A new, empty object of this implementation.
    std::function<std::unique_ptr<Root<T>>()> Make;
    /// Writes the state of an object of this implementation.
    std::function<Status(Root<T> &, StateBuffer &)> Export;
    /// Reads state into a new object of this implementation; an error
    /// (for instance IncompatibleInterface for state of other fields)
    /// rolls the swap back.
    std::function<Status(Root<T> &, StateBuffer &)> Import;
  };

  /// One named object, as list() reports it.
  struct ObjectInfo {
    std::string Name;
    std::string Interface;
    std::string Implementation;
    /// The implementations of its interface, in name order.
    std::vector<std::string> Implementations;
    /// Swaps it has had by name (lazy ones included).
    uint32_t Swaps = 0;
    /// The implementation a lazy swap will give it at its next use, or
    /// empty if none is waiting.
    std::string Upgrading;
    /// Why the last swap by name failed, or empty.
    std::string LastFailure;
  };

  Registry();
  ~Registry();
  Registry(const Registry &) = delete;
  Registry &operator=(const Registry &) = delete;

  /// The process's registry (the one the swap control object serves).
  static Registry &process();

  /// Offers \p Impl as implementation \p Name of the interface called
  /// \p Interface (by convention the stubc Meta<Interface>::Name, e.g.
  /// "labtest::Tally"). EEXIST if the name is taken; EINVAL if a part of
  /// \p Impl is missing; IncompatibleInterface if \p Interface was
  /// registered with another C++ type.
  template <typename T>
  Status addImplementation(std::string_view Interface, std::string_view Name,
                           Implementation<T> Impl) {
    if (!Impl.Make || !Impl.Export || !Impl.Import)
      return Status::error(EINVAL);
    ErasedImplementation E;
    E.Make = [Make = std::move(Impl.Make)]() -> std::unique_ptr<RootBase> {
      return Make();
    };
    E.Export = [F = std::move(Impl.Export)](RootBase &R, StateBuffer &B) {
      return F(static_cast<Root<T> &>(R), B);
    };
    E.Import = [F = std::move(Impl.Import)](RootBase &R, StateBuffer &B) {
      return F(static_cast<Root<T> &>(R), B);
    };
    return addErased(Interface, std::type_index(typeid(T)), Name, std::move(E));
  }

  /// Names \p Object, an object of implementation \p Implementation of
  /// \p Interface (already added), so it can be swapped by name. EEXIST if
  /// the name is taken; ENOENT for an unknown implementation.
  template <typename T>
  Status publish(std::string_view Name, std::string_view Interface,
                 const Ref<T> &Object, std::string_view Implementation) {
    return publishErased(Name, Interface, std::type_index(typeid(T)),
                         Object.table(), Object.id(), Implementation);
  }

  /// Forgets the name \p Name (the object itself stays). ENOENT if unknown.
  Status withdraw(std::string_view Name);

  /// Hot swap by name: replaces object \p Name with a new object of
  /// \p Implementation, moving its state (Table::swap). Swapping to the
  /// implementation it has is allowed (a fresh object, same state). A
  /// lazy upgrade still waiting for the object is dropped once it is done.
  /// ENOENT for an unknown object or implementation; the import's error
  /// if the new implementation refuses the state (nothing changed).
  Status swap(std::string_view Name, std::string_view Implementation);

  /// Dynamic upgrade: every object of \p Interface whose implementation is
  /// \p From is swapped to \p To at its next use (Table::swapOnNextUse),
  /// not now. Returns how many were asked; ENOENT if \p Interface has no
  /// implementation \p From or \p To.
  Result<uint32_t> upgrade(std::string_view Interface, std::string_view From,
                           std::string_view To);

  /// The named objects, in name order.
  std::vector<ObjectInfo> list() const;

private:
  struct ErasedImplementation {
    std::function<std::unique_ptr<RootBase>()> Make;
    std::function<Status(RootBase &, StateBuffer &)> Export;
    std::function<Status(RootBase &, StateBuffer &)> Import;
  };
  struct InterfaceEntry {
    std::type_index Type;
    std::map<std::string, std::shared_ptr<const ErasedImplementation>,
             std::less<>>
        Implementations;
  };
  struct ObjectEntry {
    std::string Interface;
    Table *Tables;
    ObjectId Id;
    std::string Implementation;
    uint32_t Swaps = 0;
    std::string Upgrading;
    std::string LastFailure;
  };

  Status addErased(std::string_view Interface, std::type_index Type,
                   std::string_view Name, ErasedImplementation Impl);
  Status publishErased(std::string_view Name, std::string_view Interface,
                       std::type_index Type, Table *Tables, ObjectId Id,
                       std::string_view Implementation);
  /// swap() for an object whose implementation must still be \p From
  /// (empty: any), as a lazy upgrade checks when it finally runs.
  Status swapFrom(std::string_view Name, std::string_view From,
                  std::string_view To);

  mutable std::mutex Lock; ///< Guards the maps; never held across a swap.
  std::mutex SwapLock;     ///< Swaps by name run one at a time.
  std::map<std::string, InterfaceEntry, std::less<>> Interfaces;
  std::map<std::string, ObjectEntry, std::less<>> Objects;
};

/// The Implementation of interface \p T whose objects are one \p Rep (a
/// SharedRoot) with K42_STATE fields, moved by their stubc-generated state
/// code \p RepState (State<Rep>). \p Convert, if given, runs on the new
/// rep after an import, for what the fields alone do not say.
template <typename T, typename Rep, typename RepState>
Registry::Implementation<T>
stateImplementation(std::function<Status(Rep &)> Convert = {}) {
  Registry::Implementation<T> Impl;
  Impl.Make = [] { return std::make_unique<SharedRoot<T, Rep>>(); };
  Impl.Export = [](Root<T> &Object, StateBuffer &Buffer) {
    return RepState::exportState(
        static_cast<SharedRoot<T, Rep> &>(Object).rep(), Buffer);
  };
  Impl.Import = [Convert](Root<T> &Object, StateBuffer &Buffer) -> Status {
    Rep &Into = static_cast<SharedRoot<T, Rep> &>(Object).rep();
    if (Status S = RepState::importState(Into, Buffer); !S)
      return S;
    return Convert ? Convert(Into) : Status::ok();
  };
  return Impl;
}

} // namespace k42::cobj

#endif // K42_RUNTIME_COBJ_REGISTRY_H
