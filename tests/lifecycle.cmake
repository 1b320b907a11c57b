# The placement lifecycle of schema version 2: one id per placement across rounds, the
# cancelled state, the migration of a version-1 database (tests/data/store), and the
# feasibility check of `placement confirm`.
add_test(NAME store.lifecycle COMMAND ${Python3_EXECUTABLE}
         ${CMAKE_CURRENT_SOURCE_DIR}/store/test_lifecycle.py ${CLB_CLI})
set_tests_properties(store.lifecycle PROPERTIES LABELS "cli;store" TIMEOUT 300)
