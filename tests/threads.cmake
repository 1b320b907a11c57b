# The pricing in threads gives the answer of one thread (tests/threads/test_threads.py):
# `solve --threads 1, 2, 4` write byte-identical result documents, objective and bound
# included, on every bundled scenario and on a generated 1,000 x 50 round (which reaches
# the exact finish's enumeration; also stopped early by --gap, where the bound is not
# the objective); `--threads 0` is a usage error.
# The engine side is unit.test_pricing_threads.
add_test(NAME threads.same_answer COMMAND ${Python3_EXECUTABLE}
         ${CMAKE_CURRENT_SOURCE_DIR}/threads/test_threads.py ${CLB_CLI}
         ${PROJECT_SOURCE_DIR}/scenarios)
set_tests_properties(threads.same_answer PROPERTIES LABELS "cli;threads" TIMEOUT 600)
