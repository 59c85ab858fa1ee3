/*===- bench/trace/LttngProbe.h - The LTTng-UST anchor's tracepoint -------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// One LTTng-UST tracepoint, k42bench:event, carrying one 64-bit integer:
// the same payload the K42 trace event of the benchmark carries. This is a
// tracepoint provider header in LTTng's documented form (it is read twice
// by <lttng/tracepoint-event.h>), so it has no ordinary include guard.
//
//===----------------------------------------------------------------------===*/

#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER k42bench

#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "./LttngProbe.h"

#if !defined(K42_BENCH_TRACE_LTTNGPROBE_H) ||                                \
    defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define K42_BENCH_TRACE_LTTNGPROBE_H

#include <lttng/tracepoint.h>
#include <stdint.h>

LTTNG_UST_TRACEPOINT_EVENT(
    k42bench, event, LTTNG_UST_TP_ARGS(uint64_t, value),
    LTTNG_UST_TP_FIELDS(lttng_ust_field_integer(uint64_t, value, value)))

#endif

#include <lttng/tracepoint-event.h>
