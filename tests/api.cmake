# The public API (label `api`, docs/ARCHITECTURE.md "Public API"):
#   api.header.<name>   each public header compiles alone, -Wall -Wextra -Wpedantic -Werror
#   api.exports         libcirculab.so exports the CLB_EXTERN functions and nothing else,
#                       and the CLI needs nothing from the engine beyond them
#   api.install         `cmake --install` into a temporary prefix, then a small program
#                       built against it twice: with pkg-config and with find_package
file(GLOB CLB_PUBLIC_HEADERS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/include/circulab/*.h
     ${PROJECT_SOURCE_DIR}/include/circulab.h)
foreach(header ${CLB_PUBLIC_HEADERS})
  get_filename_component(name ${header} NAME_WE)
  add_test(NAME api.header.${name}
           COMMAND ${CMAKE_C_COMPILER} -std=c11 -Wall -Wextra -Wpedantic -Werror
                   -fsyntax-only -I${PROJECT_SOURCE_DIR}/include -x c ${header})
  set_tests_properties(api.header.${name} PROPERTIES LABELS "api;unit" TIMEOUT 60)
endforeach()

add_test(NAME api.exports
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/api/check_exports.py
                 --library $<TARGET_FILE:circulab>
                 --include ${PROJECT_SOURCE_DIR}/include
                 --cli-objects $<TARGET_OBJECTS:circulab_cli>)
set_tests_properties(api.exports PROPERTIES LABELS "api;unit" TIMEOUT 60)

# A sanitizer build's library needs its runtime first in the program that loads it.
set(CLB_CONSUMER_FLAGS "")
if(CLB_SANITIZE)
  set(CLB_CONSUMER_FLAGS "-fsanitize=address,undefined")
endif()
add_test(NAME api.install
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/api/check_install.py
                 --build ${PROJECT_BINARY_DIR} --cc ${CMAKE_C_COMPILER}
                 --cmake ${CMAKE_COMMAND} --program ${CMAKE_CURRENT_SOURCE_DIR}/api/consumer.c
                 "--cflags=${CLB_CONSUMER_FLAGS}")
set_tests_properties(api.install PROPERTIES LABELS "api" TIMEOUT 300)
