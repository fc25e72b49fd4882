// SPDX-License-Identifier: Apache-2.0
// Unit tests of weft-fn:epcToGtin and weft-fn:epcToGln (engine/fnml/gs1.cpp):
// the GTIN / GLN key of an EPC URN (GS1 EPC Tag Data Standard 2.x, 6.3) or of
// a GS1 Digital Link IRI on any host, no value for other identifiers (so a
// mixed epcList can be filtered), errors for malformed URNs and bad keys, and
// agreement with weft-fn:epcToDigitalLink.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/fnml/internal/gs1.h"
#include "tests/unit/fnml/fnml_test_util.h"

namespace weft::fnml::test {
namespace {

std::string gtin(const std::string& epc) { return one(W + "epcToGtin", {{W + "epc", {epc}}}); }
std::string gln(const std::string& epc) { return one(W + "epcToGln", {{W + "epc", {epc}}}); }

TEST(Gs1Epc, GtinFromUrns) {
  // EPCIS 2.0 examples: urn:epc:id:sgtin:0614141.107346.2017 is GTIN 10614141073464.
  EXPECT_EQ(gtin("urn:epc:id:sgtin:0614141.107346.2017"), "10614141073464");
  EXPECT_EQ(gtin("urn:epc:id:sgtin:4012345.077889.25"), "04012345778892");
  EXPECT_EQ(gtin("  urn:epc:id:sgtin:4012345.077889.25 "), "04012345778892");
  EXPECT_EQ(gtin("URN:EPC:ID:SGTIN:4012345.077889.25"), "04012345778892");
  EXPECT_EQ(gtin("urn:epc:class:lgtin:4012345.012345.998877"), "04012345123456");
  EXPECT_EQ(gtin("urn:epc:id:sgtin:0614141.107346.%2Fa"), "10614141073464");  // escaped serial is not read
}

TEST(Gs1Epc, GtinFromDigitalLinks) {
  EXPECT_EQ(gtin("https://id.gs1.org/01/09506000134352/21/abc"), "09506000134352");
  EXPECT_EQ(gtin("https://example.com/01/09506000134352/10/LOT1"), "09506000134352");  // another host
  EXPECT_EQ(gtin("http://brand.example/products/01/09506000134352/21/7?linkType=gs1:pip"), "09506000134352");  // prefix, query
  EXPECT_EQ(gtin("https://example.com/01/9506000134352"), "09506000134352");  // GTIN-13 padded
  EXPECT_EQ(gtin("https://example.com/01/09506000134352#frag"), "09506000134352");
  EXPECT_TRUE(isError(gtin("https://example.com/01/09506000134353/21/1")));  // check digit
  // The primary key decides: a lot or extension "01" is not a GTIN.
  EXPECT_EQ(gtin("https://example.com/414/9520123456788/254/01"), "<none>");
  EXPECT_EQ(gtin("https://example.com/00/106141412345678908"), "<none>");
}

TEST(Gs1Epc, GtinNoValueForOtherIdentifiers) {
  for (const char* other : {"urn:epc:id:sscc:0614141.1234567890", "urn:epc:id:sgln:0614141.12345.400",
                            "urn:epc:id:grai:0614141.12345.400", "urn:epc:id:giai:0614141.12345400",
                            "urn:epc:id:pgln:0614141.12345", "urn:epc:idpat:sgtin:0614141.107346.*",
                            "https://id.gs1.org/414/9520123456788", "https://example.com/", "not an epc", ""}) {
    EXPECT_EQ(gtin(other), "<none>") << other;
  }
}

TEST(Gs1Epc, GtinErrorsForMalformedUrns) {
  EXPECT_TRUE(isError(gtin("urn:epc:id:sgtin:0614141.107346")));        // no serial field
  EXPECT_TRUE(isError(gtin("urn:epc:id:sgtin:0614141.10734.2017")));    // 12 digits
  EXPECT_TRUE(isError(gtin("urn:epc:class:lgtin:06x4141.107346.L1")));  // company prefix
}

TEST(Gs1Epc, MixedListGivesOneGtinPerGtinEpc) {
  // One multi-valued input: one call per value, so N EPCs cost N calls (not N x N)
  // and each GTIN comes from its own EPC.
  std::vector<std::string> list = {"urn:epc:id:sgtin:4012345.077889.25", "urn:epc:id:sscc:0614141.1234567890",
                                   "urn:epc:id:sgtin:0614141.107346.2017", "urn:epc:id:sgln:0614141.12345.400",
                                   "https://example.org/01/09506000134352/21/x", "urn:epc:class:lgtin:4012345.012345.L"};
  EXPECT_EQ(one(W + "epcToGtin", {{W + "epc", list}}),
            "04012345778892 | 10614141073464 | 09506000134352 | 04012345123456");
  std::vector<std::string> many;
  for (int i = 0; i < 2000; ++i) {
    many.push_back("urn:epc:id:sgtin:4012345.0" + std::string(i % 2 ? "77889" : "12345") + "." + std::to_string(i));
  }
  auto r = run(W + "epcToGtin", {{W + "epc", many}});
  ASSERT_TRUE(r.isOk()) << r.status().message();
  ASSERT_EQ(r.value().size(), many.size());
  EXPECT_EQ(r.value()[0].text, "04012345123456");
  EXPECT_EQ(r.value()[1].text, "04012345778892");
  EXPECT_EQ(one(W + "epcToGln", {{W + "epc", list}}), "0614141123452");
}

TEST(Gs1Epc, GlnFromUrnsAndDigitalLinks) {
  EXPECT_EQ(gln("urn:epc:id:sgln:0614141.12345.400"), "0614141123452");
  EXPECT_EQ(gln("urn:epc:id:sgln:0614141.12345.0"), "0614141123452");
  EXPECT_EQ(gln("urn:epc:id:sgln:9520123456.78.0"), "9520123456788");
  EXPECT_EQ(gln("urn:epc:id:pgln:0614141.12345"), "0614141123452");
  EXPECT_EQ(gln("https://id.gs1.org/414/0614141123452/254/400"), "0614141123452");
  EXPECT_EQ(gln("https://example.com/414/0614141123452"), "0614141123452");  // another host
  EXPECT_EQ(gln("https://example.com/417/0614141123452"), "0614141123452");  // party GLN
  EXPECT_TRUE(isError(gln("https://example.com/414/0614141123453")));
  EXPECT_TRUE(isError(gln("urn:epc:id:sgln:0614141.1234.0")));  // 11 digits
  EXPECT_TRUE(isError(gln("urn:epc:id:pgln:0614141")));
  for (const char* other : {"urn:epc:id:sgtin:0614141.107346.2017", "urn:epc:id:sscc:0614141.1234567890",
                            "https://id.gs1.org/01/09506000134352", "urn:uuid:1234", ""}) {
    EXPECT_EQ(gln(other), "<none>") << other;
  }
}

TEST(Gs1Epc, AgreesWithEpcToDigitalLink) {
  for (const char* epc : {"urn:epc:id:sgtin:0614141.107346.2017", "urn:epc:class:lgtin:4012345.012345.998877",
                          "urn:epc:id:sgln:0614141.12345.400", "urn:epc:id:sgln:0614141.12345.0"}) {
    std::string dl = one(W + "epcToDigitalLink", {{W + "epc", {epc}}});
    ASSERT_FALSE(isError(dl)) << dl;
    std::string g = gtin(epc), l = gln(epc);
    if (g != "<none>") {
      EXPECT_EQ(dl.rfind("https://id.gs1.org/01/" + g + "/", 0), 0u) << epc << " " << dl;
      EXPECT_EQ(gtin(dl), g) << dl;
    } else {
      EXPECT_EQ(dl.rfind("https://id.gs1.org/414/" + l, 0), 0u) << epc << " " << dl;
      EXPECT_EQ(gln(dl), l) << dl;
    }
  }
}

TEST(Gs1Epc, InternalApi) {
  std::string key;
  bool found = true;
  ASSERT_TRUE(internal::epcToGtin("urn:epc:id:sscc:0614141.1234567890", &key, &found).isOk());
  EXPECT_FALSE(found);
  ASSERT_TRUE(internal::epcToGln("urn:epc:id:sgln:0614141.12345.400", &key, &found).isOk());
  EXPECT_TRUE(found);
  EXPECT_EQ(key, "0614141123452");
}

}  // namespace
}  // namespace weft::fnml::test
