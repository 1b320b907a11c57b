# An accepted change leaves the season solvable (tests/solvable/test_still_solvable.py):
# imports and pins that the season's confirmed placements cannot live with are refused.
add_test(NAME integrity.still_solvable COMMAND ${Python3_EXECUTABLE}
         ${CMAKE_CURRENT_SOURCE_DIR}/solvable/test_still_solvable.py ${CLB_CLI}
         ${PROJECT_SOURCE_DIR}/scenarios)
set_tests_properties(integrity.still_solvable PROPERTIES LABELS "cli;integrity" TIMEOUT 600)
