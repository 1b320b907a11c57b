# Ties broken by id order, never by the order of records in the files (label
# `cli;planners`): tests/ties/test_record_order.py shuffles every record list of the
# bundled scenarios (with the worked example's variants) and of generated ones, and
# requires byte-identical result files and the same `scenario compare` output, with
# the base given as a scenario and as a saved result (the second stage). More orders:
# run it by hand with --seeds N --generated N.
add_test(NAME ties.record_order
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/ties/test_record_order.py
                 --cli ${CLB_CLI} --seeds 1 --generated 2
         WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
set_tests_properties(ties.record_order PROPERTIES LABELS "cli;planners" TIMEOUT 600)
