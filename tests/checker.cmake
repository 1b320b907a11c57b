# Independent checks of solve results (tests/checker/, Python 3 standard library only):
# - bruteforce (label `bruteforce`): 200 random tiny scenarios solved by circulab and by
#   exhaustive enumeration; objectives must agree and every result must pass the checker.
#   Failing scenarios are kept in <build>/tests/bruteforce-failures/.
# - scenario.<name> (label `scenarios`): every bundled scenarios/*.json except the
#   deliberately infeasible ones is solved, must come back "optimal", and is checked.
#   The list is globbed at configure time (CONFIGURE_DEPENDS re-globs on build).
# - checker.cases (label `checker`): the checker itself must reject hand-made results
#   that each break one rule (tests/checker/cases/), so it is known to be able to fail.
set(CLB_CHECKER_DIR ${CMAKE_CURRENT_SOURCE_DIR}/checker)

add_test(NAME bruteforce
         COMMAND ${Python3_EXECUTABLE} ${CLB_CHECKER_DIR}/bruteforce.py
                 --circulab ${CLB_CLI} --count 200 --seed 1
                 --keep-failures ${CMAKE_CURRENT_BINARY_DIR}/bruteforce-failures
         WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
set_tests_properties(bruteforce PROPERTIES LABELS bruteforce TIMEOUT 600)

file(GLOB CLB_BUNDLED_SCENARIOS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/scenarios/*.json)
foreach(file ${CLB_BUNDLED_SCENARIOS})
  get_filename_component(name ${file} NAME_WLE)
  if(name MATCHES "infeasible")
    continue()
  endif()
  add_test(NAME scenario.${name}
           COMMAND ${Python3_EXECUTABLE} ${CLB_CHECKER_DIR}/solve_and_check.py
                   --circulab ${CLB_CLI} --scenario ${file}
                   --out ${CMAKE_CURRENT_BINARY_DIR}/${name}.result.json
           WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
  set_tests_properties(scenario.${name} PROPERTIES LABELS scenarios TIMEOUT 600)
endforeach()

add_test(NAME checker.cases
         COMMAND ${Python3_EXECUTABLE} ${CLB_CHECKER_DIR}/test_checker.py
                 ${CLB_CHECKER_DIR}/cases)
set_tests_properties(checker.cases PROPERTIES LABELS checker TIMEOUT 120)
