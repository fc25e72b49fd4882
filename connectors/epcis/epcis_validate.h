// SPDX-License-Identifier: Apache-2.0
// Checks of GS1 EPCIS documents before anything is written (the epcis-json
// and epcis-xml connectors, connectors/epcis/epcis.cpp): the rules of the
// EPCIS 2.0 JSON schema and of the standard that matter for ingesting
// (mandatory fields, action, dateTimes with offsets, CBV business steps,
// dispositions and source/destination types, quantity elements, namespaced
// extensions, error declarations, sensor reports), and the same level for
// the XML bindings (EPCIS 1.2 and 2.0). An error names the event (1-based
// index and type) and the reason:
//   event 3 (ObjectEvent): action "ADDD" is not ADD, OBSERVE or DELETE
#pragma once

#include <cstdint>
#include <string_view>

#include "engine/core/status.h"

namespace weft::connectors::epcis {

// What a JSON file is, from its content (for detect()).
enum class JsonKind { kNotJson, kEventDocument, kQueryDocument, kQuery, kSchema, kContext, kOther };
JsonKind classifyJson(std::string_view text);

// Validates an EPCIS 2.0 JSON / JSON-LD document (EPCISDocument or
// EPCISQueryDocument). `events` (may be null) gets the number of events.
Status validateJson(std::string_view text, uint64_t* events);

// Validates an EPCIS 1.2 or 2.0 XML document (EPCISDocument or
// EPCISQueryDocument).
Status validateXml(std::string_view text, uint64_t* events);

// The CBV 2.0 vocabularies (shared/ontologies/gs1-epcis/CBV.ttl).
bool isCbvBizStep(std::string_view bare);
bool isCbvDisposition(std::string_view bare);

// xsd:dateTime with a time-zone offset (Z or +hh:mm), as EPCIS requires.
bool isDateTimeWithOffset(std::string_view s);

}  // namespace weft::connectors::epcis
