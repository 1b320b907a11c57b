# arch.state (label `arch`, tests/arch/check_state.py): no engine object file holds a
# symbol in writable memory (.data, .bss, their thread-local forms, common symbols):
# the engine's state is passed down, never kept in a `static` variable, except the few
# pieces that mirror a third-party library's process-wide or per-thread state, each
# listed with its reason in the script.
add_test(NAME arch.state
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/arch/check_state.py
                 "--objects=$<TARGET_OBJECTS:circulab_objects>")
set_tests_properties(arch.state PROPERTIES LABELS "arch;unit" TIMEOUT 60)
