-- An imported filing package keeps the town's public key it was verified
-- with (base64, as filing_keys holds it), and is checked against that key
-- again when the district downloads it: a town that registers a new key
-- does not make the packages imported before unreadable. The packages
-- imported before this version were verified with the key registered
-- now, unless it was replaced since, so they take it.

-- +goose Up
ALTER TABLE filings ADD COLUMN public_key TEXT NOT NULL DEFAULT '';
UPDATE filings SET public_key = COALESCE((SELECT k.public_key FROM filing_keys k WHERE k.town = filings.town), '');

-- +goose Down
ALTER TABLE filings DROP COLUMN public_key;
