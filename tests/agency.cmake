# docs/AGENCY.md's "A clerk's day" and README.md's command tables cannot drift from
# the program (tests/agency/test_clerks_day.py): agency.clerks_day runs the page's
# commands in order on a fresh database from docs/agency/ and compares each output
# with the page; agency.readme_commands checks that README.md's tables name every
# command and verb `circulab --help` lists.
set(CLB_AGENCY_SCRIPT ${CMAKE_CURRENT_SOURCE_DIR}/agency/test_clerks_day.py)
foreach(case day readme)
  if(case STREQUAL "day")
    set(name agency.clerks_day)
  else()
    set(name agency.readme_commands)
  endif()
  add_test(NAME ${name}
           COMMAND ${Python3_EXECUTABLE} ${CLB_AGENCY_SCRIPT} --cli ${CLB_CLI}
                   --root ${CMAKE_CURRENT_SOURCE_DIR}/.. ${case})
  set_tests_properties(${name} PROPERTIES LABELS "cli;readme;agency" TIMEOUT 300)
endforeach()
