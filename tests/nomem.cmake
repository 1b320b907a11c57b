# The allocation-failure sweep (tests/nomem/sweep.c, docs/TESTING.md): the n-th
# allocation of `validate`, `solve` of a small scenario and `import` fails, for every n
# up to a bound and then at a stride, and each run must end in a clean out-of-memory
# error with nothing leaked and the database unchanged. Label `nomem`: a bounded sample
# (every n up to 400, then every 11th), in the normal suite and under ASan. Label
# `nomem-full` (and `slow`): every n up to 3000, then every 3rd, one command:
#   ctest -L nomem-full   (in build-asan/, for leaks and memory errors too)
add_executable(nomem_sweep ${CMAKE_CURRENT_SOURCE_DIR}/nomem/sweep.c)
target_compile_options(nomem_sweep PRIVATE ${CLB_WARNINGS})
target_compile_definitions(nomem_sweep PRIVATE _POSIX_C_SOURCE=200809L)
target_link_libraries(nomem_sweep PRIVATE circulab_internal)

set(CLB_NOMEM_WORK ${CMAKE_CURRENT_BINARY_DIR}/nomem)
file(MAKE_DIRECTORY ${CLB_NOMEM_WORK})
set(CLB_NOMEM_VALID ${CMAKE_CURRENT_SOURCE_DIR}/data/valid/full/scenario.json)
set(CLB_NOMEM_INVALID
    ${CMAKE_CURRENT_SOURCE_DIR}/data/invalid/unknown-keys-everywhere/scenario.json)
set(CLB_NOMEM_SOLVE ${CMAKE_CURRENT_SOURCE_DIR}/data/valid/full/scenario.json)
set(CLB_NOMEM_IMPORT ${CMAKE_CURRENT_SOURCE_DIR}/nomem/base.json
    ${CMAKE_CURRENT_SOURCE_DIR}/data/valid/full/scenario.json
    ${CMAKE_CURRENT_SOURCE_DIR}/nomem/workers.csv)

# name, operation, files; then the sample's and the full sweep's bounds and strides
foreach(spec "validate;validate;${CLB_NOMEM_VALID}"
             "validate-invalid;validate;${CLB_NOMEM_INVALID}"
             "solve;solve;${CLB_NOMEM_SOLVE}"
             "import;import;${CLB_NOMEM_IMPORT}")
  list(GET spec 0 name)
  list(GET spec 1 op)
  list(SUBLIST spec 2 -1 files)
  add_test(NAME nomem.${name}
           COMMAND nomem_sweep ${op} ${CLB_NOMEM_WORK} 400 11 ${files})
  set_tests_properties(nomem.${name} PROPERTIES LABELS "nomem" TIMEOUT 600)
  add_test(NAME nomem-full.${name}
           COMMAND nomem_sweep ${op} ${CLB_NOMEM_WORK} 3000 3 ${files})
  set_tests_properties(nomem-full.${name} PROPERTIES LABELS "nomem-full;slow" TIMEOUT 0)
endforeach()

# GLPK's allocation failures, through its memory limit (tests/nomem/glpk_limit.c): a
# small scenario solved with 0 .. all of the memory it needs left under the limit.
add_executable(nomem_glpk ${CMAKE_CURRENT_SOURCE_DIR}/nomem/glpk_limit.c)
target_include_directories(nomem_glpk PRIVATE ${GLPK_INCLUDE_DIR})
target_compile_options(nomem_glpk PRIVATE ${CLB_WARNINGS})
target_compile_definitions(nomem_glpk PRIVATE _POSIX_C_SOURCE=200809L)
target_link_libraries(nomem_glpk PRIVATE circulab_internal ${GLPK_LIBRARY})
# A larger solve (the itinerary master, pricing, reintegration), every n in the normal
# suite too: its 3,700 allocations take seconds, and a plan that changes with memory
# is found at exactly one n.
add_test(NAME nomem.solve-reintegration
         COMMAND nomem_sweep solve ${CLB_NOMEM_WORK} 1000000 1
                 ${PROJECT_SOURCE_DIR}/scenarios/reintegration-required.json)
set_tests_properties(nomem.solve-reintegration PROPERTIES LABELS "nomem" TIMEOUT 600)

# No raw malloc, calloc, realloc, strdup, strndup or free in engine/ outside the hook.
add_test(NAME unit.raw-allocations
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/nomem/raw_allocations.py
                 ${PROJECT_SOURCE_DIR}/engine)
set_tests_properties(unit.raw-allocations PROPERTIES LABELS unit TIMEOUT 60)

add_test(NAME nomem.glpk-limit COMMAND nomem_glpk ${CLB_NOMEM_SOLVE} 60)
set_tests_properties(nomem.glpk-limit PROPERTIES LABELS "nomem" TIMEOUT 600)
add_test(NAME nomem-full.glpk-limit COMMAND nomem_glpk ${CLB_NOMEM_SOLVE} 2000)
set_tests_properties(nomem-full.glpk-limit PROPERTIES LABELS "nomem-full;slow" TIMEOUT 0)
