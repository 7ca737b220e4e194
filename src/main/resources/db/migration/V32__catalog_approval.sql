-- Four-eyes publishing (PRODUCT.md §11, preaudit.catalog.approval=required): each published version's
-- approval. PENDING versions never serve: only approve (by another rule-publisher) or an activation of an
-- APPROVED version sets catalog_state.active_version. Written through Hibernate ORM/Panache
-- (CatalogApproval) in the transaction of the publish/approve/reject it records; read with the versions list.
CREATE TABLE catalog_approval (
    version       integer PRIMARY KEY REFERENCES catalog_version(version),
    status        text        NOT NULL CHECK (status IN ('PENDING', 'APPROVED', 'REJECTED')),
    published_by  text        NOT NULL,
    published_at  timestamptz NOT NULL,
    decided_by    text,
    decided_at    timestamptz,
    note          text
);
-- versions published before: approved, published by whoever the version names
INSERT INTO catalog_approval(version, status, published_by, published_at)
SELECT version, 'APPROVED', coalesce(author, 'system'), created_at FROM catalog_version WHERE version > 0;
