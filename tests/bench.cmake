# Generator smoke test (label `unit`): bench/smoke.cmake runs `circulab generate` twice
# with the same size and seed and requires byte-identical documents that pass
# `circulab validate`, plus the usage errors. The benchmark itself (bench/bench.py) is
# run by hand: it takes minutes to hours and asserts no timings here.
add_test(NAME unit.generate
         COMMAND ${CMAKE_COMMAND} -DCLI=${CLB_CLI}
                 -DWORK=${CMAKE_CURRENT_BINARY_DIR}/generate-smoke
                 -P ${PROJECT_SOURCE_DIR}/bench/smoke.cmake)
set_tests_properties(unit.generate PROPERTIES LABELS unit TIMEOUT 120)

# bench/bench.py's run() stops a command past its timeout together with what it started
# (a reference solver under /usr/bin/time): tests/bench_run.py.
add_test(NAME unit.bench_run
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/bench_run.py
                 ${PROJECT_SOURCE_DIR}/bench/bench.py ${CMAKE_CURRENT_BINARY_DIR}/bench-run)
set_tests_properties(unit.bench_run PROPERTIES LABELS unit TIMEOUT 60)
