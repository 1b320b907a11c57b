# smoke.cmake - a quick check of `circulab generate`, run by ctest (tests/bench.cmake):
# the same size and seed give byte-identical documents, through a file and through
# stdout; another seed gives another document; the document passes `circulab validate`;
# bad command lines are usage errors (exit 2). No timing is asserted.
#
# Usage: cmake -DCLI=path/to/circulab -DWORK=scratch-dir -P bench/smoke.cmake
if(NOT CLI OR NOT WORK)
  message(FATAL_ERROR "usage: cmake -DCLI=circulab -DWORK=dir -P smoke.cmake")
endif()
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})

function(run_ok)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (exit ${rc}): ${ARGN}\n${out}\n${err}")
  endif()
endfunction()

function(run_exit expected)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
  if(NOT rc EQUAL expected)
    message(FATAL_ERROR "expected exit ${expected}, got ${rc}: ${ARGN}\n${err}")
  endif()
endfunction()

run_ok(${CLI} generate --size S --seed 7 -o ${WORK}/a.json)
run_ok(${CLI} generate --size S --seed 7 -o ${WORK}/b.json)
execute_process(COMMAND ${CLI} generate --seed 7 --size S OUTPUT_FILE ${WORK}/c.json
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "generate to stdout failed (exit ${rc})")
endif()
foreach(other b c)
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${WORK}/a.json
                  ${WORK}/${other}.json RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "generate --size S --seed 7 is not deterministic (a vs ${other})")
  endif()
endforeach()

run_ok(${CLI} generate --size S --seed 8 -o ${WORK}/d.json)
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${WORK}/a.json ${WORK}/d.json
                RESULT_VARIABLE rc)
if(rc EQUAL 0)
  message(FATAL_ERROR "seeds 7 and 8 gave the same document")
endif()

file(READ ${WORK}/a.json head LIMIT 200)
if(NOT head MATCHES "\"format\":\"circulab-scenario/1\"")
  message(FATAL_ERROR "not a circulab-scenario/1 document: ${head}")
endif()

run_ok(${CLI} validate ${WORK}/a.json)
run_ok(${CLI} generate --workers 120 --vacancies 9 --seed 3 -o ${WORK}/e.json)
run_ok(${CLI} validate ${WORK}/e.json)

run_exit(2 ${CLI} generate)
run_exit(2 ${CLI} generate --size XXL)
run_exit(2 ${CLI} generate --size S --workers 10 --vacancies 2)
run_exit(2 ${CLI} generate --workers 10)
run_exit(0 ${CLI} generate --help)

file(REMOVE_RECURSE ${WORK})
message(STATUS "generate smoke test: ok")
