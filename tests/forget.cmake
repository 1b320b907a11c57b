# Workers' data rights: `worker show --json` as the whole record, `worker forget` by
# id and by retention date, the erased values absent from every file of a real SQLite
# database and from every export, and every later command still working.
add_test(NAME cli.desk.forget COMMAND ${Python3_EXECUTABLE}
         ${CMAKE_CURRENT_SOURCE_DIR}/desk/test_forget.py ${CLB_CLI}
         ${CMAKE_CURRENT_SOURCE_DIR}/../scenarios)
set_tests_properties(cli.desk.forget PROPERTIES LABELS "cli;store;desk" TIMEOUT 300)
