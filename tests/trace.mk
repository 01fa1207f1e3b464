# The trace file formats (issue 18): the compact format and the one reader
# every command reads traces through, `faultline trace export`.
TESTS += tests/test_trace_format.sh
EXTRA_DIST += tests/test_trace_format.sh
