-- Brightwater Pharma (M2) ERP database (SQLite): the same entities as M1's SAP-style CSV
-- extracts under a different schema. The generator writes it; mappings/erp-sqlite/ reads it.
CREATE TABLE site      (site_code TEXT PRIMARY KEY, name TEXT, country TEXT, gln TEXT);
CREATE TABLE item      (item_no TEXT PRIMARY KEY, description TEXT, item_type TEXT /* finished|intermediate|raw|packaging */,
                        uom TEXT, gtin TEXT, ndc TEXT, shelf_life_days INTEGER, storage_min_c REAL, storage_max_c REAL);
CREATE TABLE bom_line  (parent_item TEXT, line_no INTEGER, component_item TEXT, qty_per REAL, uom TEXT,
                        PRIMARY KEY (parent_item, line_no));
CREATE TABLE supplier  (supplier_no TEXT PRIMARY KEY, name TEXT, country TEXT, gln TEXT);
CREATE TABLE customer  (customer_no TEXT PRIMARY KEY, name TEXT, country TEXT, gln TEXT);
CREATE TABLE approved_supplier (item_no TEXT, supplier_no TEXT, rank TEXT /* primary|backup */, lead_time_days INTEGER,
                        PRIMARY KEY (item_no, supplier_no));
CREATE TABLE prod_order (order_no TEXT PRIMARY KEY, item_no TEXT, site_code TEXT, planned_qty REAL, uom TEXT,
                        planned_start TEXT, planned_end TEXT, actual_start TEXT, actual_end TEXT,
                        status TEXT /* planned|released|completed|closed */, lot_no TEXT);
CREATE TABLE order_consumption (order_no TEXT, line_no INTEGER, item_no TEXT, lot_no TEXT, qty REAL, uom TEXT,
                        PRIMARY KEY (order_no, line_no));
CREATE TABLE lot       (item_no TEXT, lot_no TEXT, site_code TEXT, manufactured TEXT, expiry TEXT, supplier_lot TEXT,
                        supplier_no TEXT, status TEXT /* quarantine|released|rejected|recalled */, PRIMARY KEY (item_no, lot_no));
CREATE TABLE stock_move (move_id TEXT PRIMARY KEY, move_type TEXT /* receipt|issue|production|shipment|transfer|release */,
                        item_no TEXT, lot_no TEXT, qty REAL, uom TEXT, posted TEXT, order_no TEXT, po_no TEXT, shipment_no TEXT);
CREATE TABLE purchase_order (po_no TEXT, line_no INTEGER, supplier_no TEXT, ordered TEXT, item_no TEXT, qty REAL, uom TEXT,
                        unit_price REAL, due TEXT, PRIMARY KEY (po_no, line_no));
CREATE TABLE qc_result (sample_id TEXT, item_no TEXT, lot_no TEXT, test TEXT, lower_limit REAL, upper_limit REAL, unit TEXT,
                        result REAL, pass_fail TEXT /* pass|fail */, status TEXT /* valid|invalidated */, tested TEXT,
                        PRIMARY KEY (sample_id, test));
