# SPDX-License-Identifier: Apache-2.0
# W3C RDF Dataset Canonicalization (RDFC-1.0) suite (../shared/conformance/rdf-canon):
# one ctest. Included by CMakeLists.txt here; skips in rdfcanon-skip.txt.
add_executable(rdfcanon_conformance ${CMAKE_CURRENT_LIST_DIR}/rdfcanon_conformance.cpp)
target_link_libraries(rdfcanon_conformance PRIVATE engine_rdf)
target_compile_definitions(rdfcanon_conformance PRIVATE WEFT_SOURCE_DIR="${PROJECT_SOURCE_DIR}")

add_test(NAME conformance.rdf-canon COMMAND rdfcanon_conformance)
set_tests_properties(conformance.rdf-canon PROPERTIES LABELS conformance SKIP_RETURN_CODE 77 TIMEOUT 300)
