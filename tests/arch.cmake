# The house's layers (label `arch`, docs/ARCHITECTURE.md): tests/arch/check_layers.py
#   arch.includes  engine includes point down the layers; third-party headers stay in
#                  their one module; the CLI includes only the public headers
#   arch.calls     calls between engine files point down too, with no circle
#   arch.size      no engine source file is over 1,300 lines
foreach(check includes size)
  add_test(NAME arch.${check}
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/arch/check_layers.py
                   --source ${PROJECT_SOURCE_DIR} ${check})
  set_tests_properties(arch.${check} PROPERTIES LABELS "arch;unit" TIMEOUT 60)
endforeach()
add_test(NAME arch.calls
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/arch/check_layers.py
                 --source ${PROJECT_SOURCE_DIR}
                 "--objects=$<TARGET_OBJECTS:circulab_objects>" calls)
set_tests_properties(arch.calls PROPERTIES LABELS "arch;unit" TIMEOUT 60)
