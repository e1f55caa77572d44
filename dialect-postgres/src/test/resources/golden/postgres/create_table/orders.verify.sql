-- The table orders exists with exactly the columns described (names, types, NOT NULL).
-- expect: true
SELECT count(*) = 7 AND count(*) FILTER (WHERE
    (attname = 'id' AND format_type(atttypid, atttypmod) = 'bigint' AND attnotnull = true)
    OR (attname = 'user_id' AND format_type(atttypid, atttypmod) = 'bigint' AND attnotnull = true)
    OR (attname = 'code' AND format_type(atttypid, atttypmod) = 'character varying(20)' AND attnotnull = true)
    OR (attname = 'status' AND format_type(atttypid, atttypmod) = 'text' AND attnotnull = true)
    OR (attname = 'total' AND format_type(atttypid, atttypmod) = 'numeric(12,2)' AND attnotnull = false)
    OR (attname = 'tags' AND format_type(atttypid, atttypmod) = 'text[]' AND attnotnull = false)
    OR (attname = 'created_at' AND format_type(atttypid, atttypmod) = 'timestamp with time zone' AND attnotnull = true)) = 7
FROM pg_attribute WHERE attrelid = to_regclass('"orders"') AND attnum > 0 AND NOT attisdropped;

-- Its keys exist: orders_pkey, orders_user_id_code_key.
-- expect: 2
SELECT count(*) FROM pg_constraint WHERE conrelid = to_regclass('"orders"') AND contype IN ('p', 'u')
  AND conname IN ('orders_pkey', 'orders_user_id_code_key');
