# Text values are one line (tests/text/test_text_values.py): the reader refuses line
# breaks in every text value, from documents and CSV files alike.
add_test(NAME integrity.text_values COMMAND ${Python3_EXECUTABLE}
         ${CMAKE_CURRENT_SOURCE_DIR}/text/test_text_values.py ${CLB_CLI})
set_tests_properties(integrity.text_values PROPERTIES LABELS "cli;integrity" TIMEOUT 300)
