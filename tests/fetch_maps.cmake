# Fetch through the mapping tables (label `network`): a JobPosting feed shaped as job
# boards publish it, served by a real HTTP server on 127.0.0.1 that the test script
# starts itself (tests/network/test_fetch_maps.py).
add_test(NAME network.fetch_maps
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/network/test_fetch_maps.py
                 --cli ${CLB_CLI} --source-dir ${PROJECT_SOURCE_DIR})
set_tests_properties(network.fetch_maps PROPERTIES LABELS network TIMEOUT 300)
