# Offers integrity (label `network`): feeds and submissions against a real HTTP server
# on 127.0.0.1 that the test script starts itself (tests/network/test_offers_integrity.py):
# partial records merge instead of replacing, a fetch's memory is bounded, and URLs
# never carry credentials.
add_test(NAME network.offers_integrity
         COMMAND ${Python3_EXECUTABLE}
                 ${CMAKE_CURRENT_SOURCE_DIR}/network/test_offers_integrity.py
                 --cli ${CLB_CLI} --source-dir ${PROJECT_SOURCE_DIR})
set_tests_properties(network.offers_integrity PROPERTIES LABELS network TIMEOUT 600)
