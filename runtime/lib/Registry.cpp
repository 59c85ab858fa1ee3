//===- runtime/lib/Registry.cpp - Swappable objects -----------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/cobj/Registry.h"

namespace k42::cobj {

Registry::Registry() = default;
Registry::~Registry() = default;

Registry &Registry::process() {
  static Registry *R = new Registry; // Lazy swaps may outlive statics.
  return *R;
}

Status Registry::addErased(std::string_view Interface, std::type_index Type,
                           std::string_view Name, ErasedImplementation Impl) {
  if (Interface.empty() || Name.empty())
    return Status::error(EINVAL);
  std::lock_guard<std::mutex> Guard(Lock);
  auto It = Interfaces.find(Interface);
  if (It == Interfaces.end())
    It = Interfaces.emplace(std::string(Interface), InterfaceEntry{Type, {}})
             .first;
  else if (It->second.Type != Type)
    return Status::error(errc::IncompatibleInterface);
  auto &Impls = It->second.Implementations;
  if (Impls.count(Name))
    return Status::error(EEXIST);
  Impls.emplace(std::string(Name),
                std::make_shared<const ErasedImplementation>(std::move(Impl)));
  return Status::ok();
}

Status Registry::publishErased(std::string_view Name,
                               std::string_view Interface, std::type_index Type,
                               Table *Tables, ObjectId Id,
                               std::string_view Implementation) {
  if (Name.empty() || !Tables)
    return Status::error(EINVAL);
  std::lock_guard<std::mutex> Guard(Lock);
  auto It = Interfaces.find(Interface);
  if (It == Interfaces.end() ||
      !It->second.Implementations.count(Implementation))
    return Status::error(ENOENT);
  if (It->second.Type != Type)
    return Status::error(errc::IncompatibleInterface);
  if (Objects.count(Name))
    return Status::error(EEXIST);
  ObjectEntry E;
  E.Interface = std::string(Interface);
  E.Tables = Tables;
  E.Id = Id;
  E.Implementation = std::string(Implementation);
  Objects.emplace(std::string(Name), std::move(E));
  return Status::ok();
}

Status Registry::withdraw(std::string_view Name) {
  std::lock_guard<std::mutex> Guard(Lock);
  auto It = Objects.find(Name);
  if (It == Objects.end())
    return Status::error(ENOENT);
  Objects.erase(It);
  return Status::ok();
}

Status Registry::swap(std::string_view Name, std::string_view To) {
  return swapFrom(Name, {}, To);
}

Status Registry::swapFrom(std::string_view Name, std::string_view From,
                          std::string_view To) {
  std::lock_guard<std::mutex> OneAtATime(SwapLock);
  // What the swap needs, copied out: the maps are not held across it, so
  // list() answers while calls are held.
  Table *Tables;
  ObjectId Id;
  std::string Current;
  std::shared_ptr<const ErasedImplementation> Old, New;
  {
    std::lock_guard<std::mutex> Guard(Lock);
    auto Object = Objects.find(Name);
    if (Object == Objects.end())
      return Status::error(ENOENT);
    const auto &Impls = Interfaces.at(Object->second.Interface).Implementations;
    auto Target = Impls.find(To);
    if (Target == Impls.end())
      return Status::error(ENOENT);
    if (!From.empty() && Object->second.Implementation != From)
      return Status::error(ESTALE); // Swapped otherwise since the upgrade.
    Tables = Object->second.Tables;
    Id = Object->second.Id;
    Current = Object->second.Implementation;
    Old = Impls.at(Current);
    New = Target->second;
  }
  std::unique_ptr<RootBase> Made = New->Make();
  if (!Made)
    return Status::error(ENOMEM);
  Status Moved = Tables->swap(Id, std::move(Made),
                              [&](RootBase &From, RootBase &Into) -> Status {
                                StateBuffer Buffer;
                                if (Status S = Old->Export(From, Buffer); !S)
                                  return S;
                                return New->Import(Into, Buffer);
                              });
  std::lock_guard<std::mutex> Guard(Lock);
  auto Object = Objects.find(Name);
  if (Object == Objects.end() || Object->second.Id != Id)
    return Moved; // Withdrawn meanwhile: nothing left to record.
  if (Moved) {
    Object->second.Implementation = std::string(To);
    ++Object->second.Swaps;
    Object->second.LastFailure.clear();
    if (From.empty() && !Object->second.Upgrading.empty()) {
      // Swapped by hand: an upgrade still waiting no longer applies.
      Tables->cancelSwapOnNextUse(Id);
      Object->second.Upgrading.clear();
    }
  } else {
    Object->second.LastFailure =
        "to " + std::string(To) + ": " + std::string(Moved.message());
  }
  return Moved;
}

Result<uint32_t> Registry::upgrade(std::string_view Interface,
                                   std::string_view From, std::string_view To) {
  std::vector<std::pair<std::string, ObjectEntry>> Chosen;
  {
    std::lock_guard<std::mutex> Guard(Lock);
    auto It = Interfaces.find(Interface);
    if (It == Interfaces.end() || !It->second.Implementations.count(From) ||
        !It->second.Implementations.count(To))
      return Status::error(ENOENT);
    for (auto &[Name, Object] : Objects)
      if (Object.Interface == Interface && Object.Implementation == From) {
        Object.Upgrading = std::string(To);
        Chosen.emplace_back(Name, Object);
      }
  }
  uint32_t Asked = 0;
  for (auto &[Name, Object] : Chosen) {
    Status S = Object.Tables->swapOnNextUse(
        Object.Id,
        [this, Name = Name, From = std::string(From),
         To = std::string(To)]() -> Status {
          Status Done = swapFrom(Name, From, To);
          std::lock_guard<std::mutex> Guard(Lock);
          if (auto It = Objects.find(Name);
              It != Objects.end() && It->second.Upgrading == To)
            It->second.Upgrading.clear();
          return Done;
        });
    if (S) {
      ++Asked;
    } else {
      std::lock_guard<std::mutex> Guard(Lock);
      if (auto It = Objects.find(Name); It != Objects.end())
        It->second.Upgrading.clear();
    }
  }
  return Asked;
}

std::vector<Registry::ObjectInfo> Registry::list() const {
  std::lock_guard<std::mutex> Guard(Lock);
  std::vector<ObjectInfo> Out;
  for (const auto &[Name, Object] : Objects) {
    ObjectInfo Info;
    Info.Name = Name;
    Info.Interface = Object.Interface;
    Info.Implementation = Object.Implementation;
    for (const auto &Impl : Interfaces.at(Object.Interface).Implementations)
      Info.Implementations.push_back(Impl.first);
    Info.Swaps = Object.Swaps;
    // A lazy swap dropped by the tables (the object was removed) no
    // longer waits.
    if (Object.Tables->swapPending(Object.Id))
      Info.Upgrading = Object.Upgrading;
    Info.LastFailure = Object.LastFailure;
    Out.push_back(std::move(Info));
  }
  return Out;
}

} // namespace k42::cobj
