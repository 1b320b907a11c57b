# The agency's desk: look-ups (worker, vacancy and employer list|show, placement list
# and audit filters) and corrections, end to end on a real SQLite file built from the
# bundled scenarios.
add_test(NAME cli.desk COMMAND ${Python3_EXECUTABLE}
         ${CMAKE_CURRENT_SOURCE_DIR}/desk/test_desk.py ${CLB_CLI}
         ${CMAKE_CURRENT_SOURCE_DIR}/../scenarios)
set_tests_properties(cli.desk PROPERTIES LABELS "cli;store;desk" TIMEOUT 300)
