-- The table is now called accounts.
-- expect: 1
SELECT count(*) FROM pg_class WHERE oid = to_regclass('"accounts"') AND relkind IN ('r', 'p');

-- The name users is an updatable view of accounts.
-- expect: 1
SELECT count(*) FROM pg_class v WHERE v.oid = to_regclass('"users"') AND v.relkind = 'v'
  AND pg_relation_is_updatable(v.oid, false) & 28 = 28
  AND EXISTS (SELECT FROM pg_rewrite r JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
              WHERE r.ev_class = v.oid AND d.refobjid = to_regclass('"accounts"'));
