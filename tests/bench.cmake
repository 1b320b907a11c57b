# Generator smoke test (label `unit`): bench/smoke.cmake runs `circulab generate` twice
# with the same size and seed and requires byte-identical documents that pass
# `circulab validate`, plus the usage errors. The benchmark itself (bench/bench.py) is
# run by hand: it takes minutes to hours and asserts no timings here.
add_test(NAME unit.generate
         COMMAND ${CMAKE_COMMAND} -DCLI=${CLB_CLI}
                 -DWORK=${CMAKE_CURRENT_BINARY_DIR}/generate-smoke
                 -P ${PROJECT_SOURCE_DIR}/bench/smoke.cmake)
set_tests_properties(unit.generate PROPERTIES LABELS unit TIMEOUT 120)
