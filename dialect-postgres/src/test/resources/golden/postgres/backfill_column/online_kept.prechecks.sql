-- The expression evaluates on products's rows and converts to text (on a sample of 10,000 rows).
-- expect: true
SELECT count(zd_value) >= 0 FROM (SELECT CAST((lower(replace(name, ' ', '-'))) AS text) AS zd_value FROM "products" AS zd_row LIMIT 10000) AS zd_sample;

-- No other trigger on products writes slug (it could fight the one that computes it).
-- expect: 0
SELECT count(*) FROM pg_trigger WHERE tgrelid = '"products"'::regclass AND NOT tgisinternal AND tgname <> 'zd_fill_products_slug';
