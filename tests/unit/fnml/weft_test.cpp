// SPDX-License-Identifier: Apache-2.0
// Unit tests of weft's date/time, number and unit functions
// (engine/fnml/weft.cpp, engine/fnml/internal/datetime.cpp).
#include <gtest/gtest.h>

#include "engine/fnml/internal/datetime.h"
#include "tests/unit/fnml/fnml_test_util.h"

namespace weft::fnml::test {
namespace {

using sources::ValueKind;

std::string parseDate(const std::string& v, const std::string& p, const std::string& lang = "") {
  Inputs in{{W + "value", {v}}, {W + "pattern", {p}}};
  if (!lang.empty()) in.push_back({W + "lang", {lang}});
  return one(W + "parseDate", in);
}
std::string parseDateTime(const std::string& v, const std::string& p) {
  return one(W + "parseDateTime", {{W + "value", {v}}, {W + "pattern", {p}}});
}

TEST(WeftDate, ParseDate) {
  EXPECT_EQ(parseDate("05/03/2024", "dd/MM/yyyy"), "2024-03-05");
  EXPECT_EQ(parseDate("5/3/2024", "d/M/yyyy"), "2024-03-05");
  EXPECT_EQ(parseDate("3-5-24", "M-d-yy"), "2024-03-05");
  EXPECT_EQ(parseDate("March 5, 2024", "MMMM d, yyyy"), "2024-03-05");
  EXPECT_EQ(parseDate("5 Mar 2024", "d MMM yyyy"), "2024-03-05");
  EXPECT_EQ(parseDate("Tue, 5 Mar 2024", "EEE, d MMM yyyy"), "2024-03-05");
  EXPECT_EQ(parseDate("5. März 2024", "d. MMMM yyyy", "de"), "2024-03-05");
  EXPECT_EQ(parseDate("5 de marzo de 2024", "d 'de' MMMM 'de' yyyy", "es"), "2024-03-05");
  EXPECT_EQ(parseDate("29/02/2024", "dd/MM/yyyy"), "2024-02-29");
  EXPECT_EQ(parseDate("2024-03-05+01:00", "yyyy-MM-ddXXX"), "2024-03-05+01:00");
  auto r = run(W + "parseDate", {{W + "value", {"05/03/2024"}}, {W + "pattern", {"dd/MM/yyyy"}}});
  ASSERT_TRUE(r.isOk());
  EXPECT_EQ(r.value()[0].datatype, "http://www.w3.org/2001/XMLSchema#date");
}

TEST(WeftDate, ParseDateErrors) {
  EXPECT_TRUE(isError(parseDate("29/02/2023", "dd/MM/yyyy")));  // not a leap year
  EXPECT_TRUE(isError(parseDate("31/04/2024", "dd/MM/yyyy")));
  EXPECT_TRUE(isError(parseDate("13/13/2024", "dd/MM/yyyy")));
  EXPECT_TRUE(isError(parseDate("05-03-2024", "dd/MM/yyyy")));
  EXPECT_TRUE(isError(parseDate("05/03/2024 extra", "dd/MM/yyyy")));
  EXPECT_TRUE(isError(parseDate("05/2024", "MM/yyyy")));  // no day
  EXPECT_TRUE(isError(parseDate("5 Foo 2024", "d MMM yyyy")));
  EXPECT_TRUE(isError(parseDate("5 juin 2024", "d MMMM yyyy", "xx")));
  EXPECT_TRUE(isError(parseDate("2024", "yyyy[MM]")));
  std::string msg = parseDate("31/04/2024", "dd/MM/yyyy");
  EXPECT_NE(msg.find("parseDate"), std::string::npos) << msg;
  EXPECT_NE(msg.find("does not exist"), std::string::npos) << msg;
}

TEST(WeftDate, ParseDateTime) {
  EXPECT_EQ(parseDateTime("05/03/2024 14:30", "dd/MM/yyyy HH:mm"), "2024-03-05T14:30:00");
  EXPECT_EQ(parseDateTime("20240305T143000Z", "yyyyMMdd'T'HHmmssX"), "2024-03-05T14:30:00Z");
  EXPECT_EQ(parseDateTime("2024-03-05 14:30:15.250 +0200", "yyyy-MM-dd HH:mm:ss.SSS Z"),
            "2024-03-05T14:30:15.25+02:00");
  EXPECT_EQ(parseDateTime("05/03/2024 12:00 AM", "dd/MM/yyyy hh:mm a"), "2024-03-05T00:00:00");
  EXPECT_EQ(parseDateTime("05/03/2024 12:00 PM", "dd/MM/yyyy hh:mm a"), "2024-03-05T12:00:00");
  EXPECT_EQ(parseDateTime("05/03/2024", "dd/MM/yyyy"), "2024-03-05T00:00:00");
  EXPECT_EQ(parseDateTime("2024-03-05 10:00 UTC", "yyyy-MM-dd HH:mm z"), "2024-03-05T10:00:00Z");
  EXPECT_EQ(parseDateTime("It's 2024-03-05", "'It''s' yyyy-MM-dd"), "2024-03-05T00:00:00");
  EXPECT_TRUE(isError(parseDateTime("05/03/2024 24:00", "dd/MM/yyyy HH:mm")));
  EXPECT_TRUE(isError(parseDateTime("05/03/2024 10:60", "dd/MM/yyyy HH:mm")));
  auto r = run(W + "parseDateTime", {{W + "value", {"05/03/2024 14:30"}}, {W + "pattern", {"dd/MM/yyyy HH:mm"}}});
  ASSERT_TRUE(r.isOk());
  EXPECT_EQ(r.value()[0].datatype, "http://www.w3.org/2001/XMLSchema#dateTime");
}

TEST(WeftDate, FormatAndConvert) {
  auto fmt = [](const std::string& v, const std::string& p, const std::string& lang = "") {
    Inputs in{{W + "value", {v}}, {W + "pattern", {p}}};
    if (!lang.empty()) in.push_back({W + "lang", {lang}});
    return one(W + "formatDate", in);
  };
  EXPECT_EQ(fmt("2024-03-05", "dd/MM/yyyy"), "05/03/2024");
  EXPECT_EQ(fmt("2024-03-05", "EEEE d MMMM yyyy"), "Tuesday 5 March 2024");
  EXPECT_EQ(fmt("2024-03-05", "EEE d MMM yy"), "Tue 5 Mar 24");
  EXPECT_EQ(fmt("2024-03-05", "EEEE d MMMM yyyy", "nl"), "dinsdag 5 maart 2024");
  EXPECT_EQ(fmt("2024-03-05T19:05:09.5Z", "h:mm:ss.SSS a XXX"), "7:05:09.500 PM Z");
  EXPECT_EQ(fmt("2024-03-05T19:05:09-05:30", "HH:mm XXX"), "19:05 -05:30");
  EXPECT_EQ(fmt("2000-01-01", "EEEE"), "Saturday");
  EXPECT_TRUE(isError(fmt("2024-03-05", "HH:mm X")));  // no offset
  EXPECT_TRUE(isError(fmt("05/03/2024", "yyyy")));     // not xsd
  EXPECT_EQ(one(W + "convertDate",
                {{W + "value", {"03/05/2024"}}, {W + "inputPattern", {"MM/dd/yyyy"}}, {W + "pattern", {"d MMMM yyyy"}}}),
            "5 March 2024");
}

TEST(WeftDate, Internals) {
  using internal::daysInMonth;
  EXPECT_EQ(daysInMonth(2024, 2), 29);
  EXPECT_EQ(daysInMonth(1900, 2), 28);
  EXPECT_EQ(daysInMonth(2000, 2), 29);
  EXPECT_EQ(daysInMonth(2023, 4), 30);
  internal::DateTimeParts p;
  EXPECT_TRUE(internal::parseIsoDateTime("2024-03-05T10:20:30.123+01:00", &p).isOk());
  EXPECT_EQ(p.offset_minutes, 60);
  EXPECT_EQ(p.fraction, "123");
  EXPECT_FALSE(internal::parseIsoDateTime("2024-02-30", &p).isOk());
  EXPECT_FALSE(internal::parseIsoDateTime("24-02-03", &p).isOk());
}

TEST(WeftNumber, ParseNumber) {
  auto num = [](const std::string& v, const std::string& dec = "", const std::string& grp = "") {
    Inputs in{{W + "value", {v}}};
    if (!dec.empty()) in.push_back({W + "decimalSeparator", {dec}});
    if (!grp.empty()) in.push_back({W + "groupingSeparator", {grp}});
    return run(W + "parseNumber", in);
  };
  auto text = [&](const std::string& v, const std::string& dec = "", const std::string& grp = "") {
    auto r = num(v, dec, grp);
    return r.isOk() ? r.value().at(0).text : "<error: " + r.status().message() + ">";
  };
  EXPECT_EQ(text("1,234.50"), "1234.5");
  EXPECT_EQ(text("1.234,50", ","), "1234.5");
  EXPECT_EQ(text("12 000", ",", " "), "12000");
  EXPECT_EQ(text("12\xC2\xA0" "000,5", ",", " "), "12000.5");
  EXPECT_EQ(text(" -007 "), "-7");
  EXPECT_EQ(text("+0.0"), "0");
  EXPECT_EQ(text("1.5e3"), "1.5e3");
  EXPECT_EQ(num("42").value()[0].kind, ValueKind::kInteger);
  EXPECT_EQ(num("4.2").value()[0].kind, ValueKind::kDecimal);
  EXPECT_EQ(num("4.2E1").value()[0].kind, ValueKind::kDouble);
  EXPECT_TRUE(isError(text("12abc")));
  EXPECT_TRUE(isError(text("")));
  EXPECT_TRUE(isError(text("1.2.3", ".", "'")));
  EXPECT_TRUE(isError(text("1", ",", ",")));
}

TEST(WeftUnits, ConvertUnit) {
  auto cv = [](const std::string& v, const std::string& from, const std::string& to) {
    return one(W + "convertUnit", {{W + "value", {v}}, {W + "fromUnit", {from}}, {W + "toUnit", {to}}});
  };
  EXPECT_EQ(cv("100", "C", "F"), "212");
  EXPECT_EQ(cv("37", "°C", "F"), "98.6");
  EXPECT_EQ(cv("32", "FAH", "CEL"), "0");
  EXPECT_EQ(cv("0", "celsius", "K"), "273.15");
  EXPECT_EQ(cv("300", "K", "C"), "26.85");
  EXPECT_EQ(cv("-40", "F", "C"), "-40");
  EXPECT_EQ(cv("1500", "g", "kg"), "1.5");
  EXPECT_EQ(cv("2.5", "KGM", "GRM"), "2500");
  EXPECT_EQ(cv("250", "mg", "g"), "0.25");
  EXPECT_EQ(cv("1", "lb", "g"), "453.59237");
  EXPECT_EQ(cv("1.5", "L", "mL"), "1500");
  EXPECT_EQ(cv("330", "ml", "l"), "0.33");
  EXPECT_EQ(cv("1", "MTQ", "LTR"), "1000");
  EXPECT_EQ(cv("1", "gal", "L"), "3.785411784");
  EXPECT_EQ(cv("12", "in", "cm"), "30.48");
  EXPECT_TRUE(isError(cv("1", "kg", "L")));
  EXPECT_TRUE(isError(cv("1", "parsec", "m")));
  EXPECT_TRUE(isError(cv("-300", "C", "K")));
  EXPECT_TRUE(isError(cv("abc", "g", "kg")));
  auto r = run(W + "convertUnit", {{W + "value", {"1"}}, {W + "fromUnit", {"kg"}}, {W + "toUnit", {"g"}}});
  ASSERT_TRUE(r.isOk());
  EXPECT_EQ(r.value()[0].kind, ValueKind::kDecimal);
}

}  // namespace
}  // namespace weft::fnml::test
