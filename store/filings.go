package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/gridscore/gridscore"
)

// TownKey returns town's signing key pair (base64 text), making it with
// create and recording audit when the town has none yet, in one
// transaction: two servers of one town never make two keys. A store that
// holds public keys registered for towns is the district's, where no
// town's private key belongs: there TownKey makes none and returns
// ErrDistrictStore.
func (db *DB) TownKey(ctx context.Context, town string, create func() (pub, priv string, err error), audit gridscore.AuditEntry) (pub, priv string, err error) {
	tx, err := db.writeTx(ctx)
	if err != nil {
		return "", "", err
	}
	defer tx.Rollback()
	// Asked first: a key pair made here before any key was registered
	// (by an older version, or before the district registered its towns'
	// keys) signs nothing once the store is the district's, so that the
	// district cannot sign a package as a town whose key it registered.
	var registered bool
	if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM filing_keys)").Scan(&registered); err != nil {
		return "", "", db.wrap("town key", err)
	}
	if registered {
		return "", "", ErrDistrictStore
	}
	err = tx.QueryRowContext(ctx, "SELECT public_key, private_key FROM town_keys WHERE town = $1", town).Scan(&pub, &priv)
	if err == nil {
		return pub, priv, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", "", db.wrap("town key", err)
	}
	if pub, priv, err = create(); err != nil {
		return "", "", err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO town_keys (town, public_key, private_key, created_at) VALUES ($1, $2, $3, $4)",
		town, pub, priv, audit.At.Unix()); err != nil {
		return "", "", db.wrap("town key", err)
	}
	if err := db.appendAudit(ctx, tx, []gridscore.AuditEntry{audit}); err != nil {
		return "", "", db.wrap("town key", err)
	}
	if err := tx.Commit(); err != nil {
		return "", "", db.wrap("town key", err)
	}
	return pub, priv, nil
}

// ErrDistrictStore is TownKey's refusal to make a town's key pair in a
// store holding the public keys registered for towns: the district's.
var ErrDistrictStore = errors.New("store: town key: the store holds public keys registered for towns (the district's); no town key is made there")

// RegisterFilingKey records (or replaces) the public key the district
// checks town's filing packages against, with audit. It records nothing
// and returns an *UnknownTownError when no grid of the store is in town,
// a *KeyInUseError when pub is registered for another town, and, unless
// replace is set, a *KeyReplaceError when pub would replace another key
// of a town with imported packages.
func (db *DB) RegisterFilingKey(ctx context.Context, town, pub string, replace bool, audit gridscore.AuditEntry) error {
	tx, err := db.writeTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var grids int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM grids WHERE town = $1", town).Scan(&grids); err != nil {
		return db.wrap("register filing key", err)
	}
	if grids == 0 {
		return &UnknownTownError{Town: town}
	}
	// A key is one town's: registered now, or kept with a package of
	// another town imported before its key was replaced.
	var other string
	err = tx.QueryRowContext(ctx, `SELECT town FROM (SELECT town FROM filing_keys WHERE public_key = $1 AND town <> $2
		UNION SELECT town FROM filings WHERE public_key = $1 AND town <> $2) k ORDER BY town LIMIT 1`, pub, town).Scan(&other)
	if err == nil {
		return &KeyInUseError{Town: town, OtherTown: other}
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return db.wrap("register filing key", err)
	}
	if !replace {
		var kept string
		err := tx.QueryRowContext(ctx, "SELECT public_key FROM filing_keys WHERE town = $1", town).Scan(&kept)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return db.wrap("register filing key", err)
		}
		if err == nil && kept != pub {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM filings WHERE town = $1", town).Scan(&n); err != nil {
				return db.wrap("register filing key", err)
			}
			if n > 0 {
				return &KeyReplaceError{Town: town, Kept: kept, Filings: n}
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO filing_keys (town, public_key, registered_at, registered_by) VALUES ($1, $2, $3, $4)
		ON CONFLICT (town) DO UPDATE SET public_key = excluded.public_key, registered_at = excluded.registered_at, registered_by = excluded.registered_by`,
		town, pub, audit.At.Unix(), audit.Username); err != nil {
		return db.wrap("register filing key", err)
	}
	if err := db.appendAudit(ctx, tx, []gridscore.AuditEntry{audit}); err != nil {
		return db.wrap("register filing key", err)
	}
	return db.wrap("register filing key", tx.Commit())
}

// UnknownTownError is RegisterFilingKey's refusal of a town none of the
// store's grids is in: not one of the district's towns.
type UnknownTownError struct{ Town string }

func (e *UnknownTownError) Error() string {
	return fmt.Sprintf("store: register filing key: no grid is in the town %q", e.Town)
}

// KeyInUseError is RegisterFilingKey's refusal of a public key registered
// for another town: each town signs with its own key, so one key for two
// towns would let either sign as the other.
type KeyInUseError struct{ Town, OtherTown string }

func (e *KeyInUseError) Error() string {
	return fmt.Sprintf("store: register filing key: %s: the key is registered for %s", e.Town, e.OtherTown)
}

// KeyReplaceError is RegisterFilingKey's refusal to replace, unconfirmed,
// the key Kept of a town with Filings packages imported.
type KeyReplaceError struct {
	Town, Kept string
	Filings    int
}

func (e *KeyReplaceError) Error() string {
	return fmt.Sprintf("store: register filing key: %s has %d imported packages; replacing its key needs confirming", e.Town, e.Filings)
}

// FilingKey returns the public key registered for town, if any.
func (db *DB) FilingKey(ctx context.Context, town string) (string, bool, error) {
	var pub string
	err := db.read.QueryRowContext(ctx, "SELECT public_key FROM filing_keys WHERE town = $1", town).Scan(&pub)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, db.wrap("filing key", err)
	}
	return pub, true, nil
}

// FilingKeys returns the registered public keys by town.
func (db *DB) FilingKeys(ctx context.Context) (map[string]string, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT town, public_key FROM filing_keys")
	if err != nil {
		return nil, db.wrap("filing keys", err)
	}
	defer rows.Close()
	keys := map[string]string{}
	for rows.Next() {
		var town, pub string
		if err := rows.Scan(&town, &pub); err != nil {
			return nil, db.wrap("filing keys", err)
		}
		keys[town] = pub
	}
	return keys, db.wrap("filing keys", rows.Err())
}

// SaveFiling keeps an imported filing package, with the public key it
// was verified with (f.PublicKey), replacing the one of the same town and
// quarter, with audit. A package signed before the one kept
// (by the second: signing times are kept in unix seconds) replaces
// nothing: SaveFiling returns a *StaleFilingError and writes nothing. One
// signed at the same second, such as the same package again, replaces it.
func (db *DB) SaveFiling(ctx context.Context, f gridscore.ImportedFiling, pkg []byte, audit gridscore.AuditEntry) error {
	tx, err := db.writeTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT INTO filings (town, quarter, finalized_at, signed_at, workers, assessed, total_sum, pay_sum, imported_at, imported_by, package, public_key)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT (town, quarter) DO UPDATE SET finalized_at = excluded.finalized_at, signed_at = excluded.signed_at,
			workers = excluded.workers, assessed = excluded.assessed, total_sum = excluded.total_sum, pay_sum = excluded.pay_sum,
			imported_at = excluded.imported_at, imported_by = excluded.imported_by, package = excluded.package,
			public_key = excluded.public_key
		WHERE filings.signed_at <= excluded.signed_at`,
		f.Town, f.Quarter, f.FinalizedAt.Unix(), f.SignedAt.Unix(), f.Workers, f.Assessed, int64(f.TotalSum), int64(f.PaySum),
		f.ImportedAt.Unix(), f.ImportedBy, pkg, f.PublicKey)
	if err != nil {
		return db.wrap("save filing", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return db.wrap("save filing", err)
	} else if n == 0 {
		var signed int64
		if err := tx.QueryRowContext(ctx, "SELECT signed_at FROM filings WHERE town = $1 AND quarter = $2", f.Town, f.Quarter).Scan(&signed); err != nil {
			return db.wrap("save filing: the package kept", err)
		}
		return &StaleFilingError{Town: f.Town, Quarter: f.Quarter, SignedAt: f.SignedAt, KeptSignedAt: time.Unix(signed, 0)}
	}
	if err := db.appendAudit(ctx, tx, []gridscore.AuditEntry{audit}); err != nil {
		return db.wrap("save filing", err)
	}
	return db.wrap("save filing", tx.Commit())
}

// StaleFilingError is SaveFiling's refusal of a package signed before the
// one kept for its town and quarter: replacing it would bring back what
// the town signed anew.
type StaleFilingError struct {
	Town, Quarter string
	// SignedAt is when the package refused was signed, KeptSignedAt when
	// the one kept was.
	SignedAt, KeptSignedAt time.Time
}

func (e *StaleFilingError) Error() string {
	return fmt.Sprintf("store: save filing: %s %s: the package signed at %s is older than the one kept, signed at %s",
		e.Town, e.Quarter, e.SignedAt.Format(time.RFC3339), e.KeptSignedAt.Format(time.RFC3339))
}

// ImportedFilings returns the filing packages imported for quarter, by
// town, each with the public key it was verified with.
func (db *DB) ImportedFilings(ctx context.Context, quarter string) ([]gridscore.ImportedFiling, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT town, quarter, finalized_at, signed_at, workers, assessed, total_sum, pay_sum, imported_at, imported_by, public_key
		FROM filings WHERE quarter = $1 ORDER BY town`, quarter)
	if err != nil {
		return nil, db.wrap("imported filings", err)
	}
	defer rows.Close()
	var out []gridscore.ImportedFiling
	for rows.Next() {
		var f gridscore.ImportedFiling
		var finalized, signed, imported, total, pay int64
		if err := rows.Scan(&f.Town, &f.Quarter, &finalized, &signed, &f.Workers, &f.Assessed, &total, &pay, &imported, &f.ImportedBy, &f.PublicKey); err != nil {
			return nil, db.wrap("imported filings", err)
		}
		f.FinalizedAt, f.SignedAt, f.ImportedAt = time.Unix(finalized, 0), time.Unix(signed, 0), time.Unix(imported, 0)
		f.TotalSum, f.PaySum = gridscore.Points(total), gridscore.Fen(pay)
		out = append(out, f)
	}
	return out, db.wrap("imported filings", rows.Err())
}

// FilingPackage returns the package imported for town's quarter, if any,
// and the public key (base64) it was verified with when imported.
func (db *DB) FilingPackage(ctx context.Context, town, quarter string) (pkg []byte, pub string, found bool, err error) {
	err = db.read.QueryRowContext(ctx, "SELECT package, public_key FROM filings WHERE town = $1 AND quarter = $2", town, quarter).Scan(&pkg, &pub)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", false, nil
	}
	if err != nil {
		return nil, "", false, db.wrap("filing package", err)
	}
	return pkg, pub, true, nil
}
