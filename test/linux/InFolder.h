/*===- test/linux/InFolder.h - Names in the program's folder ---------------===*
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 *===----------------------------------------------------------------------===*
 *
 * For the suite's programs that work in one folder their command line names
 * (a host folder natively, one in K42's /tmp under the personality): main
 * sets Dir, and at() makes a name in it.
 *
 *===----------------------------------------------------------------------===*/

#ifndef K42_TEST_LINUX_INFOLDER_H
#define K42_TEST_LINUX_INFOLDER_H

#include <limits.h>
#include <stdio.h>

/// The program's folder.
static char Dir[PATH_MAX];

/// \p Name in Dir, in one of four buffers used in turn, so that one call
/// may take up to four such names.
static const char *at(const char *Name) {
  static char Paths[4][PATH_MAX];
  static int Next;
  char *P = Paths[Next++ % 4];
  snprintf(P, PATH_MAX, "%s/%s", Dir, Name);
  return P;
}

#endif // K42_TEST_LINUX_INFOLDER_H
