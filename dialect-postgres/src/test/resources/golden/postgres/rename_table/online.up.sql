-- zerodown · up
-- Migration: rename_users
-- Author: unknown
-- Date: 2026-11-24
-- Target: postgresql 15
-- Risk: MEDIUM
-- Estimated run time: 50 ms
-- Lock duration: blocking locks are held only for catalog changes (milliseconds) (waits for each lock are capped at 1 s by lock_timeout, 10 attempts)
-- Phases: expand
--
-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>
-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.
-- Safe to run again after a failure: every step skips or resumes what is already done.

\set ON_ERROR_STOP on

-- ─── Step 1 of 1 · expand · 1.users.rename_users_to_accounts.rename
-- Rename users to accounts and create the view users in its place
-- Runs in one transaction.
-- Lock: users: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the rename and the view are one transaction, retried on lock timeout. Run the script again: a rename already done is skipped.
\echo 'zerodown: step 1 of 1: Rename users to accounts and create the view users in its place'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      IF EXISTS (SELECT FROM pg_class WHERE oid = to_regclass('"users"') AND relkind IN ('r', 'p')) AND to_regclass('"accounts"') IS NULL THEN
        ALTER TABLE "users" RENAME TO "accounts";
      END IF;
      IF to_regclass('"users"') IS NULL THEN
        CREATE VIEW "users" WITH (security_invoker = true) AS SELECT * FROM "accounts";
        DECLARE
          zd_grant record;
        BEGIN
          IF (SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = to_regclass('"accounts"')) <> current_user THEN
            EXECUTE format('ALTER VIEW %I OWNER TO %I', 'users', (SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = to_regclass('"accounts"')));
          END IF;
          FOR zd_grant IN SELECT a.privilege_type, a.grantee, a.is_grantable
              FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) AS a
              WHERE c.oid = to_regclass('"accounts"') AND a.grantee <> c.relowner
                AND a.privilege_type IN ('SELECT', 'INSERT', 'UPDATE', 'DELETE') LOOP
            EXECUTE format('GRANT %s ON %I TO %s', zd_grant.privilege_type, 'users',
                CASE WHEN zd_grant.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(zd_grant.grantee)) END)
              || CASE WHEN zd_grant.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END;
          END LOOP;
        END;
      END IF;
      EXIT;
    EXCEPTION WHEN lock_not_available THEN
      attempt := attempt + 1;
      IF attempt >= 10 THEN
        RAISE EXCEPTION 'zerodown: gave up after % attempts to lock within 1000 ms', attempt
          USING ERRCODE = 'lock_not_available',
                HINT = 'Another session holds a conflicting lock. Find it with pg_blocking_pids() (see the execution plan), then run the script again: completed steps are skipped.';
      END IF;
      RAISE NOTICE 'zerodown: lock not available within 1000 ms (attempt % of 10), retrying', attempt;
      PERFORM pg_sleep(least(30.000, 0.200 * 2 ^ attempt) * (0.5 + random() / 2));
    END;
  END LOOP;
END
$zerodown$;

\echo 'zerodown: up script complete'
