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
