// SPDX-License-Identifier: Apache-2.0
// The ERP and quality connectors (connectors/erp): recognising SAP-style CSV
// extracts, QMS CSV files, supplier CoA JSON and an ERP database in SQLite;
// choosing a CSV's mapping by its file name or header; and refusing, before
// anything is written, a document its mapping cannot map whole (a missing
// column, an empty key, a material the extract's materials.csv lacks, a
// database table without a column), naming the file, line and column.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <string>
#include <vector>

#include "connectors/api/connector.h"
#include "tests/unit/scratch.h"

namespace weft::connectors {
namespace {

constexpr const char* kMaterials =
    "MATNR,MAKTX,MTART,MEINS,XCHPF,MHDHB_DAYS,GTIN,NDC,STORAGE_COND,WERKS\n"
    "000000000000200101,\"Aurelimab 100mg/10mL vial, carton\",FERT,EA,X,730,00300012001010,0001-2001-01,2-8C,S100\n"
    "000000000000900101,CD CHO medium,ROH,KG,X,540,00300019001013,,2-8C,S100\n";
constexpr const char* kVendors =
    "LIFNR,NAME1,STRAS,ORT01,REGIO,LAND1,GLN,LICENCE_NO\n"
    "0000100001,Cellmedia Inc.,1 Harbor Way,Boston,MA,US,0614141000012,\n";
constexpr const char* kBatchesHeader = "MATNR,CHARG,WERKS,HSDAT,VFDAT,LICHA,LIFNR,ZUSTD\n";

class ErpConnectorTest : public testutil::ScratchDirTest {
 protected:
  Document doc(const std::string& name) {
    Document d;
    d.path = (dir_ / name).string();
    d.name = name;
    return d;
  }
  Status validate(const Connector& c, const std::string& name, uint64_t* records = nullptr) {
    uint64_t n = 0;
    return c.validate(doc(name), records ? records : &n);
  }
};

TEST_F(ErpConnectorTest, SapCsvRecognisedByNameAndHeader) {
  const Connector c = sapCsvConnector();
  EXPECT_EQ(c.name, "sap-csv");
  EXPECT_EQ(c.detect("x/materials.csv", kMaterials), Match::kByContent);
  EXPECT_EQ(c.detect("x/batches.csv", kBatchesHeader), Match::kByContent);
  // A known name whose header lacks columns is still claimed (validation says which).
  EXPECT_EQ(c.detect("x/batches.csv", "CHARG,MATNR\n"), Match::kByName);
  // Another name with a complete header.
  EXPECT_EQ(c.detect("x/batches-2025.csv", kBatchesHeader), Match::kByContent);
  // Other CSV files are not claimed: historian samples, QMS files, unknown headers.
  EXPECT_EQ(c.detect("x/timeseries_202503.csv", "tag,timestamp,value,quality\n"), Match::kNo);
  EXPECT_EQ(c.detect("x/recalls.csv", "id,product,lots,class,depth,initiated,reason\n"), Match::kNo);
  EXPECT_EQ(c.detect("x/other.csv", "MATNR,CHARG\n"), Match::kNo);
  EXPECT_EQ(c.detect("x/materials.json", kMaterials), Match::kNo);
}

TEST_F(ErpConnectorTest, SapCsvMappingChosenByFileNameOrHeader) {
  const Connector c = sapCsvConnector();
  write("batches.csv", kBatchesHeader);
  write("batch-extract.csv", kBatchesHeader);
  write("po.csv", "EBELN,EBELP,LIFNR,BEDAT,MATNR,MENGE,MEINS,NETPR,EINDT,WERKS\n");
  write("source_list.csv", "MATNR,WERKS,LIFNR,VDATU,BDATU,FLIFN,PLIFZ_DAYS\n");
  EXPECT_EQ(c.mappings(doc("batches.csv")), std::vector<std::string>{"sap-csv/batches.ttl"});
  EXPECT_EQ(c.mappings(doc("batch-extract.csv")), std::vector<std::string>{"sap-csv/batches.ttl"});
  EXPECT_EQ(c.mappings(doc("po.csv")), std::vector<std::string>{"sap-csv/purchase_orders.ttl"});
  EXPECT_EQ(c.mappings(doc("source_list.csv")), std::vector<std::string>{"sap-csv/source_list.ttl"});
}

TEST_F(ErpConnectorTest, SapCsvValidatesHeaderKeysAndSiblings) {
  const Connector c = sapCsvConnector();
  write("materials.csv", kMaterials);
  write("vendors.csv", kVendors);
  uint64_t records = 0;
  ASSERT_TRUE(validate(c, "materials.csv", &records));
  EXPECT_EQ(records, 2u);  // the quoted comma stays in its field

  write("batches.csv", std::string(kBatchesHeader) +
                           "000000000000900101,R25-00007,S100,2025-01-15,2026-07-15,V1-4471,0000100001,UNRESTRICTED\n"
                           "000000000000200101,A100-25-042,S100,2025-05-14,2027-05-14,,,RECALLED\n");
  ASSERT_TRUE(validate(c, "batches.csv", &records));
  EXPECT_EQ(records, 2u);

  // A missing column: the file, the header line and the column.
  write("batches.csv", "MATNR,CHARG,WERKS,HSDAT,VFDAT,LICHA,LIFNR\n000000000000900101,R1,S100,,,,,\n");
  Status st = validate(c, "batches.csv");
  ASSERT_FALSE(st);
  EXPECT_NE(st.message().find("batches.csv line 1"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("no column ZUSTD"), std::string::npos) << st.message();

  // An empty key, a material materials.csv lacks, a vendor vendors.csv lacks.
  write("batches.csv", std::string(kBatchesHeader) + "000000000000900101,,S100,,,,,QUALITY\n");
  st = validate(c, "batches.csv");
  ASSERT_FALSE(st);
  EXPECT_NE(st.message().find("batches.csv line 2: no value in column CHARG"), std::string::npos) << st.message();
  write("batches.csv", std::string(kBatchesHeader) + "000000000000200101,A1,S100,,,,,QUALITY\n" +
                           "000000000000999999,R9,S100,,,,,QUALITY\n");
  st = validate(c, "batches.csv");
  ASSERT_FALSE(st);
  EXPECT_NE(st.message().find("batches.csv line 3: material 000000000000999999 (MATNR) is not in materials.csv"),
            std::string::npos)
      << st.message();
  write("batches.csv", std::string(kBatchesHeader) + "000000000000900101,R1,S100,,,,0000100009,QUALITY\n");
  st = validate(c, "batches.csv");
  ASSERT_FALSE(st);
  EXPECT_NE(st.message().find("vendor 0000100009 (LIFNR) is not in vendors.csv"), std::string::npos) << st.message();

  // A quoted field spanning lines is one record; line numbers count physical lines.
  write("batches.csv", std::string(kBatchesHeader) + "000000000000900101,R1,S100,,,\"lot\nnote\",,QUALITY\n" +
                           "000000000000900101,R2,S100,,,,,BAD,extra\n");
  st = validate(c, "batches.csv");
  ASSERT_FALSE(st);
  EXPECT_NE(st.message().find("batches.csv line 4: 9 fields where the header has 8"), std::string::npos)
      << st.message();

  // The material master must be beside a file that needs it.
  std::filesystem::remove(dir_ / "materials.csv");
  write("batches.csv", kBatchesHeader);
  st = validate(c, "batches.csv");
  ASSERT_FALSE(st);
  EXPECT_NE(st.message().find("needs materials.csv in the same folder"), std::string::npos) << st.message();
}

TEST_F(ErpConnectorTest, QmsCsvRecognisedAndValidated) {
  const Connector c = qmsCsvConnector();
  EXPECT_EQ(c.name, "qms-csv");
  const std::string dev = "id,opened,category,batch_ids,equipment_id,description,root_cause,impact,status,closed\n";
  EXPECT_EQ(c.detect("q/deviations.csv", dev), Match::kByContent);
  EXPECT_EQ(c.detect("q/devs.csv", dev), Match::kByContent);
  EXPECT_EQ(c.detect("q/batches.csv", kBatchesHeader), Match::kNo);
  write("capa.csv", "id,source_ids,action,owner,due,closed\nCAPA-1,DEV-1,Fix,A,2025-01-01,\n");
  Status st = validate(c, "capa.csv");
  ASSERT_FALSE(st);
  EXPECT_NE(st.message().find("capa.csv line 1: the header has no column effective"), std::string::npos)
      << st.message();
  write("recalls.csv", "id,product,lots,class,depth,initiated,reason\nR1,00300012001010,A;B,II,retail,2025-09-10,x\n");
  uint64_t records = 0;
  ASSERT_TRUE(validate(c, "recalls.csv", &records));
  EXPECT_EQ(records, 1u);
  EXPECT_EQ(c.mappings(doc("recalls.csv")), std::vector<std::string>{"qms-csv/recalls.ttl"});
}

TEST_F(ErpConnectorTest, CmmsCsvRecognisedAndValidated) {
  const Connector c = cmmsCsvConnector();
  EXPECT_EQ(c.name, "cmms-csv");
  const std::string header = "id,equipment_id,type,failure_mode,failed,completed,description\n";
  EXPECT_EQ(c.detect("m/work_orders.csv", header), Match::kByContent);
  EXPECT_EQ(c.detect("m/wo-export.csv", header), Match::kByContent);
  EXPECT_EQ(c.detect("m/deviations.csv", "id,opened,category,batch_ids,equipment_id,description,root_cause,impact,"
                                        "status,closed\n"),
            Match::kNo);
  // A work order without its id cannot become a node: refused with its line.
  write("work_orders.csv", header + "WO-1,BR-201,corrective,bearing wear,2025-02-28T03:00:00Z,2025-02-28T19:00:00Z,x\n" +
                               ",BR-202,corrective,seal leak,2025-03-01T03:00:00Z,2025-03-01T09:00:00Z,y\n");
  Status st = validate(c, "work_orders.csv");
  ASSERT_FALSE(st);
  EXPECT_NE(st.message().find("work_orders.csv line 3"), std::string::npos) << st.message();
  write("work_orders.csv", header + "WO-1,BR-201,corrective,bearing wear,2025-02-28T03:00:00Z,2025-02-28T19:00:00Z,x\n" +
                               "WO-2,BR-201,preventive,,2025-04-15T06:00:00Z,2025-04-15T10:00:00Z,lubrication\n");
  uint64_t records = 0;
  ASSERT_TRUE(validate(c, "work_orders.csv", &records)) << validate(c, "work_orders.csv").message();
  EXPECT_EQ(records, 2u);
  EXPECT_EQ(c.mappings(doc("work_orders.csv")), std::vector<std::string>{"cmms-csv/work_orders.ttl"});
}

TEST_F(ErpConnectorTest, SupplierCoaRecognisedAndValidated) {
  const Connector c = supplierCoaConnector();
  EXPECT_EQ(c.name, "supplier-coa");
  const std::string good =
      R"({"supplier_gln":"0614141000012","material_gtin":"00300019001013","supplier_lot":"V1-4471","our_lot":null,)"
      R"("issued":"2025-01-12","tests":[{"test":"pH","result":7.1,"lower":6.9,"upper":7.3},{"test":"Endotoxin","result":0.2,"lower":null,"upper":1}]})";
  EXPECT_EQ(c.detect("coa/a.json", good), Match::kByContent);
  EXPECT_EQ(c.detect("coa/a.json", R"({"epcisBody":{}})"), Match::kNo);
  write("a.json", good);
  uint64_t records = 0;
  ASSERT_TRUE(validate(c, "a.json", &records));
  EXPECT_EQ(records, 2u);
  write("b.json", R"({"supplier_gln":"0614141000012","material_gtin":"00300019001013","issued":"2025-01-12","tests":[]})");
  Status st = validate(c, "b.json");
  ASSERT_FALSE(st);
  EXPECT_NE(st.message().find("b.json: the certificate has no \"supplier_lot\""), std::string::npos) << st.message();
  write("c.json",
        R"({"supplier_gln":"1","material_gtin":"2","supplier_lot":"L","issued":"2025-01-12","tests":[{"test":"pH","result":"seven"}]})");
  st = validate(c, "c.json");
  ASSERT_FALSE(st);
  EXPECT_NE(st.message().find("tests[0]: \"result\" of test \"pH\" is not a number"), std::string::npos)
      << st.message();
}

// Builds a SQLite database from SQL text.
void makeDb(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
  sqlite3_close(db);
}

constexpr const char* kM2Schema =
    "CREATE TABLE site (site_code TEXT, name TEXT, country TEXT, gln TEXT);"
    "CREATE TABLE item (item_no TEXT, description TEXT, item_type TEXT, uom TEXT, gtin TEXT, ndc TEXT,"
    " shelf_life_days INTEGER, storage_min_c REAL, storage_max_c REAL);"
    "CREATE TABLE bom_line (parent_item TEXT, line_no INTEGER, component_item TEXT, qty_per REAL, uom TEXT);"
    "CREATE TABLE supplier (supplier_no TEXT, name TEXT, country TEXT, gln TEXT);"
    "CREATE TABLE customer (customer_no TEXT, name TEXT, country TEXT, gln TEXT);"
    "CREATE TABLE approved_supplier (item_no TEXT, supplier_no TEXT, rank TEXT, lead_time_days INTEGER);"
    "CREATE TABLE prod_order (order_no TEXT, item_no TEXT, site_code TEXT, planned_qty REAL, uom TEXT,"
    " planned_start TEXT, planned_end TEXT, actual_start TEXT, actual_end TEXT, status TEXT, lot_no TEXT);"
    "CREATE TABLE order_consumption (order_no TEXT, line_no INTEGER, item_no TEXT, lot_no TEXT, qty REAL, uom TEXT);"
    "CREATE TABLE stock_move (move_id TEXT, move_type TEXT, item_no TEXT, lot_no TEXT, qty REAL, uom TEXT,"
    " posted TEXT, order_no TEXT, po_no TEXT, shipment_no TEXT);"
    "CREATE TABLE purchase_order (po_no TEXT, line_no INTEGER, supplier_no TEXT, ordered TEXT, item_no TEXT,"
    " qty REAL, uom TEXT, unit_price REAL, due TEXT);"
    "CREATE TABLE qc_result (sample_id TEXT, item_no TEXT, lot_no TEXT, test TEXT, lower_limit REAL,"
    " upper_limit REAL, unit TEXT, result REAL, pass_fail TEXT, status TEXT, tested TEXT);"
    "INSERT INTO item VALUES ('P4','Tablets','finished','EA','00300024001015',NULL,1095,20,25);";

std::string head(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string s(65536, '\0');
  in.read(s.data(), static_cast<std::streamsize>(s.size()));
  s.resize(static_cast<size_t>(in.gcount()));
  return s;
}

TEST_F(ErpConnectorTest, SqliteRecognisedByMagicAndTableAndValidated) {
  const Connector c = erpSqliteConnector();
  EXPECT_EQ(c.name, "erp-sqlite");
  const std::string good = (dir_ / "m2.sqlite").string();
  makeDb(good, std::string(kM2Schema) +
                   "CREATE TABLE lot (item_no TEXT, lot_no TEXT, site_code TEXT, manufactured TEXT, expiry TEXT,"
                   " supplier_lot TEXT, supplier_no TEXT, status TEXT);"
                   "INSERT INTO lot VALUES ('P4','BT25-0001','S2','2025-03-05','2028-03-05',NULL,NULL,'released');");
  EXPECT_EQ(c.detect(good, head(good)), Match::kByContent);
  uint64_t records = 0;
  ASSERT_TRUE(validate(c, "m2.sqlite", &records));
  EXPECT_EQ(records, 2u);  // one item, one lot
  EXPECT_EQ(c.mappings(doc("m2.sqlite")), std::vector<std::string>{"erp-sqlite/erp.ttl"});

  // Another SQLite database (no prod_order) is not claimed; nor is text.
  const std::string other = (dir_ / "other.sqlite").string();
  makeDb(other, "CREATE TABLE t (a TEXT);");
  EXPECT_EQ(c.detect(other, head(other)), Match::kNo);
  EXPECT_EQ(c.detect("x.sql", "CREATE TABLE prod_order (order_no TEXT);"), Match::kNo);

  // A table without a column the mapping reads; a lot of an item without a GTIN.
  const std::string broken = (dir_ / "broken.sqlite").string();
  makeDb(broken, std::string(kM2Schema) +
                     "CREATE TABLE lot (item_no TEXT, lot_no TEXT, site_code TEXT, manufactured TEXT, expiry TEXT,"
                     " supplier_lot TEXT, supplier_no TEXT);");
  Status st = validate(c, "broken.sqlite");
  ASSERT_FALSE(st);
  EXPECT_NE(st.message().find("broken.sqlite: table lot has no column status"), std::string::npos) << st.message();
  const std::string orphan = (dir_ / "orphan.sqlite").string();
  makeDb(orphan, std::string(kM2Schema) +
                     "CREATE TABLE lot (item_no TEXT, lot_no TEXT, site_code TEXT, manufactured TEXT, expiry TEXT,"
                     " supplier_lot TEXT, supplier_no TEXT, status TEXT);"
                     "INSERT INTO lot VALUES ('NOPE','L1','S2',NULL,NULL,NULL,NULL,'released');");
  st = validate(c, "orphan.sqlite");
  ASSERT_FALSE(st);
  EXPECT_NE(st.message().find("lot L1 (item NOPE) has no item with a GTIN"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace weft::connectors
