# The stable start of `solve --stable` (label `stability`): deferred acceptance with
# cutoffs (engine/solve/stable_da.c, docs/MODEL.md "Stability: solve --stable").
# - stable_da.tiny: random tiny scenarios of the brute-force generator; the
#   heuristic's plan (written by stable_da_plan) must pass the independent checker and
#   have no envy pair by `circulab stability` (pinned holders exempt).
# - stable_da.<scenario>: `solve --stable --time-limit 5` on a bundled scenario must
#   place at least a given share of the plain optimum's placements, with no envy pair.
#   The shares are what the start gives (chained-campaigns 119 of 150, huelva-small
#   281 of 308, huelva-tight 263 of 263) with a margin; the repaired optimum alone
#   gave 28-36 of 150 and 105-114 of about 300.
add_executable(stable_da_plan ${CMAKE_CURRENT_SOURCE_DIR}/stable_da/stable_da_plan.c)
target_include_directories(stable_da_plan PRIVATE ${PROJECT_SOURCE_DIR}/engine)
target_compile_options(stable_da_plan PRIVATE ${CLB_WARNINGS})
target_compile_definitions(stable_da_plan PRIVATE _POSIX_C_SOURCE=200809L)
target_link_libraries(stable_da_plan PRIVATE circulab_internal)

set(CLB_STABLE_DA_TEST ${CMAKE_CURRENT_SOURCE_DIR}/stable_da/test_stable_da.py)
add_test(NAME stable_da.tiny
         COMMAND ${Python3_EXECUTABLE} ${CLB_STABLE_DA_TEST} --part tiny
                 --circulab ${CLB_CLI} --plan $<TARGET_FILE:stable_da_plan>
                 --count 300 --seed 5 --workers 8 --vacancies 4)
set_tests_properties(stable_da.tiny PROPERTIES LABELS "stability;bruteforce" TIMEOUT 600)

foreach(spec "chained-campaigns;0.75" "huelva-small;0.85" "huelva-tight;0.9")
  list(GET spec 0 name)
  list(GET spec 1 share)
  add_test(NAME stable_da.${name}
           COMMAND ${Python3_EXECUTABLE} ${CLB_STABLE_DA_TEST} --part scenario
                   --circulab ${CLB_CLI}
                   --scenario ${PROJECT_SOURCE_DIR}/scenarios/${name}.json
                   --time-limit 5 --min-share ${share})
  set_tests_properties(stable_da.${name} PROPERTIES LABELS "stability;cli" TIMEOUT 300)
endforeach()
# Beyond the rows' size limit (docs/MODEL.md): 1,000 workers x 50 vacancies, whose rows
# would hold 36 million non-zeros (before the limit the solve grew past 24 GB); the
# start gives 915 of the optimum's 969 placements.
add_test(NAME stable_da.generated_1000
         COMMAND ${Python3_EXECUTABLE} ${CLB_STABLE_DA_TEST} --part scenario
                 --circulab ${CLB_CLI} --generate "1000 50 3"
                 --time-limit 60 --min-share 0.9)
set_tests_properties(stable_da.generated_1000 PROPERTIES LABELS "stability;cli" TIMEOUT 300)
