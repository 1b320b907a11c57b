# Fairness over seasons (label `fairness`): `simulate`'s shares by origin region, its
# origin balance index per season and over the seasons, and `--min-share-by-region`,
# on a two-region pool small enough to check by hand
# (tests/fairness/test_fairness.py, one ctest test per case_* function,
# fairness.<case>). Each case runs a few two- or three-season simulations of eight
# workers: well under a second.
set(CLB_FAIRNESS_SCRIPT ${CMAKE_CURRENT_SOURCE_DIR}/fairness/test_fairness.py)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${CLB_FAIRNESS_SCRIPT})

execute_process(
  COMMAND ${Python3_EXECUTABLE} ${CLB_FAIRNESS_SCRIPT} --list
  OUTPUT_VARIABLE CLB_FAIRNESS_CASES
  RESULT_VARIABLE CLB_FAIRNESS_LIST_RESULT)
if(NOT CLB_FAIRNESS_LIST_RESULT EQUAL 0)
  message(FATAL_ERROR "tests/fairness/test_fairness.py --list failed")
endif()
string(REGEX MATCHALL "[A-Za-z0-9_]+" CLB_FAIRNESS_CASES "${CLB_FAIRNESS_CASES}")

foreach(case ${CLB_FAIRNESS_CASES})
  add_test(NAME fairness.${case}
           COMMAND ${Python3_EXECUTABLE} ${CLB_FAIRNESS_SCRIPT}
                   --cli ${CLB_CLI} --data ${CMAKE_CURRENT_SOURCE_DIR}/fairness/data ${case}
           WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
  set_tests_properties(fairness.${case} PROPERTIES LABELS "fairness;planners;cli"
                       TIMEOUT 120)
endforeach()
