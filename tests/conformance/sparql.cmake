# SPDX-License-Identifier: Apache-2.0
# W3C SPARQL 1.0 / 1.1 test suites (../shared/conformance/w3c-rdf-tests/sparql):
# syntax, query evaluation, update evaluation and result formats, one ctest
# per suite. Included by CMakeLists.txt here; skips in sparql-skip.txt.
add_executable(sparql_conformance ${CMAKE_CURRENT_LIST_DIR}/sparql_conformance.cpp)
target_link_libraries(sparql_conformance PRIVATE engine_db engine_sparql engine_store engine_rdf)
target_compile_definitions(sparql_conformance PRIVATE WEFT_SOURCE_DIR="${PROJECT_SOURCE_DIR}")

foreach(suite sparql10-syntax sparql10-eval sparql11-query sparql11-update sparql11-results sparql11-fed)
  add_test(NAME conformance.${suite} COMMAND sparql_conformance ${suite})
  set_tests_properties(conformance.${suite} PROPERTIES LABELS conformance SKIP_RETURN_CODE 77
                       TIMEOUT 1800)
endforeach()
