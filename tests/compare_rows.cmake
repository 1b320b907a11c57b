# scenario compare --csv holds a metric's rows (filled, places, rate; used, limit...)
# side by side while it adds them: a table long enough that adding a row moves the
# table must leave the rows held valid (label `planners`). Three bundled scenarios
# give more than 64 rows with a breakdown's three rows across the 64th; under the
# sanitizer build the old table read freed rows there (heap-use-after-free, exit 1).
add_test(NAME planners.compare_csv_long_table
         COMMAND ${CLB_CLI} scenario compare
                 ${PROJECT_SOURCE_DIR}/scenarios/huelva-small.json
                 ${PROJECT_SOURCE_DIR}/scenarios/planning/freshuelva-plus10.json
                 ${PROJECT_SOURCE_DIR}/scenarios/planning/ma05-quota-plus10.json
                 --csv -q)
set_tests_properties(planners.compare_csv_long_table PROPERTIES
                     LABELS "planners;cli" TIMEOUT 600
                     FAIL_REGULAR_EXPRESSION "Sanitizer|runtime error")
