-- 0009: short preview links. A preview link's visible address carries a
-- short random code instead of the signed token: /preview/<code>.
-- code_hash is the SHA-256 of that code (hex), so the database never holds
-- a working link; the code itself is shown once, when the link is made.

ALTER TABLE preview_grants ADD COLUMN code_hash text;

CREATE UNIQUE INDEX preview_grants_code ON preview_grants (code_hash) WHERE code_hash IS NOT NULL;
