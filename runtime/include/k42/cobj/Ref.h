//===- runtime/include/k42/cobj/Ref.h - Calling a clustered object -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Ref<T>: how code calls a clustered object. `Ref->method(...)` finds the
/// rep of the caller's processor (k42::currentProcessor(): inside a server,
/// the calling client's processor) in the translation tables and calls it,
/// inside a quiescence section that lasts the whole call, so the rep
/// cannot be freed under it. A Ref is two integers: copy it freely.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_COBJ_REF_H
#define K42_RUNTIME_COBJ_REF_H

#include "k42/cobj/Quiescence.h"
#include "k42/cobj/Root.h"
#include "k42/cobj/Table.h"
#include "k42/ipc/Processor.h"

#include <functional>
#include <memory>

namespace k42::cobj {

/// A reference to a clustered object whose reps implement \p T.
template <typename T> class Ref {
public:
  /// The rep one call uses, pinned (inside a quiescence section) while
  /// this lives; false if the object is gone.
  class Pinned {
  public:
    [[gnu::always_inline]] explicit Pinned(const Ref &R)
        : Tables(R.Tables), Id(R.Id) {
      for (;;) {
        Quiescence::enter();
        Table::Lookup Found = Tables->lookup(Id, currentProcessor());
        if (!Found.MustWait) [[likely]] {
          Rep = static_cast<T *>(Found.Rep);
          Mediated = Found.Mediated;
          return;
        }
        // Held by a swap: wait outside the section the swap waits for.
        Quiescence::exit();
        Tables->awaitSwap(Id);
      }
    }
    ~Pinned() {
      if (Mediated) [[unlikely]]
        Tables->leave(Id);
      Quiescence::exit();
    }
    Pinned(const Pinned &) = delete;
    Pinned &operator=(const Pinned &) = delete;

    explicit operator bool() const { return Rep != nullptr; }
    T *operator->() const { return Rep; }
    T &operator*() const { return *Rep; }

  private:
    Table *Tables;
    ObjectId Id;
    T *Rep = nullptr;
    bool Mediated = false;
  };

  Ref() = default;

  /// A reference to the object \p Id of \p Tables (one the caller got
  /// from id(); a stale or made-up id just finds no object).
  explicit Ref(ObjectId Id, Table &Tables = Table::global())
      : Tables(&Tables), Id(Id) {}

  /// Installs \p Root as a new object in \p Tables.
  static Result<Ref> create(std::unique_ptr<Root<T>> Root,
                            Table &Tables = Table::global()) {
    Result<ObjectId> Id = Tables.install(std::move(Root));
    if (!Id)
      return Id.status();
    return Ref(*Id, Tables);
  }

  /// Calls through the caller's processor's rep: `Object->method(...)`.
  /// The object must still exist (see pin() to check).
  [[gnu::always_inline]] Pinned operator->() const { return Pinned(*this); }

  /// The caller's rep, pinned; test it before use.
  Pinned pin() const { return Pinned(*this); }

  /// Removes the object; its root and reps are freed after quiescence.
  Status destroy() const { return Tables->remove(Id); }

  /// Hot swap (see Table::swap): \p Transfer moves the state from the old
  /// root to \p NewRoot while calls are held.
  Status swap(std::unique_ptr<Root<T>> NewRoot,
              const std::function<Status(Root<T> &Old, Root<T> &New)>
                  &Transfer) const {
    return Tables->swap(
        Id, std::move(NewRoot), [&](RootBase &Old, RootBase &New) {
          return Transfer(static_cast<Root<T> &>(Old),
                          static_cast<Root<T> &>(New));
        });
  }

  ObjectId id() const { return Id; }

  /// The tables the object is in.
  Table *table() const { return Tables; }

private:
  Table *Tables = &Table::global();
  ObjectId Id;
};

} // namespace k42::cobj

#endif // K42_RUNTIME_COBJ_REF_H
