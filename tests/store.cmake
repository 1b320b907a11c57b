# The database suites: end-to-end tests of the database commands (every command, its
# errors and exit codes, two seasons in a row, explain's reasons) and the crash-safety
# test (SIGKILL during import and round run, 30 trials each).
add_test(NAME cli.store COMMAND ${Python3_EXECUTABLE}
         ${CMAKE_CURRENT_SOURCE_DIR}/store/test_store_cli.py ${CLB_CLI})
set_tests_properties(cli.store PROPERTIES LABELS "cli;store" TIMEOUT 600)

add_test(NAME store.crash COMMAND ${Python3_EXECUTABLE}
         ${CMAKE_CURRENT_SOURCE_DIR}/store/crash_test.py ${CLB_CLI} 30)
set_tests_properties(store.crash PROPERTIES LABELS "cli;store;slow" TIMEOUT 900)
