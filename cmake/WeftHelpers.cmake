# SPDX-License-Identifier: Apache-2.0
# Small helpers: warnings, one library per module, one test binary per module.

function(weft_set_warnings)
  add_compile_options(-Wall -Wextra)
  if(WEFT_WERROR)
    add_compile_options(-Werror)
  endif()
endfunction()

# weft_module(NAME DEPS dep...): library engine_NAME from engine/NAME/*.cpp.
# Include paths start at the repository root ("engine/rdf/term.h").
function(weft_module name)
  cmake_parse_arguments(M "" "DIR" "DEPS" ${ARGN})
  if(NOT M_DIR)
    set(M_DIR ${CMAKE_CURRENT_SOURCE_DIR}/${name})
  endif()
  file(GLOB srcs CONFIGURE_DEPENDS ${M_DIR}/*.cpp ${M_DIR}/internal/*.cpp)
  if(NOT srcs)  # a module still being written: headers only
    add_library(engine_${name} INTERFACE)
    target_include_directories(engine_${name} INTERFACE ${PROJECT_SOURCE_DIR})
    target_link_libraries(engine_${name} INTERFACE ${M_DEPS})
    return()
  endif()
  add_library(engine_${name} STATIC ${srcs})
  target_include_directories(engine_${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(engine_${name} PUBLIC ${M_DEPS})
endfunction()

# weft_unit_tests(NAME DEPS lib...): one GoogleTest binary from tests/unit/NAME/*_test.cpp.
function(weft_unit_tests name)
  cmake_parse_arguments(T "" "" "DEPS" ${ARGN})
  file(GLOB srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/unit/${name}/*_test.cpp)
  if(NOT srcs)
    return()
  endif()
  add_executable(unit_${name} ${srcs})
  target_link_libraries(unit_${name} PRIVATE ${T_DEPS} GTest::gtest GTest::gtest_main GTest::gmock)
  target_compile_definitions(unit_${name} PRIVATE WEFT_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  gtest_discover_tests(unit_${name} PROPERTIES LABELS unit DISCOVERY_TIMEOUT 60)
endfunction()
