# The desk as a clerk tried it: alignment by characters, filters naming unknown
# records, unchanged departures with their date, pin release repeated
# (tests/desk/test_desk_gaps.py), on a real SQLite file from the bundled scenario.
add_test(NAME cli.desk_gaps COMMAND ${Python3_EXECUTABLE}
         ${CMAKE_CURRENT_SOURCE_DIR}/desk/test_desk_gaps.py ${CLB_CLI}
         ${CMAKE_CURRENT_SOURCE_DIR}/../scenarios)
set_tests_properties(cli.desk_gaps PROPERTIES LABELS "cli;store;desk" TIMEOUT 300)
