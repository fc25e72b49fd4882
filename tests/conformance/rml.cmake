# SPDX-License-Identifier: Apache-2.0
# RML / R2RML conformance (../shared/conformance/rml): one ctest per suite,
# each with the pass rate issue 4 requires; skips in rml-skip.txt.
add_executable(rml_conformance ${CMAKE_CURRENT_LIST_DIR}/rml_conformance.cpp)
target_link_libraries(rml_conformance PRIVATE engine_map engine_sources PkgConfig::SQLITE3)
target_compile_definitions(rml_conformance PRIVATE WEFT_SOURCE_DIR="${PROJECT_SOURCE_DIR}")

foreach(pair rml-core:95 rml-io:95 rml-fnml:90 rml-legacy:95 r2rml:90 rml-lv:80)
  string(REPLACE ":" ";" parts ${pair})
  list(GET parts 0 suite)
  list(GET parts 1 rate)
  add_test(NAME conformance.${suite} COMMAND rml_conformance ${suite} --min-pass ${rate})
  set_tests_properties(conformance.${suite} PROPERTIES LABELS conformance SKIP_RETURN_CODE 77 TIMEOUT 600)
endforeach()
