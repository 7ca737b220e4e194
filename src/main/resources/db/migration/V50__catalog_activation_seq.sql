-- A counter bumped by every publish and every activation. Nodes swap their in-memory catalog only
-- to a later activation than the one they hold: the version number cannot order activations, since a
-- rollback to an older version must still win over the newer one it replaces.
ALTER TABLE catalog_state ADD COLUMN activation_seq BIGINT NOT NULL DEFAULT 0;
