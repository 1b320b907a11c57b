# Marginal values in the planner's units through the program (label `planners`):
# text, CSV and JSON of `scenario compare --marginal` and the report's table, on a
# tiny scenario worked out by hand (tests/marginal/test_marginal_cli.py; the unit
# tests are tests/test_marginal.c).
set(CLB_MARGINAL_SCRIPT ${CMAKE_CURRENT_SOURCE_DIR}/marginal/test_marginal_cli.py)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${CLB_MARGINAL_SCRIPT})
foreach(case csv json report text)
  add_test(NAME planners.marginal_${case}
           COMMAND ${Python3_EXECUTABLE} ${CLB_MARGINAL_SCRIPT} --cli ${CLB_CLI} ${case}
           WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
  set_tests_properties(planners.marginal_${case} PROPERTIES LABELS "planners;cli"
                       TIMEOUT 120)
endforeach()
