# check.cmake - bench/levers on tests/levers/two_groups.json, whose answer is known:
# A1-A3 and B1-B2 are copies but for id and name, with one own conflict row each among
# the A workers (so the rows must be compared over the workers' own columns, not the
# model's), A4 is eligible for one vacancy less, B3 is pinned and C1 has no eligible
# vacancy: 7 workers with pairs in 4 classes (largest 3), and the two groups share no
# row: 2 components (largest 4). Two variants written here change the answer: a quota
# over both groups joins them (1 component, still 2 without the quota rows), and without
# the pin B3 joins B1 and B2 (3 classes).
#
# Usage: cmake -DLEVERS=path/to/levers -DSRC=tests/levers -DWORK=dir -P check.cmake
if(NOT LEVERS OR NOT SRC OR NOT WORK)
  message(FATAL_ERROR "usage: cmake -DLEVERS=levers -DSRC=dir -DWORK=dir -P check.cmake")
endif()
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})

# Run levers on FILE and require each "key: value" line given as KEY=VALUE pairs.
function(expect file)
  execute_process(COMMAND ${LEVERS} ${file} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                  ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "levers ${file} failed (exit ${rc}): ${err}")
  endif()
  foreach(pair ${ARGN})
    string(REGEX MATCH "^([^=]+)=(.*)$" _ "${pair}")
    set(key "${CMAKE_MATCH_1}")
    set(want "${CMAKE_MATCH_2}")
    string(REGEX MATCH "(^|\n)${key}: ([^\n]*)" line "${out}")
    if(NOT line)
      message(FATAL_ERROR "${file}: no line '${key}:' in\n${out}")
    endif()
    if(NOT CMAKE_MATCH_2 STREQUAL want)
      message(FATAL_ERROR "${file}: ${key}: '${CMAKE_MATCH_2}', expected '${want}'\n${out}")
    endif()
  endforeach()
endfunction()

set(base ${SRC}/two_groups.json)
expect(${base}
  "workers=8" "workers with eligible pairs=7" "pinned workers=1" "eligible pairs=13"
  "classes=4" "largest class=3" "workers in classes of two or more=5"
  "workers removed=42.9 %" "components=2" "largest component=4"
  "components without quota rows=2 (largest 4)"
  "components over vacancy rows only=2 (largest 4)")

file(READ ${base} doc)

# a quota over every Moroccan placement: one row over both groups
string(REPLACE "\"pins\": [" "\"quotas\": [ { \"id\": \"Q-MA\", \"max\": 4, \"unit\": \"placements\", \"where\": { \"origin_country\": [\"MA\"] } } ],\n  \"pins\": ["
       quota "${doc}")
if(quota STREQUAL doc)
  message(FATAL_ERROR "the quota variant changed nothing")
endif()
file(WRITE ${WORK}/quota.json "${quota}")
expect(${WORK}/quota.json
  "classes=4" "components=1" "largest component=7"
  "components without quota rows=2 (largest 4)")

# without the pin, B3 is a copy of B1 and B2
string(REGEX REPLACE "\"pins\": \\[[^]]*\\]" "\"pins\": []" unpinned "${doc}")
if(unpinned STREQUAL doc)
  message(FATAL_ERROR "the unpinned variant changed nothing")
endif()
file(WRITE ${WORK}/unpinned.json "${unpinned}")
expect(${WORK}/unpinned.json
  "pinned workers=0" "classes=3" "largest class=3" "workers in classes of two or more=6"
  "workers removed=57.1 %" "components=2")

execute_process(COMMAND ${LEVERS} RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
if(NOT rc EQUAL 2)
  message(FATAL_ERROR "levers without a scenario: exit ${rc}, expected 2")
endif()
execute_process(COMMAND ${LEVERS} ${WORK}/missing.json RESULT_VARIABLE rc OUTPUT_QUIET
                ERROR_QUIET)
if(rc EQUAL 0)
  message(FATAL_ERROR "levers on a missing file succeeded")
endif()
file(REMOVE_RECURSE ${WORK})
message(STATUS "levers: ok")
