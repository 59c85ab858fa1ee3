# The K42 lit suites. Two suites share this file: test/ (stubc output,
# diagnostics, builds, installs, unit tests) and examples/ (each example run
# as a real program). CMake writes a lit.site.cfg.py for each into the build
# tree; run them with `utils/k42 check`, or directly:
#
#   python3 /usr/lib/llvm-19/build/utils/lit/lit.py -sv --no-gtest-sharding \
#       build/test build/examples
import os
import platform
import re
import shutil

import lit.formats

config.name = "K42-" + config.k42_suite
# An external shell: tests use pipes, loops and $(...).
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = [".test"]
config.excludes = ["Inputs", "golden", "CMakeFiles"]
config.test_source_root = os.path.join(config.k42_src, config.k42_suite)
config.test_exec_root = os.path.join(config.k42_build, config.k42_suite)

# FileCheck, not and count come from LLVM 19.
config.environment["PATH"] = os.pathsep.join(
    [config.llvm_tools_dir, config.environment.get("PATH", os.environ["PATH"])]
)
for name in ["HOME", "TMPDIR"]:
    if name in os.environ:
        config.environment[name] = os.environ[name]

cxxflags = "-std=c++20 -I{0}/idl/include -I{0}/runtime/include".format(
    config.k42_src
)
config.substitutions += [
    ("%stubc", config.k42_stubc),
    ("%k42_plugin", config.k42_plugin),
    ("%clangxx", config.k42_clangxx),
    ("%k42_cxxflags", cxxflags),
    ("%k42_src", config.k42_src),
    ("%k42_build", config.k42_build),
    ("%k42_runtime_lib", config.k42_runtime_lib),
    ("%cmake", config.k42_cmake),
    ("%ninja", config.k42_ninja),
    ("%python", config.k42_python),
]

if os.path.exists(config.k42_plugin):
    config.available_features.add("clang-plugin")
# k42_add_interface must work with CMake's Makefile generator too.
if shutil.which("make"):
    config.available_features.add("make")
# Tests that change their process's ids (setresuid) need root.
if os.geteuid() == 0:
    config.available_features.add("root")
# PROCMAP_QUERY (an ioctl on /proc/self/maps, Linux 6.11): where the host
# has it, the exec overlay takes its layout from it; elsewhere from the
# text, and the tests expect that instead.
_release = tuple(int(p) for p in re.findall(r"\d+", platform.release())[:2])
if _release >= (6, 11):
    config.available_features.add("procmap-query")
# The fuzz targets exist when the compiler had libFuzzer (test/fuzz). Each
# built target is a feature of its own, so that a build of one target runs
# its test alone; libfuzzer says that any was built.
for fuzzer in ["dispatch-fuzzer", "kernel-fuzzer", "channel-fuzzer"]:
    if os.path.exists(os.path.join(config.k42_build, "test", "fuzz", fuzzer)):
        config.available_features.add(fuzzer)
        config.available_features.add("libfuzzer")
