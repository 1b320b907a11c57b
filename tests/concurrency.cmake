# Concurrency of the system of record (tests/store/test_concurrency.py): 100 lifecycle
# operations (confirm, decline, depart, import) from other processes while `round run`
# solves, and two `round run`s at once, on a real SQLite file. One trial runs in the
# normal suite; `ctest -L concurrency` also runs six trials (labels slow and full: by hand,
# not in scripts/test.sh's default run).
add_test(NAME store.concurrency COMMAND ${Python3_EXECUTABLE}
         ${CMAKE_CURRENT_SOURCE_DIR}/store/test_concurrency.py ${CLB_CLI} --trials 1)
set_tests_properties(store.concurrency PROPERTIES LABELS "cli;store;concurrency"
                     TIMEOUT 900)
add_test(NAME store.concurrency_full COMMAND ${Python3_EXECUTABLE}
         ${CMAKE_CURRENT_SOURCE_DIR}/store/test_concurrency.py ${CLB_CLI} --trials 6)
set_tests_properties(store.concurrency_full PROPERTIES
                     LABELS "cli;store;concurrency;slow;full" TIMEOUT 3600)
