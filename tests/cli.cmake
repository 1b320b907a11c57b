# CLI end-to-end tests (label `cli`): tests/cli/test_cli.py drives the circulab program
# from outside. Each case_* function of the script is one ctest test, cli.<case>, so a
# failure names the case; the list is read from the script at configure time, and
# editing the script re-runs the configuration.
set(CLB_CLI_TEST_SCRIPT ${CMAKE_CURRENT_SOURCE_DIR}/cli/test_cli.py)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${CLB_CLI_TEST_SCRIPT})

execute_process(
  COMMAND ${Python3_EXECUTABLE} ${CLB_CLI_TEST_SCRIPT} --list
  OUTPUT_VARIABLE CLB_CLI_CASES
  RESULT_VARIABLE CLB_CLI_LIST_RESULT)
if(NOT CLB_CLI_LIST_RESULT EQUAL 0)
  message(FATAL_ERROR "tests/cli/test_cli.py --list failed")
endif()
string(REGEX MATCHALL "[A-Za-z0-9_]+" CLB_CLI_CASES "${CLB_CLI_CASES}")

foreach(case ${CLB_CLI_CASES})
  add_test(NAME cli.${case}
           COMMAND ${Python3_EXECUTABLE} ${CLB_CLI_TEST_SCRIPT}
                   --cli ${CLB_CLI} --data ${CMAKE_CURRENT_SOURCE_DIR}/data/cli ${case}
           WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
  set_tests_properties(cli.${case} PROPERTIES LABELS cli TIMEOUT 300)
endforeach()
