// SPDX-License-Identifier: Apache-2.0
#include "Counter.k42.h"

#include <cstdio>

int other();

int main() {
  std::printf("%s has %zu method(s), other=%d\n", counter::MetaCounter::Name,
              counter::MetaCounter::Info.NumMethods, other());
  return 0;
}
