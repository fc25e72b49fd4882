# SPDX-License-Identifier: Apache-2.0
# W3C SHACL Core test suite (../shared/conformance/shacl/core): one ctest.
# Included by CMakeLists.txt here; skips in shacl-skip.txt.
add_executable(shacl_conformance ${CMAKE_CURRENT_LIST_DIR}/shacl_conformance.cpp)
target_link_libraries(shacl_conformance PRIVATE engine_shacl engine_db engine_sparql engine_store engine_rdf)
target_compile_definitions(shacl_conformance PRIVATE WEFT_SOURCE_DIR="${PROJECT_SOURCE_DIR}")

add_test(NAME conformance.shacl-core COMMAND shacl_conformance)
set_tests_properties(conformance.shacl-core PROPERTIES LABELS conformance SKIP_RETURN_CODE 77 TIMEOUT 600)
