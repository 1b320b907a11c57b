# The import-safety suites: what an import may change (history never moves backwards,
# pins and previous plans of a file are not revived, the database stays valid after
# every change, `pin` commands) and what the readers refuse (NUL bytes, control
# characters in ids, malformed number cells, byte-order marks, size limits).
add_test(NAME cli.import.input COMMAND ${Python3_EXECUTABLE}
         ${CMAKE_CURRENT_SOURCE_DIR}/import/test_import_input.py ${CLB_CLI})
set_tests_properties(cli.import.input PROPERTIES LABELS "cli;store" TIMEOUT 300)
add_test(NAME cli.import.history COMMAND ${Python3_EXECUTABLE}
         ${CMAKE_CURRENT_SOURCE_DIR}/import/test_import_history.py ${CLB_CLI})
set_tests_properties(cli.import.history PROPERTIES LABELS "cli;store" TIMEOUT 300)
add_test(NAME cli.import.spreadsheet COMMAND ${Python3_EXECUTABLE}
         ${CMAKE_CURRENT_SOURCE_DIR}/import/test_spreadsheet.py ${CLB_CLI})
set_tests_properties(cli.import.spreadsheet PROPERTIES LABELS "cli;store" TIMEOUT 300)
add_test(NAME cli.import.dry_run COMMAND ${Python3_EXECUTABLE}
         ${CMAKE_CURRENT_SOURCE_DIR}/import/test_dry_run.py ${CLB_CLI})
set_tests_properties(cli.import.dry_run PROPERTIES LABELS "cli;store" TIMEOUT 300)
add_test(NAME cli.import.round_warnings COMMAND ${Python3_EXECUTABLE}
         ${CMAKE_CURRENT_SOURCE_DIR}/import/test_warnings.py ${CLB_CLI})
set_tests_properties(cli.import.round_warnings PROPERTIES LABELS "cli;store" TIMEOUT 300)
add_test(NAME cli.import.list_csv COMMAND ${Python3_EXECUTABLE}
         ${CMAKE_CURRENT_SOURCE_DIR}/import/test_list_csv.py ${CLB_CLI})
set_tests_properties(cli.import.list_csv PROPERTIES LABELS "cli;store" TIMEOUT 300)
