// SPDX-License-Identifier: Apache-2.0
// Unrelated to the interface: editing it must not rerun stubc.
int other() { return 42; }
