-- What the statistics need of each finding beyond V2's columns (PRODUCT.md §3.4, §11):
--  * the flagged lines with their item code, item name and amount, as parallel arrays, so that a line
--    flagged by several rules counts once in amountAtRisk (one 23,800 元 line flagged by two rules is
--    23,800 元 at risk, not 47,600 元) and an item ranking sums only that item's lines;
--  * the department and doctor names the HIS sent with the audit, so rankings show the latest names;
--  * shadow (a SHADOW rule's finding: recorded, never returned, never in the decision) and the
--    exemption (特批/备案) that turned the finding into a notice.
-- Rows written before this migration have NULL arrays; the statistics fall back to the finding's own
-- amount for them.
ALTER TABLE audit_finding
    ADD COLUMN line_ids        text[],
    ADD COLUMN line_item_codes text[],
    ADD COLUMN line_item_names text[],
    ADD COLUMN line_amounts    numeric(18, 2)[],
    ADD COLUMN department_name text,
    ADD COLUMN doctor_name     text,
    ADD COLUMN shadow          boolean NOT NULL DEFAULT false,
    ADD COLUMN exemption_id    uuid;
