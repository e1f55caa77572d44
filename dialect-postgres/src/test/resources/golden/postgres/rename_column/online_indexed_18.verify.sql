-- The column contact_email exists with the type of email.
-- expect: 1
SELECT count(*) FROM pg_attribute WHERE attrelid = '"customers"'::regclass AND NOT attisdropped
  AND attname = 'contact_email' AND format_type(atttypid, atttypmod) = 'text';

-- The sync trigger exists and is enabled.
-- expect: 1
SELECT count(*) FROM pg_trigger WHERE tgrelid = '"customers"'::regclass AND tgname = 'zd_sync_customers_email' AND tgenabled = 'O';

-- The backfill finished.
-- expect: 1
SELECT count(*) FROM zerodown.backfill_progress WHERE migration = 'rename_email' AND step = '1.customers.rename_email_to_contact_email.backfill' AND finished_at IS NOT NULL;

-- Both names hold the same value in every row.
-- expect: 0
SELECT count(*) FROM "customers" WHERE "contact_email"::text IS DISTINCT FROM "email"::text;

-- customers.contact_email is NOT NULL.
-- expect: true
SELECT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"customers"'::regclass AND attname = 'contact_email' AND attnotnull);

-- The index copies on contact_email exist and are valid.
-- expect: 3
SELECT count(*) FROM pg_index WHERE indrelid = '"customers"'::regclass AND indisvalid AND indexrelid IN (to_regclass('"zd_customers_email_age_idx"'), to_regclass('"zd_customers_lower_email_idx"'), to_regclass('"zd_customers_email_key"'));

-- The check zd_email_has_at on contact_email is validated.
-- expect: true
SELECT EXISTS (SELECT FROM pg_constraint WHERE conrelid = '"customers"'::regclass AND conname = 'zd_email_has_at' AND convalidated);
