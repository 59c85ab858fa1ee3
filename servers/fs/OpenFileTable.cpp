//===- servers/fs/OpenFileTable.cpp - A file server's open files ----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "OpenFileTable.h"
#include "File.k42.h"

#include <vector>

using namespace k42;
using namespace k42::fs;

Result<ObjectHandle> OpenFileTable::add(std::shared_ptr<File> Open,
                                        RightsMask Rights, ProcessId Owner) {
  std::lock_guard<std::mutex> Guard(Lock);
  Result<ObjectHandle> Handle = Table.insert(*this, Rights, Owner);
  if (Handle)
    Files[key(*Handle)] = {std::move(Open), Owner};
  return Handle;
}

void OpenFileTable::forget(ProcessId Owner) {
  std::vector<std::shared_ptr<File>> Gone; // Released outside the lock.
  std::lock_guard<std::mutex> Guard(Lock);
  for (auto It = Files.begin(); It != Files.end();) {
    if (It->second.Owner == Owner) {
      Gone.push_back(std::move(It->second.Open));
      It = Files.erase(It);
    } else {
      ++It;
    }
  }
}

size_t OpenFileTable::size() {
  std::lock_guard<std::mutex> Guard(Lock);
  return Files.size();
}

const InterfaceInfo &OpenFileTable::interfaceInfo() const {
  return MetaFile::Info;
}

void OpenFileTable::dispatch(const CallContext &Context, const PPCPage &Request,
                             PPCPage &Reply) {
  std::shared_ptr<File> Open;
  {
    std::lock_guard<std::mutex> Guard(Lock);
    auto It = Files.find(key(Context.Handle));
    if (It != Files.end() && It->second.Owner == Context.Caller.Pid)
      Open = It->second.Open;
  }
  if (!Open) {
    Reply.Length = 0;
    Reply.Status = Status::error(errc::StaleHandle).raw();
    return;
  }
  XFile X(*Open);
  X.dispatch(Context, Request, Reply);
  if (Request.MethodId != MetaFile::Methods::close || Reply.Status < 0)
    return;
  // Closed: forget the file and make its handle stale.
  std::shared_ptr<File> Last;
  std::lock_guard<std::mutex> Guard(Lock);
  auto It = Files.find(key(Context.Handle));
  if (It != Files.end()) {
    Last = std::move(It->second.Open);
    Files.erase(It);
    (void)Table.revoke(Context.Handle);
  }
}
