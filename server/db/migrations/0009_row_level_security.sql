-- Defence in depth: the server answers requests as the role cofre_app, which row-level
-- security holds to the rows of the account it acts for (the setting cofre.user_id, set per
-- transaction by the server). A query that forgot its "where user_id = …" returns the caller's
-- rows only. Migrations, maintenance, backups and the administrator run as the owner of the
-- tables (the migration role), which RLS does not hold.
--
-- Lookups made before an account is known (an email at sign-in, a session token, a passkey's id,
-- a sign-in ticket) go through the SECURITY DEFINER functions below, each answering one id.

DO $$
BEGIN
  CREATE ROLE cofre_app NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL; -- made by another database's migration on this cluster (roles are cluster-wide)
END
$$;
--> statement-breakpoint
DO $$
BEGIN
  -- The server's own connections take the role (SET ROLE); a superuser needs no membership.
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
     AND NOT pg_has_role(current_user, 'cofre_app', 'MEMBER') THEN
    EXECUTE format('GRANT cofre_app TO %I', current_user);
  END IF;
END
$$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO cofre_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO cofre_app;
--> statement-breakpoint
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO cofre_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO cofre_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO cofre_app;
--> statement-breakpoint

CREATE FUNCTION cofre_current_user() RETURNS uuid
LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('cofre.user_id', true), '')::uuid $$;
--> statement-breakpoint

-- ---- lookups before an account is known (each answers one id, never a row of data) ----
CREATE FUNCTION cofre_user_by_email(p_email text) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT id FROM users WHERE email = p_email $$;
--> statement-breakpoint
CREATE FUNCTION cofre_user_by_credential(p_id text) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT user_id FROM passkeys WHERE id = p_id $$;
--> statement-breakpoint
CREATE FUNCTION cofre_user_by_ticket(p_hash bytea) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT user_id FROM login_tickets WHERE token_hash = p_hash AND expires_at > now() $$;
--> statement-breakpoint
CREATE FUNCTION cofre_account_count() RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT count(*) FROM users $$;
--> statement-breakpoint
-- A bearer token's session (by the token's SHA-256): the one row a request starts from.
CREATE FUNCTION cofre_session_by_token(p_hash bytea)
RETURNS TABLE (id uuid, user_id uuid, device_id uuid, created_at timestamptz,
               last_seen_at timestamptz, expires_at timestamptz, restricted boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT s.id, s.user_id, s.device_id, s.created_at, s.last_seen_at, s.expires_at, s.restricted
  FROM sessions s WHERE s.token_hash = p_hash
$$;
--> statement-breakpoint
-- Marks a session (and its device) seen; false when it is gone.
CREATE FUNCTION cofre_touch_session(p_session uuid) RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  v_user uuid;
  v_device uuid;
BEGIN
  UPDATE sessions SET last_seen_at = now() WHERE id = p_session
    RETURNING user_id, device_id INTO v_user, v_device;
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  UPDATE devices SET last_seen_at = now() WHERE user_id = v_user AND id = v_device;
  RETURN true;
END
$$;
--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION cofre_user_by_email(text), cofre_user_by_credential(text),
  cofre_user_by_ticket(bytea), cofre_account_count(), cofre_session_by_token(bytea),
  cofre_touch_session(uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION cofre_user_by_email(text), cofre_user_by_credential(text),
  cofre_user_by_ticket(bytea), cofre_account_count(), cofre_session_by_token(bytea),
  cofre_touch_session(uuid) TO cofre_app;
--> statement-breakpoint

-- ---- the policies: every per-user table holds the role to the current account's rows ----
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['records', 'sessions', 'devices', 'passkeys', 'retired_account_keys',
    'recovery_kits', 'totp_factors', 'recovery_codes', 'remembered_devices', 'login_tickets']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY own_rows ON %I TO cofre_app USING (user_id = cofre_current_user()) WITH CHECK (user_id = cofre_current_user())',
      t);
  END LOOP;
END
$$;
--> statement-breakpoint
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY own_row ON users TO cofre_app
  USING (id = cofre_current_user()) WITH CHECK (id = cofre_current_user());
--> statement-breakpoint
-- The audit log: an account reads its own events; a failed sign-in against an email with no
-- account is written with no user.
ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY own_events ON audit_events FOR SELECT TO cofre_app
  USING (user_id = cofre_current_user());
--> statement-breakpoint
CREATE POLICY write_events ON audit_events FOR INSERT TO cofre_app
  WITH CHECK (user_id IS NULL OR user_id = cofre_current_user());
--> statement-breakpoint
-- Identities are public statements (and private halves sealed by their owner's account key):
-- anyone signed in may read one; only its owner writes it.
ALTER TABLE identities ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY read_identities ON identities FOR SELECT TO cofre_app
  USING (cofre_current_user() IS NOT NULL);
--> statement-breakpoint
CREATE POLICY own_identity ON identities FOR ALL TO cofre_app
  USING (user_id = cofre_current_user()) WITH CHECK (user_id = cofre_current_user());
--> statement-breakpoint
-- A shared vault's records and retired keys: to its current members only.
CREATE FUNCTION cofre_member_of(p_vault uuid) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT EXISTS (
    SELECT 1 FROM vaults v JOIN vault_grants g ON g.vault_id = v.id AND g.generation = v.generation
    WHERE v.id = p_vault AND g.user_id = cofre_current_user() AND g.removed_at IS NULL)
$$;
--> statement-breakpoint
ALTER TABLE vault_records ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY members ON vault_records TO cofre_app
  USING (cofre_member_of(vault_id)) WITH CHECK (cofre_member_of(vault_id));
--> statement-breakpoint
ALTER TABLE vault_retired_keys ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY members ON vault_retired_keys TO cofre_app
  USING (cofre_member_of(vault_id)) WITH CHECK (cofre_member_of(vault_id));
