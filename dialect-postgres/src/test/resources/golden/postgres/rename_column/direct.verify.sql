-- The column is now called contact_email, and email is gone.
-- expect: 10
SELECT count(*) FILTER (WHERE attname = 'contact_email') * 10 + count(*) FILTER (WHERE attname = 'email')
FROM pg_attribute WHERE attrelid = '"customers"'::regclass AND NOT attisdropped;
