# SPDX-License-Identifier: Apache-2.0
# JSONPath (RFC 9535) Compliance Test Suite: one ctest over cts.json in
# ../shared/conformance/jsonpath (override with -DWEFT_JSONPATH_CTS=FILE).
# Included by CMakeLists.txt here; skips in jsonpath-skip.txt.
set(WEFT_JSONPATH_CTS "${PROJECT_SOURCE_DIR}/../shared/conformance/jsonpath/cts.json"
    CACHE FILEPATH "JSONPath compliance test suite (cts.json)")

add_executable(jsonpath_conformance ${CMAKE_CURRENT_LIST_DIR}/jsonpath_conformance.cpp)
target_link_libraries(jsonpath_conformance PRIVATE engine_jsonpath)
target_compile_definitions(jsonpath_conformance PRIVATE WEFT_SOURCE_DIR="${PROJECT_SOURCE_DIR}")

add_test(NAME conformance.jsonpath
         COMMAND jsonpath_conformance --cts ${WEFT_JSONPATH_CTS}
                 --skip ${CMAKE_CURRENT_LIST_DIR}/jsonpath-skip.txt)
set_tests_properties(conformance.jsonpath PROPERTIES LABELS conformance SKIP_RETURN_CODE 77)
