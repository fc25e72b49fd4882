// SPDX-License-Identifier: Apache-2.0
// Unit tests of the GS1 functions (engine/fnml/gs1.cpp): check digits (GS1
// General Specifications 7.9), Digital Link IRIs (GS1 Digital Link URI
// Syntax 1.2) and EPC URN decoding (GS1 EPC Tag Data Standard 2.x; examples
// from its section 6.3 and from the EPCIS 2.0 examples).
#include <gtest/gtest.h>

#include "engine/fnml/internal/gs1.h"
#include "tests/unit/fnml/fnml_test_util.h"

namespace weft::fnml::test {
namespace {

using sources::ValueKind;

TEST(Gs1, CheckDigit) {
  using internal::gs1CheckDigit;
  EXPECT_EQ(gs1CheckDigit("0950600013435"), 2);  // 09506000134352 (GS1 examples)
  EXPECT_EQ(gs1CheckDigit("1061414107346"), 4);  // 10614141073464 (EPCIS examples)
  EXPECT_EQ(gs1CheckDigit("401234512345"), 6);   // 4012345123456 (EAN-13)
  EXPECT_EQ(gs1CheckDigit("9638507"), 4);        // 96385074 (GTIN-8)
  EXPECT_EQ(gs1CheckDigit("03600029145"), 2);    // 036000291452 (UPC-A)
  EXPECT_EQ(gs1CheckDigit("10614141234567890"), 8);  // SSCC 106141412345678908
  EXPECT_EQ(gs1CheckDigit(""), -1);
  EXPECT_EQ(gs1CheckDigit("12a"), -1);
}

TEST(Gs1, GtinValid) {
  auto valid = [](const std::string& g) { return one(W + "gtinValid", {{W + "gtin", {g}}}); };
  EXPECT_EQ(valid("09506000134352"), "true");
  EXPECT_EQ(valid("9506000134352"), "true");  // GTIN-13
  EXPECT_EQ(valid("036000291452"), "true");   // GTIN-12
  EXPECT_EQ(valid("96385074"), "true");       // GTIN-8
  EXPECT_EQ(valid("09506000134353"), "false");
  EXPECT_EQ(valid("0950600013435"), "false");  // wrong length for its check digit
  EXPECT_EQ(valid("123456789"), "false");
  EXPECT_EQ(valid("0950600013435X"), "false");
  auto r = run(W + "gtinValid", {{W + "gtin", {"09506000134352"}}});
  EXPECT_EQ(r.value()[0].kind, ValueKind::kBoolean);
}

TEST(Gs1, CheckDigitAndGtin14Functions) {
  EXPECT_EQ(one(W + "gtinCheckDigit", {{W + "gtin", {"0950600013435"}}}), "2");
  EXPECT_TRUE(isError(one(W + "gtinCheckDigit", {{W + "gtin", {"12345"}}})));
  EXPECT_EQ(one(W + "gtin14", {{W + "gtin", {"9506000134352"}}}), "09506000134352");
  EXPECT_EQ(one(W + "gtin14", {{W + "gtin", {"96385074"}}}), "00000096385074");
  std::string err = one(W + "gtin14", {{W + "gtin", {"09506000134353"}}});
  EXPECT_TRUE(isError(err));
  EXPECT_NE(err.find("expected 2"), std::string::npos) << err;
  EXPECT_NE(err.find("gtin14"), std::string::npos) << err;  // names the function
}

TEST(Gs1, DigitalLinks) {
  EXPECT_EQ(one(W + "gtinToDigitalLink", {{W + "gtin", {"09506000134352"}}}), "https://id.gs1.org/01/09506000134352");
  EXPECT_EQ(one(W + "gtinToDigitalLink", {{W + "gtin", {"9506000134352"}}}), "https://id.gs1.org/01/09506000134352");
  EXPECT_EQ(one(W + "gtinToDigitalLink", {{W + "gtin", {"09506000134352"}}, {W + "domain", {"https://example.com/"}}}),
            "https://example.com/01/09506000134352");
  EXPECT_TRUE(isError(one(W + "gtinToDigitalLink", {{W + "gtin", {"09506000134352"}}, {W + "domain", {"ftp://x"}}})));
  EXPECT_EQ(one(W + "gtinLotToDigitalLink", {{W + "gtin", {"09506000134352"}}, {W + "lot", {"ABC123"}}}),
            "https://id.gs1.org/01/09506000134352/10/ABC123");
  EXPECT_EQ(one(W + "gtinLotToDigitalLink", {{W + "gtin", {"09506000134352"}}, {W + "lot", {"A/B 1"}}}),
            "<error: function <https://w3id.org/weft/fn#gtinLotToDigitalLink>: lot \"A/B 1\" has a character outside "
            "GS1 character set 82>");
  EXPECT_EQ(one(W + "gtinLotToDigitalLink", {{W + "gtin", {"09506000134352"}}, {W + "lot", {"A/B%1"}}}),
            "https://id.gs1.org/01/09506000134352/10/A%2FB%251");
  EXPECT_EQ(one(W + "gtinSerialToDigitalLink", {{W + "gtin", {"10614141073464"}}, {W + "serial", {"2017"}}}),
            "https://id.gs1.org/01/10614141073464/21/2017");
  EXPECT_EQ(one(W + "gtinSerialToDigitalLink", {{W + "gtin", {"10614141073464"}}, {W + "serial", {"x\"y"}}}),
            "https://id.gs1.org/01/10614141073464/21/x%22y");
  EXPECT_TRUE(isError(one(W + "gtinSerialToDigitalLink",
                          {{W + "gtin", {"10614141073464"}}, {W + "serial", {"123456789012345678901"}}})));
  EXPECT_TRUE(isError(one(W + "gtinToDigitalLink", {{W + "gtin", {"09506000134353"}}})));
  EXPECT_EQ(one(W + "ssccToDigitalLink", {{W + "sscc", {"106141412345678908"}}}), "https://id.gs1.org/00/106141412345678908");
  EXPECT_TRUE(isError(one(W + "ssccToDigitalLink", {{W + "sscc", {"106141412345678909"}}})));
  EXPECT_TRUE(isError(one(W + "ssccToDigitalLink", {{W + "sscc", {"10614141234567890"}}})));
  EXPECT_EQ(one(W + "glnToDigitalLink", {{W + "gln", {"0614141073467"}}}), "https://id.gs1.org/414/0614141073467");
  EXPECT_TRUE(isError(one(W + "glnToDigitalLink", {{W + "gln", {"0614141073468"}}})));
  auto r = run(W + "gtinToDigitalLink", {{W + "gtin", {"09506000134352"}}});
  EXPECT_EQ(r.value()[0].kind, ValueKind::kIri);
}

TEST(Gs1, EpcUrns) {
  auto epc = [](const std::string& urn) { return one(W + "epcToDigitalLink", {{W + "epc", {urn}}}); };
  // The indicator digit is the first digit of the item reference field ("1" of 107346).
  EXPECT_EQ(epc("urn:epc:id:sgtin:0614141.107346.2017"), "https://id.gs1.org/01/10614141073464/21/2017");
  EXPECT_EQ(epc("urn:epc:id:sgtin:0614141.812345.6789"), "https://id.gs1.org/01/80614141123458/21/6789");
  EXPECT_EQ(epc("urn:epc:id:sgtin:9506000.013435.A%2FB"), "https://id.gs1.org/01/09506000134352/21/A%2FB");
  EXPECT_EQ(epc("urn:epc:class:lgtin:4012345.012345.998877"), "https://id.gs1.org/01/04012345123456/10/998877");
  EXPECT_EQ(epc("urn:epc:id:sscc:0614141.1234567890"), "https://id.gs1.org/00/106141412345678908");
  EXPECT_EQ(epc("urn:epc:id:sgln:0614141.07346.1234"), "https://id.gs1.org/414/0614141073467/254/1234");
  EXPECT_EQ(epc("urn:epc:id:sgln:0614141.07346.0"), "https://id.gs1.org/414/0614141073467");
  EXPECT_EQ(epc("urn:epc:id:grai:0614141.12345.400"), "https://id.gs1.org/8003/00614141123452400");
  EXPECT_EQ(epc("urn:epc:id:giai:0614141.12345400"), "https://id.gs1.org/8004/061414112345400");
  EXPECT_EQ(one(W + "epcToDigitalLink", {{W + "epc", {"urn:epc:id:sgtin:0614141.107346.2017"}},
                                         {W + "domain", {"https://dl.example.com"}}}),
            "https://dl.example.com/01/10614141073464/21/2017");
  EXPECT_TRUE(isError(epc("urn:epc:id:sgtin:0614141.10734.2017")));   // 12 digits
  EXPECT_TRUE(isError(epc("urn:epc:id:sgtin:0614141.107346")));       // no serial
  EXPECT_TRUE(isError(epc("urn:epc:id:sgtin:06X4141.107346.1")));
  EXPECT_TRUE(isError(epc("urn:epc:id:sgtin:0614141.107346.%ZZ")));
  EXPECT_TRUE(isError(epc("urn:epc:id:sscc:0614141.123456789")));
  EXPECT_TRUE(isError(epc("urn:epc:id:gdti:0614141.12345.400")));
  EXPECT_TRUE(isError(epc("https://id.gs1.org/01/09506000134352")));
}

}  // namespace
}  // namespace weft::fnml::test
