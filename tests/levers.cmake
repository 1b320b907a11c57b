# bench/levers (worker classes and independent components of the pair model, issue 14)
# on a constructed scenario whose answer is known, and two variants of it
# (tests/levers/check.cmake). Label `unit`: it runs in well under a second.
add_test(NAME unit.levers
         COMMAND ${CMAKE_COMMAND} -DLEVERS=$<TARGET_FILE:clb_levers>
                 -DSRC=${CMAKE_CURRENT_SOURCE_DIR}/levers
                 -DWORK=${CMAKE_CURRENT_BINARY_DIR}/levers-check
                 -P ${CMAKE_CURRENT_SOURCE_DIR}/levers/check.cmake)
set_tests_properties(unit.levers PROPERTIES LABELS "unit;bench" TIMEOUT 60)
