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

-- accounts is an ordinary table, not a partitioned one.
-- expect: true
SELECT relkind = 'r' FROM pg_class WHERE oid = '"accounts"'::regclass;

-- No index or other relation named accounts_email_tenant_key exists yet (on a re-run it does: expected).
-- expect: 0
SELECT count(*) FROM pg_class WHERE oid = to_regclass('"accounts_email_tenant_key"');

-- No two rows share a key (email, tenant) without a NULL in it.
-- expect: 0
SELECT count(*) FROM (
  SELECT "email", "tenant" FROM "accounts" WHERE "email" IS NOT NULL AND "tenant" IS NOT NULL
  GROUP BY "email", "tenant" HAVING count(*) > 1
) AS duplicates;

-- verification
-- The unique constraint accounts_email_tenant_key exists on accounts (email, tenant) and its index is valid.
-- expect: 1
SELECT count(*) FROM pg_constraint c JOIN pg_index i ON i.indexrelid = c.conindid
WHERE c.conrelid = '"accounts"'::regclass AND c.conname = 'accounts_email_tenant_key' AND c.contype = 'u' AND i.indisvalid
  AND ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.n) = ARRAY['email', 'tenant']::text[];
