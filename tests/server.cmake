# The employer portal suite (label `server`): tokens, `circulab serve` started by the
# tests on a free port of 127.0.0.1, the JSON API over real HTTP, isolation between
# employers, concurrency with `round run`, and the pages in a headless Chromium.
add_test(NAME server.tokens COMMAND ${Python3_EXECUTABLE}
         ${CMAKE_CURRENT_SOURCE_DIR}/server/test_tokens.py ${CLB_CLI})
set_tests_properties(server.tokens PROPERTIES LABELS "server;cli" TIMEOUT 300)

add_test(NAME server.api COMMAND ${Python3_EXECUTABLE}
         ${CMAKE_CURRENT_SOURCE_DIR}/server/test_api.py ${CLB_CLI})
set_tests_properties(server.api PROPERTIES LABELS "server" TIMEOUT 300)

add_test(NAME server.concurrency COMMAND ${Python3_EXECUTABLE}
         ${CMAKE_CURRENT_SOURCE_DIR}/server/test_concurrency.py ${CLB_CLI})
set_tests_properties(server.concurrency PROPERTIES LABELS "server" TIMEOUT 600)

# The pages in a headless Chromium (Debian chromium + chromium-driver); screenshots of
# each page are kept in the build tree. Exit 77 (skipped) only when the browser is
# missing and CI is not set.
add_test(NAME server.pages_chromium COMMAND ${Python3_EXECUTABLE}
         ${CMAKE_CURRENT_SOURCE_DIR}/server/test_pages_chromium.py ${CLB_CLI}
         ${CMAKE_CURRENT_BINARY_DIR}/server-screenshots)
set_tests_properties(server.pages_chromium PROPERTIES LABELS "server" TIMEOUT 300
                     SKIP_RETURN_CODE 77)

# The curl examples of docs/PORTAL.md, run as they are against a live server.
add_test(NAME server.docs COMMAND ${Python3_EXECUTABLE}
         ${CMAKE_CURRENT_SOURCE_DIR}/server/test_docs.py ${CLB_CLI})
set_tests_properties(server.docs PROPERTIES LABELS "server" TIMEOUT 120 SKIP_RETURN_CODE 77)

add_test(NAME server.limits COMMAND ${Python3_EXECUTABLE}
         ${CMAKE_CURRENT_SOURCE_DIR}/server/test_limits.py ${CLB_CLI})
set_tests_properties(server.limits PROPERTIES LABELS "server" TIMEOUT 300)

add_test(NAME server.maps COMMAND ${Python3_EXECUTABLE}
         ${CMAKE_CURRENT_SOURCE_DIR}/server/test_maps.py ${CLB_CLI})
set_tests_properties(server.maps PROPERTIES LABELS "server;cli" TIMEOUT 120)

# The pages over plain HTTP: security headers, cookie attributes, CSRF refusals,
# isolation between employers on every page path and method (no browser needed).
add_test(NAME server.pages_http COMMAND ${Python3_EXECUTABLE}
         ${CMAKE_CURRENT_SOURCE_DIR}/server/test_pages_http.py ${CLB_CLI})
set_tests_properties(server.pages_http PROPERTIES LABELS "server" TIMEOUT 300)
