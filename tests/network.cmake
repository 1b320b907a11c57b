# Network suite (label `network`): circulab's feed fetching against a real HTTP server
# on 127.0.0.1 on a free port (tests/network/server.py), started and stopped by the
# fixture `clb_http_server`. The server misbehaves on purpose (slow, 429, 5xx,
# truncated, huge, redirect loops, file:// redirects, bearer-protected). Retries and
# timeouts are kept short through fetch's options, so the suite takes seconds.
set(CLB_NET_STATE ${CMAKE_CURRENT_BINARY_DIR}/network-server)
set(CLB_NET_SERVER ${CMAKE_CURRENT_SOURCE_DIR}/network/server.py)

add_test(NAME network.server.start
         COMMAND ${Python3_EXECUTABLE} ${CLB_NET_SERVER} start --state-dir ${CLB_NET_STATE})
set_tests_properties(network.server.start PROPERTIES
                     FIXTURES_SETUP clb_http_server LABELS network TIMEOUT 30)

add_test(NAME network.server.stop
         COMMAND ${Python3_EXECUTABLE} ${CLB_NET_SERVER} stop --state-dir ${CLB_NET_STATE})
set_tests_properties(network.server.stop PROPERTIES
                     FIXTURES_CLEANUP clb_http_server LABELS network TIMEOUT 30)

add_test(NAME network.fetch
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/network/test_fetch.py
                 --cli ${CLB_CLI} --state-dir ${CLB_NET_STATE})
set_tests_properties(network.fetch PROPERTIES
                     FIXTURES_REQUIRED clb_http_server LABELS network TIMEOUT 180)

# A fetch of 5000 offers over 5 pages; prints its time (for the closing note).
add_test(NAME network.fetch_big
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/network/test_fetch.py
                 --cli ${CLB_CLI} --state-dir ${CLB_NET_STATE} --big)
set_tests_properties(network.fetch_big PROPERTIES
                     FIXTURES_REQUIRED clb_http_server LABELS "network;slow" TIMEOUT 180)
