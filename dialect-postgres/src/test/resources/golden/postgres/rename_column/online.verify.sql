-- The column alias exists with the type of nickname.
-- expect: 1
SELECT count(*) FROM pg_attribute WHERE attrelid = '"customers"'::regclass AND NOT attisdropped
  AND attname = 'alias' AND format_type(atttypid, atttypmod) = 'text';

-- The sync trigger exists and is enabled.
-- expect: 1
SELECT count(*) FROM pg_trigger WHERE tgrelid = '"customers"'::regclass AND tgname = 'zd_sync_customers_nickname' AND tgenabled = 'O';

-- The backfill finished.
-- expect: 1
SELECT count(*) FROM zerodown.backfill_progress WHERE migration = 'rename_email' AND step = '1.customers.rename_nickname_to_alias.backfill' AND finished_at IS NOT NULL;

-- Both names hold the same value in every row.
-- expect: 0
SELECT count(*) FROM "customers" WHERE "alias"::text IS DISTINCT FROM "nickname"::text;
