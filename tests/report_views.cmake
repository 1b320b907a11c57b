# The HTML report of a comparison in a headless Chromium at 1280 and 390 px (label
# `planners`; Debian chromium + chromium-driver, skipped without them unless CI=true
# or CLB_REQUIRE_TEST_TOOLS=1):
# the fill-by-employer and origin charts, each variant's differences from the base
# drawn either side of zero, the table of moved placements, no horizontal overflow on
# a phone. Screenshots are kept in the build tree, report-screenshots/.
add_test(NAME planners.report_views
         COMMAND ${Python3_EXECUTABLE}
                 ${CMAKE_CURRENT_SOURCE_DIR}/report_views/test_report_views.py ${CLB_CLI}
                 ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/report-screenshots
         WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
set_tests_properties(planners.report_views PROPERTIES LABELS "planners" TIMEOUT 600
                     SKIP_RETURN_CODE 77)

# The same differences read from the HTML without a browser, on a tiny comparison
# worked out by hand (tests/report_views/test_report_diff.py).
add_test(NAME planners.report_diff
         COMMAND ${Python3_EXECUTABLE}
                 ${CMAKE_CURRENT_SOURCE_DIR}/report_views/test_report_diff.py ${CLB_CLI}
                 ${PROJECT_SOURCE_DIR}
         WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
set_tests_properties(planners.report_diff PROPERTIES LABELS "planners;cli" TIMEOUT 120)
