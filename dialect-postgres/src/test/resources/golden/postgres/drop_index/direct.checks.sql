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

-- No constraint depends on the index docs_title_key (a foreign key of another table may rest on a unique index).
-- expect: 0
SELECT count(*) FROM pg_constraint WHERE conindid = to_regclass('"docs_title_key"');

-- The index docs_title_key is not the replica identity of docs.
-- expect: 0
SELECT count(*) FROM pg_index WHERE indexrelid = to_regclass('"docs_title_key"') AND indisreplident;

-- verification
-- The index docs_title_key is gone.
-- expect: true
SELECT to_regclass('"docs_title_key"') IS NULL;
