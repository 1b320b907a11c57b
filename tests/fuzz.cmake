# Replays of the fuzz targets (label `unit`), in every build and with any compiler: each
# target of tests/fuzz/ linked with a small driver (replay_main.c) instead of libFuzzer
# runs every committed regression input (tests/data/fuzz-regressions/<target>/) and
# every seed (derived by tests/fuzz/make_corpus.py into the build tree). Under the ASan
# build a crash, a leak or undefined behaviour on any of them fails the test; the fuzz
# targets' own checks (for example: a scenario that loads is saved to a document that
# loads again) hold on all of them. The libFuzzer runs themselves are built by
# -DCLB_FUZZ=ON (tests/fuzz/CMakeLists.txt, docs/TESTING.md).
set(CLB_FUZZ_REPLAY_DATA ${CMAKE_CURRENT_BINARY_DIR}/fuzz-seeds)
add_test(NAME fuzz.replay-seeds
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/make_corpus.py
                 ${PROJECT_SOURCE_DIR} ${CLB_FUZZ_REPLAY_DATA})
set_tests_properties(fuzz.replay-seeds PROPERTIES LABELS unit TIMEOUT 120
                     FIXTURES_SETUP fuzz-replay-seeds)

foreach(t scenario csv offers jobposting)
  add_executable(replay_${t} ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_${t}.c
                 ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/replay_main.c)
  target_include_directories(replay_${t} PRIVATE ${PROJECT_SOURCE_DIR}/engine)
  target_compile_options(replay_${t} PRIVATE ${CLB_WARNINGS})
  target_compile_definitions(replay_${t} PRIVATE _POSIX_C_SOURCE=200809L)
  target_link_libraries(replay_${t} PRIVATE circulab_internal)
  add_test(NAME unit.fuzz-replay.${t}
           COMMAND replay_${t} ${CMAKE_CURRENT_SOURCE_DIR}/data/fuzz-regressions/${t}
                   ${CLB_FUZZ_REPLAY_DATA}/seeds/${t}
           WORKING_DIRECTORY ${CLB_FUZZ_REPLAY_DATA}/work)
  set_tests_properties(unit.fuzz-replay.${t} PROPERTIES LABELS unit TIMEOUT 300
                       FIXTURES_REQUIRED fuzz-replay-seeds)
endforeach()
