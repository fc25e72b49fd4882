# SPDX-License-Identifier: Apache-2.0
# JSON-LD 1.1 API conformance (expand and toRdf manifests of
# ../shared/conformance/json-ld/tests). Included by CMakeLists.txt here.
add_executable(jsonld_conformance ${CMAKE_CURRENT_LIST_DIR}/jsonld_conformance.cpp)
target_link_libraries(jsonld_conformance PRIVATE engine_rdf)
target_compile_definitions(jsonld_conformance PRIVATE WEFT_SOURCE_DIR="${PROJECT_SOURCE_DIR}")

foreach(suite toRdf expand)
  add_test(NAME conformance.jsonld-${suite} COMMAND jsonld_conformance ${suite})
  set_tests_properties(conformance.jsonld-${suite} PROPERTIES LABELS conformance SKIP_RETURN_CODE 77)
endforeach()
