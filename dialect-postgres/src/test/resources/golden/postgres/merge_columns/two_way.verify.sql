-- The new column exists with its type.
-- expect: 1
SELECT count(*) FROM pg_attribute
WHERE attrelid = '"people"'::regclass AND NOT attisdropped
  AND attname = 'full_name' AND format_type(atttypid, atttypmod) = 'text';

-- The sync trigger exists and is enabled.
-- expect: 1
SELECT count(*) FROM pg_trigger WHERE tgrelid = '"people"'::regclass AND tgname = 'zd_merge_people_full_name' AND tgenabled = 'O';

-- The backfill finished.
-- expect: 1
SELECT count(*) FROM zerodown.backfill_progress WHERE migration = 'merge_names' AND step = '1.people.merge_into_full_name.backfill' AND finished_at IS NOT NULL;

-- No row with a non-blank first_name, last_name is left without full_name.
-- expect: 0
SELECT count(*) FROM "people"
WHERE "full_name" IS NULL AND (btrim("first_name") <> '' OR btrim("last_name") <> '');

-- Every row's full_name equals the merge of first_name, last_name (holds until new code writes full_name directly with a value the merge would not produce, e.g. two separators in a row).
-- expect: 0
SELECT count(*) FROM "people"
WHERE "full_name" IS DISTINCT FROM NULLIF(concat_ws(' ', NULLIF(btrim("first_name"), ''), NULLIF(btrim("last_name"), '')), '');
