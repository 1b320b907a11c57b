# The import-safety suites: what an import may change (history never moves backwards,
# pins and previous plans of a file are not revived, the database stays valid after
# every change, `pin` commands) and what the readers refuse (NUL bytes, control
# characters in ids, malformed number cells, byte-order marks, size limits); then a
# spreadsheet's CSV, dry runs, round warnings and lists as CSV. One ctest test a script.
foreach(suite input:test_import_input history:test_import_history
        spreadsheet:test_spreadsheet dry_run:test_dry_run round_warnings:test_warnings
        list_csv:test_list_csv)
  string(REPLACE ":" ";" pair ${suite})
  list(GET pair 0 name)
  list(GET pair 1 script)
  add_test(NAME cli.import.${name} COMMAND ${Python3_EXECUTABLE}
           ${CMAKE_CURRENT_SOURCE_DIR}/import/${script}.py ${CLB_CLI})
  set_tests_properties(cli.import.${name} PROPERTIES LABELS "cli;store" TIMEOUT 300)
endforeach()
