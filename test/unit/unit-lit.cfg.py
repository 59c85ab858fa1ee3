# The GoogleTest units as a lit suite of their own (like LLVM's unittests):
# lit runs the K42UnitTests binary built next to this suite's site config
# and reports each test case as a lit test.
import lit.formats

config.name = "K42-unit"
config.test_format = lit.formats.GoogleTest(".", "Tests")
config.test_source_root = config.k42_unit_dir
config.test_exec_root = config.k42_unit_dir
