-- The trigger that computes slug exists and is enabled.
-- expect: 1
SELECT count(*) FROM pg_trigger WHERE tgrelid = '"products"'::regclass AND tgname = 'zd_fill_products_slug' AND tgenabled = 'O';

-- The backfill finished.
-- expect: 1
SELECT count(*) FROM zerodown.backfill_progress WHERE migration = 'fill_slugs' AND step = '1.products.backfill_slug.backfill' AND finished_at IS NOT NULL;

-- Every row's slug equals lower(replace(name, ' ', '-')).
-- expect: 0
SELECT count(*) FROM "products" WHERE "slug" IS DISTINCT FROM CAST((lower(replace(name, ' ', '-'))) AS text);

-- The table keeping the replaced values exists.
-- expect: 1
SELECT count(*) FROM pg_class WHERE oid = to_regclass('"zerodown"."zd_old_fill_slugs_products_slug"');
