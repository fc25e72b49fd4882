// SPDX-License-Identifier: Apache-2.0
// IRIs of the SHACL, RDF, RDFS, OWL and XSD vocabularies the validator reads
// and writes (https://www.w3.org/ns/shacl.ttl).
#pragma once

#include <string>
#include <string_view>

#include "engine/shacl/shacl.h"

namespace weft::shacl::internal {

inline std::string sh(std::string_view local) { return std::string(kSh) + std::string(local); }

inline constexpr std::string_view kRdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
inline constexpr std::string_view kRdfFirst = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first";
inline constexpr std::string_view kRdfRest = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest";
inline constexpr std::string_view kRdfNil = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil";
inline constexpr std::string_view kRdfsClass = "http://www.w3.org/2000/01/rdf-schema#Class";
inline constexpr std::string_view kRdfsSubClassOf =
    "http://www.w3.org/2000/01/rdf-schema#subClassOf";
inline constexpr std::string_view kOwlImports = "http://www.w3.org/2002/07/owl#imports";
inline constexpr std::string_view kXsdBoolean = "http://www.w3.org/2001/XMLSchema#boolean";
inline constexpr std::string_view kXsdInteger = "http://www.w3.org/2001/XMLSchema#integer";
inline constexpr std::string_view kXsdString = "http://www.w3.org/2001/XMLSchema#string";
inline constexpr std::string_view kRdfLangString =
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";

inline constexpr std::string_view kShViolation = "http://www.w3.org/ns/shacl#Violation";
inline constexpr std::string_view kShWarning = "http://www.w3.org/ns/shacl#Warning";
inline constexpr std::string_view kShInfo = "http://www.w3.org/ns/shacl#Info";

}  // namespace weft::shacl::internal
