-- The new columns exist with their types.
-- expect: 2
SELECT count(*) FROM pg_attribute
WHERE attrelid = '"users"'::regclass AND NOT attisdropped
  AND ((attname = 'first_name' AND format_type(atttypid, atttypmod) = 'character varying(255)')
    OR (attname = 'last_name' AND format_type(atttypid, atttypmod) = 'character varying(255)'));

-- The sync trigger exists and is enabled.
-- expect: 1
SELECT count(*) FROM pg_trigger WHERE tgrelid = '"users"'::regclass AND tgname = 'zd_sync_users_full_name' AND tgenabled = 'O';

-- The backfill finished.
-- expect: 1
SELECT count(*) FROM zerodown.backfill_progress WHERE migration = 'split_full_name' AND step = '1.users.split_full_name.backfill' AND finished_at IS NOT NULL;

-- No row with a non-blank full_name is left without its parts.
-- expect: 0
SELECT count(*) FROM "users"
WHERE "first_name" IS NULL AND "last_name" IS NULL AND btrim("full_name") <> '';

-- Every row's parts equal the split of full_name (holds until new code writes the new columns directly, e.g. a first name with a space in it).
-- expect: 0
SELECT count(*) FROM "users"
WHERE ("first_name", "last_name")
  IS DISTINCT FROM (CASE WHEN btrim("full_name") = '' THEN NULL WHEN strpos(btrim("full_name"), ' ') = 0 THEN btrim("full_name") ELSE NULLIF(btrim(left(btrim("full_name"), strpos(btrim("full_name"), ' ') - 1)), '') END,
      CASE WHEN strpos(btrim("full_name"), ' ') = 0 THEN NULL ELSE NULLIF(btrim(substr(btrim("full_name"), strpos(btrim("full_name"), ' ') + length(' '))), '') END);

-- The index users_last_name_idx exists on users and is valid.
-- expect: true
SELECT i.indisvalid AND i.indisready AND i.indrelid = '"users"'::regclass AND i.indisunique = false
FROM pg_index i WHERE i.indexrelid = to_regclass('"users_last_name_idx"');
