// SPDX-License-Identifier: Apache-2.0
// Text helpers the watch's graph writers share (drift alarms, failure predictions).
#pragma once

#include <string>

namespace weft::watch::internal {

// "%.10g": enough digits for a statistic, no trailing zeros.
std::string formatNumber(double v);
// `s` percent-encoded except unreserved characters (RFC 3986), for one IRI path segment.
std::string iriSegment(const std::string& s);

}  // namespace weft::watch::internal
