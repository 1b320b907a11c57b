# Planners' tools (label `planners`): scenario compare, report, simulate and scenario
# variants driven from outside by tests/planners/test_planners_cli.py (one ctest test
# per case_* function, planners.<case>), and the HTML report rendered in a real
# headless Chromium (planners.report_chromium; skipped when the Debian package
# `chromium` is not installed). The unit tests are tests/test_planners.c.
set(CLB_PLANNERS_SCRIPT ${CMAKE_CURRENT_SOURCE_DIR}/planners/test_planners_cli.py)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${CLB_PLANNERS_SCRIPT})

execute_process(
  COMMAND ${Python3_EXECUTABLE} ${CLB_PLANNERS_SCRIPT} --list
  OUTPUT_VARIABLE CLB_PLANNERS_CASES
  RESULT_VARIABLE CLB_PLANNERS_LIST_RESULT)
if(NOT CLB_PLANNERS_LIST_RESULT EQUAL 0)
  message(FATAL_ERROR "tests/planners/test_planners_cli.py --list failed")
endif()
string(REGEX MATCHALL "[A-Za-z0-9_]+" CLB_PLANNERS_CASES "${CLB_PLANNERS_CASES}")

foreach(case ${CLB_PLANNERS_CASES})
  add_test(NAME planners.${case}
           COMMAND ${Python3_EXECUTABLE} ${CLB_PLANNERS_SCRIPT}
                   --cli ${CLB_CLI} --data ${CMAKE_CURRENT_SOURCE_DIR}/planners/data ${case}
           WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
  set_tests_properties(planners.${case} PROPERTIES LABELS "planners;cli" TIMEOUT 600)
endforeach()

add_test(NAME planners.report_chromium
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/planners/test_report_chromium.py
                 --cli ${CLB_CLI} --data ${CMAKE_CURRENT_SOURCE_DIR}/planners/data
         WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
set_tests_properties(planners.report_chromium PROPERTIES LABELS "planners;slow"
                     TIMEOUT 600 SKIP_RETURN_CODE 77)
