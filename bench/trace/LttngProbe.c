/*===- bench/trace/LttngProbe.c - The LTTng-UST anchor's probe ------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// Instantiates the probe of k42bench:event (LTTng's generated serializer)
// and the tracepoint definitions, in C as LTTng documents it.
//
//===----------------------------------------------------------------------===*/

#define LTTNG_UST_TRACEPOINT_CREATE_PROBES
#define LTTNG_UST_TRACEPOINT_DEFINE
#include "LttngProbe.h"
