# Output safety (label `cli;outputs`): tests/outputs/test_outputs.py drives circulab
# from outside on what it writes and prints -- -o on special files and links, file
# modes, CSV formula cells, control characters, lifecycle dates, concurrent init,
# simulate's seasons. One ctest test per case_* function, outputs.<case>.
set(CLB_OUTPUTS_SCRIPT ${CMAKE_CURRENT_SOURCE_DIR}/outputs/test_outputs.py)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${CLB_OUTPUTS_SCRIPT})

execute_process(
  COMMAND ${Python3_EXECUTABLE} ${CLB_OUTPUTS_SCRIPT} --list
  OUTPUT_VARIABLE CLB_OUTPUTS_CASES
  RESULT_VARIABLE CLB_OUTPUTS_LIST_RESULT)
if(NOT CLB_OUTPUTS_LIST_RESULT EQUAL 0)
  message(FATAL_ERROR "tests/outputs/test_outputs.py --list failed")
endif()
string(REGEX MATCHALL "[A-Za-z0-9_]+" CLB_OUTPUTS_CASES "${CLB_OUTPUTS_CASES}")

foreach(case ${CLB_OUTPUTS_CASES})
  add_test(NAME outputs.${case}
           COMMAND ${Python3_EXECUTABLE} ${CLB_OUTPUTS_SCRIPT} --cli ${CLB_CLI} ${case}
           WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
  set_tests_properties(outputs.${case} PROPERTIES LABELS "cli;outputs" TIMEOUT 300)
endforeach()
