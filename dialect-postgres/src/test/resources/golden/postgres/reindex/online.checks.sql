-- pre-checks
-- The server is PostgreSQL 15, the version this package was compiled for.
-- expect: 15
SELECT current_setting('server_version_num')::int / 10000;

-- standard_conforming_strings is on (the scripts' string literals assume it).
-- expect: true
SELECT current_setting('standard_conforming_strings') = 'on';

-- No transaction has been open for more than 5 minutes: a long transaction makes lock requests queue (and every query behind them) and makes concurrent index builds wait.
-- expect: 0
SELECT count(*) FROM pg_stat_activity
WHERE xact_start < now() - interval '5 minutes' AND pid <> pg_backend_pid();

-- No autovacuum to prevent wraparound is running: it does not yield its lock, so a migration's lock request would wait behind it.
-- expect: 0
SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'autovacuum:%(to prevent wraparound)%';

-- notes is an ordinary table, not a partitioned one.
-- expect: true
SELECT relkind = 'r' FROM pg_class WHERE oid = '"notes"'::regclass;

-- No other leftover of a failed REINDEX CONCURRENTLY (an INVALID index named …_ccnewN or …_ccoldN) is on notes.
-- expect: 0
SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
WHERE i.indrelid = '"notes"'::regclass AND NOT i.indisvalid AND c.relname ~ '_cc(new|old)[0-9]+$';

-- verification
-- The index notes_body_idx is on notes and valid.
-- expect: true
SELECT indisvalid AND indisready AND indrelid = '"notes"'::regclass FROM pg_index WHERE indexrelid = to_regclass('"notes_body_idx"');

-- No INVALID leftover of the rebuild (notes_body_idx_ccnew, notes_body_idx_ccold).
-- expect: 0
SELECT count(*) FROM pg_index WHERE indexrelid IN (to_regclass('"notes_body_idx_ccnew"'), to_regclass('"notes_body_idx_ccold"')) AND NOT indisvalid;
