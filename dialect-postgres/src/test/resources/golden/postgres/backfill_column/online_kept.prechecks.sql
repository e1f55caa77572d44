-- The expression evaluates on products's rows and converts to text (on a sample of 10,000 rows).
-- expect: true
SELECT count(zd_value) >= 0 FROM (SELECT CAST((lower(replace(name, ' ', '-'))) AS text) AS zd_value FROM "products" AS zd_row LIMIT 10000) AS zd_sample;

-- No other trigger on products has a function that names slug (one that writes it could fight the trigger that computes it).
-- expect: 0
SELECT count(*) FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid WHERE t.tgrelid = '"products"'::regclass AND NOT t.tgisinternal AND t.tgname <> 'zd_fill_products_slug' AND (p.prosrc ~* '\mslug\M');
