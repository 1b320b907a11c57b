# The worked example of scenarios/planning/README.md (label `cli;readme`):
# tests/planning_readme/test_planning_readme.py runs its commands from a copy of
# scenarios/ and compares every output line, and every figure of its text, with what
# circulab prints; it also checks the `scenario compare` excerpt of README.md. The
# README cannot drift from the program: after a change, regenerate with --update.
add_test(NAME readme.planning
         COMMAND ${Python3_EXECUTABLE}
                 ${CMAKE_CURRENT_SOURCE_DIR}/planning_readme/test_planning_readme.py
                 --cli ${CLB_CLI}
         WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
set_tests_properties(readme.planning PROPERTIES LABELS "cli;readme" TIMEOUT 600)

# planners.compare_ties: `scenario compare` of huelva-small.json with a variant that
# forces no change (the Fès session nobody needs; the same scenario in reverse record
# order) shows the base's figures: no tie noise (tests/planning_readme/test_compare_ties.py).
add_test(NAME planners.compare_ties
         COMMAND ${Python3_EXECUTABLE}
                 ${CMAKE_CURRENT_SOURCE_DIR}/planning_readme/test_compare_ties.py
                 --cli ${CLB_CLI}
         WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
set_tests_properties(planners.compare_ties PROPERTIES LABELS "cli;planners" TIMEOUT 600)
