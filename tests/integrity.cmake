# Record integrity and output safety found by trying issue 12's patterns on commands
# nobody had covered (label `cli;integrity`): tests/integrity/test_integrity.py drives
# circulab from outside. One ctest test per case_* function, integrity.<case>.
set(CLB_INTEGRITY_SCRIPT ${CMAKE_CURRENT_SOURCE_DIR}/integrity/test_integrity.py)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${CLB_INTEGRITY_SCRIPT})

execute_process(
  COMMAND ${Python3_EXECUTABLE} ${CLB_INTEGRITY_SCRIPT} --list
  OUTPUT_VARIABLE CLB_INTEGRITY_CASES
  RESULT_VARIABLE CLB_INTEGRITY_LIST_RESULT)
if(NOT CLB_INTEGRITY_LIST_RESULT EQUAL 0)
  message(FATAL_ERROR "tests/integrity/test_integrity.py --list failed")
endif()
string(REGEX MATCHALL "[A-Za-z0-9_]+" CLB_INTEGRITY_CASES "${CLB_INTEGRITY_CASES}")

foreach(case ${CLB_INTEGRITY_CASES})
  add_test(NAME integrity.${case}
           COMMAND ${Python3_EXECUTABLE} ${CLB_INTEGRITY_SCRIPT} --cli ${CLB_CLI} ${case}
           WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
  set_tests_properties(integrity.${case} PROPERTIES LABELS "cli;integrity" TIMEOUT 300)
endforeach()
