-- A tiny Brightwater Pharma (M2) ERP database for tests/e2e/erp_test.sh: the
-- M2 schema (examples/pharma-network, FORMATS.md) with one finished product,
-- two purchased materials, one production order and its consumption, lots,
-- stock moves, a purchase order, approved suppliers and QC results (one
-- failed result invalidated as a lab error). The test builds the .sqlite
-- file from this text (sqlite3 or python3), so no binary is committed.
CREATE TABLE site      (site_code TEXT PRIMARY KEY, name TEXT, country TEXT, gln TEXT);
CREATE TABLE item      (item_no TEXT PRIMARY KEY, description TEXT, item_type TEXT,
                        uom TEXT, gtin TEXT, ndc TEXT, shelf_life_days INTEGER, storage_min_c REAL, storage_max_c REAL);
CREATE TABLE bom_line  (parent_item TEXT, line_no INTEGER, component_item TEXT, qty_per REAL, uom TEXT,
                        PRIMARY KEY (parent_item, line_no));
CREATE TABLE supplier  (supplier_no TEXT PRIMARY KEY, name TEXT, country TEXT, gln TEXT);
CREATE TABLE customer  (customer_no TEXT PRIMARY KEY, name TEXT, country TEXT, gln TEXT);
CREATE TABLE approved_supplier (item_no TEXT, supplier_no TEXT, rank TEXT, lead_time_days INTEGER,
                        PRIMARY KEY (item_no, supplier_no));
CREATE TABLE prod_order (order_no TEXT PRIMARY KEY, item_no TEXT, site_code TEXT, planned_qty REAL, uom TEXT,
                        planned_start TEXT, planned_end TEXT, actual_start TEXT, actual_end TEXT,
                        status TEXT, lot_no TEXT);
CREATE TABLE order_consumption (order_no TEXT, line_no INTEGER, item_no TEXT, lot_no TEXT, qty REAL, uom TEXT,
                        PRIMARY KEY (order_no, line_no));
CREATE TABLE lot       (item_no TEXT, lot_no TEXT, site_code TEXT, manufactured TEXT, expiry TEXT, supplier_lot TEXT,
                        supplier_no TEXT, status TEXT, PRIMARY KEY (item_no, lot_no));
CREATE TABLE stock_move (move_id TEXT PRIMARY KEY, move_type TEXT,
                        item_no TEXT, lot_no TEXT, qty REAL, uom TEXT, posted TEXT, order_no TEXT, po_no TEXT, shipment_no TEXT);
CREATE TABLE purchase_order (po_no TEXT, line_no INTEGER, supplier_no TEXT, ordered TEXT, item_no TEXT, qty REAL, uom TEXT,
                        unit_price REAL, due TEXT, PRIMARY KEY (po_no, line_no));
CREATE TABLE qc_result (sample_id TEXT, item_no TEXT, lot_no TEXT, test TEXT, lower_limit REAL, upper_limit REAL, unit TEXT,
                        result REAL, pass_fail TEXT, status TEXT, tested TEXT,
                        PRIMARY KEY (sample_id, test));

INSERT INTO site VALUES ('S2', 'Brightwater Cork plant', 'IE', '0300020000104');
INSERT INTO item VALUES ('BW-P4', 'Brimetrol 50 mg tablets, bottle of 30', 'finished', 'EA', '00300024001015', '0002-4001-01', 1095, 20, 25);
INSERT INTO item VALUES ('BW-API-01', 'Brimetrol API', 'raw', 'KG', '00871234005013', NULL, 1460, 15, 25);
INSERT INTO item VALUES ('BW-BTL-30', 'HDPE bottle 30 ct', 'packaging', 'EA', '00871234006010', NULL, 1825, NULL, NULL);
INSERT INTO bom_line VALUES ('BW-P4', 1, 'BW-API-01', 0.0015, 'KG');
INSERT INTO bom_line VALUES ('BW-P4', 2, 'BW-BTL-30', 1, 'EA');
INSERT INTO supplier VALUES ('V5', 'Corvane Fine Chemicals', 'IN', '0871234000018');
INSERT INTO supplier VALUES ('V6', 'Halden API Works', 'DE', '0871235000017');
INSERT INTO supplier VALUES ('V7', 'Packright Plastics', 'IE', '0871236000016');
INSERT INTO customer VALUES ('C-D1', 'Meridian Health Logistics', 'US', '0399990000016');
INSERT INTO approved_supplier VALUES ('BW-API-01', 'V5', 'primary', 30);
INSERT INTO approved_supplier VALUES ('BW-API-01', 'V6', 'backup', 45);
INSERT INTO approved_supplier VALUES ('BW-BTL-30', 'V7', 'primary', 10);
INSERT INTO prod_order VALUES ('PO-BW-25-0001', 'BW-P4', 'S2', 10000, 'EA', '2025-03-03', '2025-03-05',
                               '2025-03-03T06:00:00Z', '2025-03-05T14:00:00Z', 'closed', 'BT25-0001');
INSERT INTO prod_order VALUES ('PO-BW-25-0002', 'BW-P4', 'S2', 10000, 'EA', '2025-12-29', '2025-12-31',
                               NULL, NULL, 'planned', NULL);
INSERT INTO order_consumption VALUES ('PO-BW-25-0001', 1, 'BW-API-01', 'RM25-0001', 15.2, 'KG');
INSERT INTO order_consumption VALUES ('PO-BW-25-0001', 2, 'BW-BTL-30', 'RM25-0002', 10040, 'EA');
INSERT INTO lot VALUES ('BW-P4', 'BT25-0001', 'S2', '2025-03-05', '2028-03-05', NULL, NULL, 'released');
INSERT INTO lot VALUES ('BW-API-01', 'RM25-0001', 'S2', '2025-01-20', '2029-01-20', 'CFC-23-0915', 'V5', 'released');
INSERT INTO lot VALUES ('BW-BTL-30', 'RM25-0002', 'S2', '2025-02-01', '2030-02-01', 'PP-7781', 'V7', 'quarantine');
INSERT INTO stock_move VALUES ('SM-25-000001', 'receipt', 'BW-API-01', 'RM25-0001', 50, 'KG', '2025-02-10', NULL, 'BWPO-25-0001', NULL);
INSERT INTO stock_move VALUES ('SM-25-000002', 'issue', 'BW-API-01', 'RM25-0001', 15.2, 'KG', '2025-03-03', 'PO-BW-25-0001', NULL, NULL);
INSERT INTO stock_move VALUES ('SM-25-000003', 'production', 'BW-P4', 'BT25-0001', 9980, 'EA', '2025-03-05', 'PO-BW-25-0001', NULL, NULL);
INSERT INTO stock_move VALUES ('SM-25-000004', 'shipment', 'BW-P4', 'BT25-0001', 2400, 'EA', '2025-03-20', NULL, NULL, 'SHP-BW-25-0001');
INSERT INTO purchase_order VALUES ('BWPO-25-0001', 1, 'V5', '2025-01-10', 'BW-API-01', 50, 'KG', 820.5, '2025-02-09');
INSERT INTO qc_result VALUES ('QC-25-0001', 'BW-P4', 'BT25-0001', 'Assay', 95, 105, '%', 99.2, 'pass', 'valid', '2025-03-07');
INSERT INTO qc_result VALUES ('QC-25-0001', 'BW-P4', 'BT25-0001', 'Dissolution', 80, NULL, '%', 72.5, 'fail', 'invalidated', '2025-03-07');
INSERT INTO qc_result VALUES ('QC-25-0002', 'BW-P4', 'BT25-0001', 'Dissolution', 80, NULL, '%', 91.0, 'pass', 'valid', '2025-03-10');
