-- zerodown · up
-- Migration: keys
-- Author: ops@example.com
-- Date: 2026-11-24
-- Target: postgresql 15
-- Risk: LOW
-- Estimated run time: 50 ms
-- Lock duration: no lock that blocks reads or writes
-- Phases: build
--
-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>
-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.
-- Safe to run again after a failure: every step skips or resumes what is already done.

\set ON_ERROR_STOP on

-- ─── Step 1 of 1 · build · 1.docs.drop_index_docs_title_key.drop
-- Drop the index docs_title_key concurrently
-- Runs statement by statement, outside any transaction.
-- Lock: docs: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: The index may be left INVALID (queries no longer use it, writes still maintain it). Running the script again drops it.
\echo 'zerodown: step 1 of 1: Drop the index docs_title_key concurrently'
SET lock_timeout = 0;
SET statement_timeout = 0;
DROP INDEX CONCURRENTLY IF EXISTS "docs_title_key";
RESET statement_timeout;
RESET lock_timeout;

\echo 'zerodown: up script complete'
