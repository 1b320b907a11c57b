# README examples (label `cli;readme`): tests/readme/test_readme_examples.py parses
# README.md and runs every example command line as written (readme.verbatim) and the
# first invocation of every command-table synopsis in order on one fresh database
# (readme.tables), each with its exit code, so the README and the program cannot drift.
set(CLB_README_SCRIPT ${CMAKE_CURRENT_SOURCE_DIR}/readme/test_readme_examples.py)
foreach(case tables verbatim)
  add_test(NAME readme.${case}
           COMMAND ${Python3_EXECUTABLE} ${CLB_README_SCRIPT} --cli ${CLB_CLI} ${case}
           WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
  set_tests_properties(readme.${case} PROPERTIES LABELS "cli;readme" TIMEOUT 600)
endforeach()
