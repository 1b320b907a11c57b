# Stability (label `stability`): the blocking pairs of `circulab stability` and the plans
# of `solve --stable` (docs/MODEL.md, "Stability").
# - stability.<case>: small cases whose pairs are worked out by hand
#   (tests/stability/test_stability_cases.py, one ctest test per case_* function).
# - stability.bruteforce_report: random tiny scenarios (tests/checker/bruteforce.py's
#   generator); on circulab's plan and on a random feasible plan, the pairs listed must
#   be those computed from the definition, held_by_limit decided by the independent
#   checker over every move.
# - stability.bruteforce_stable: the same generator; every feasible plan enumerated, the
#   best one without envy must have the objective of `solve --stable` (exit 4 when
#   there is none), and the plain optimum that of `solve`.
set(CLB_STABILITY_DIR ${CMAKE_CURRENT_SOURCE_DIR}/stability)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             ${CLB_STABILITY_DIR}/test_stability_cases.py)

execute_process(
  COMMAND ${Python3_EXECUTABLE} ${CLB_STABILITY_DIR}/test_stability_cases.py --list
  OUTPUT_VARIABLE CLB_STABILITY_CASES
  RESULT_VARIABLE CLB_STABILITY_LIST_RESULT)
if(NOT CLB_STABILITY_LIST_RESULT EQUAL 0)
  message(FATAL_ERROR "tests/stability/test_stability_cases.py --list failed")
endif()
string(REGEX MATCHALL "[A-Za-z0-9_]+" CLB_STABILITY_CASES "${CLB_STABILITY_CASES}")
foreach(case ${CLB_STABILITY_CASES})
  add_test(NAME stability.${case}
           COMMAND ${Python3_EXECUTABLE} ${CLB_STABILITY_DIR}/test_stability_cases.py
                   --circulab ${CLB_CLI} ${case}
           WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
  set_tests_properties(stability.${case} PROPERTIES LABELS "stability;cli" TIMEOUT 120)
endforeach()

add_test(NAME stability.bruteforce_report
         COMMAND ${Python3_EXECUTABLE} ${CLB_STABILITY_DIR}/test_stability_bruteforce.py
                 --circulab ${CLB_CLI} --part report --count 150 --vacancies 4 --seed 7
         WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
set_tests_properties(stability.bruteforce_report PROPERTIES LABELS "stability;bruteforce"
                     TIMEOUT 600)

add_test(NAME stability.bruteforce_stable
         COMMAND ${Python3_EXECUTABLE} ${CLB_STABILITY_DIR}/test_stability_bruteforce.py
                 --circulab ${CLB_CLI} --part stable --count 300 --vacancies 4 --seed 11
         WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
set_tests_properties(stability.bruteforce_stable PROPERTIES LABELS "stability;bruteforce"
                     TIMEOUT 600)
