-- Versions computed where they cannot overflow: a baseVersion of 2^31 - 1 (the protocol's
-- largest) used to overflow `base + 1` in integer arithmetic and abort the whole push with an
-- error. The base is read as bigint, compared in bigint, and a record already at the largest
-- version cannot be written again: that item is answered as a conflict, the others go on.
-- Same decision tables as migrations 0001 (cofre_push) and 0005 (cofre_vault_push).
CREATE OR REPLACE FUNCTION cofre_push(p_user uuid, p_device uuid, p_items jsonb)
RETURNS TABLE (
  o_kind text,
  o_id uuid,
  o_version integer,
  o_seq bigint,
  o_deleted boolean,
  o_ct bytea,
  o_updated_at timestamptz
)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_seq bigint;
  v_start bigint;
  v_item record;
  v_stored record;
BEGIN
  SELECT u.seq INTO v_seq FROM users u WHERE u.id = p_user FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'cofre: account not found' USING ERRCODE = 'P0002';
  END IF;
  v_start := v_seq;
  FOR v_item IN
    SELECT (e ->> 'id')::uuid AS id, (e ->> 'b')::bigint AS base, (e ->> 'd')::boolean AS del,
           decode(e ->> 'c', 'hex') AS ct
    FROM jsonb_array_elements(p_items) WITH ORDINALITY AS t(e, ord)
    ORDER BY ord
  LOOP
    SELECT r.version, r.seq, r.deleted, r.ct, r.updated_at INTO v_stored
    FROM records r WHERE r.user_id = p_user AND r.id = v_item.id;
    IF ((NOT FOUND AND v_item.base = 0) OR (FOUND AND v_stored.version = v_item.base))
       AND v_item.base < 2147483647 THEN
      v_seq := v_seq + 1;
      INSERT INTO records AS r (user_id, id, version, seq, deleted, ct, updated_at, device_id)
      VALUES (p_user, v_item.id, (v_item.base + 1)::integer, v_seq, v_item.del, v_item.ct, now(), p_device)
      ON CONFLICT (user_id, id) DO UPDATE SET
        version = excluded.version, seq = excluded.seq, deleted = excluded.deleted,
        ct = excluded.ct, updated_at = excluded.updated_at, device_id = excluded.device_id;
      RETURN QUERY SELECT 'applied'::text, v_item.id, (v_item.base + 1)::integer, v_seq,
        NULL::boolean, NULL::bytea, NULL::timestamptz;
    ELSIF NOT FOUND THEN
      RETURN QUERY SELECT 'conflict'::text, v_item.id, 0, 0::bigint, true, NULL::bytea,
        NULL::timestamptz;
    ELSIF v_stored.version = v_item.base + 1 AND v_stored.deleted = v_item.del
          AND v_stored.ct IS NOT DISTINCT FROM v_item.ct THEN
      RETURN QUERY SELECT 'applied'::text, v_item.id, v_stored.version, v_stored.seq,
        NULL::boolean, NULL::bytea, NULL::timestamptz;
    ELSE
      RETURN QUERY SELECT 'conflict'::text, v_item.id, v_stored.version, v_stored.seq,
        v_stored.deleted, v_stored.ct, v_stored.updated_at;
    END IF;
  END LOOP;
  IF v_seq > v_start THEN
    UPDATE users SET seq = v_seq WHERE id = p_user;
    -- Delivered to every LISTENing instance when this transaction commits.
    PERFORM pg_notify('cofre_changes', p_user::text || ':' || v_seq::text);
  END IF;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION cofre_vault_push(p_vault uuid, p_user uuid, p_device uuid, p_items jsonb)
RETURNS TABLE (
  o_kind text,
  o_id uuid,
  o_version integer,
  o_seq bigint,
  o_deleted boolean,
  o_ct bytea,
  o_updated_at timestamptz
)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_seq bigint;
  v_start bigint;
  v_role text;
  v_item record;
  v_stored record;
BEGIN
  SELECT v.seq INTO v_seq FROM vaults v WHERE v.id = p_vault FOR UPDATE;
  SELECT m.role INTO v_role FROM vaults v JOIN vault_grants m ON m.vault_id = v.id AND m.generation = v.generation
  WHERE v.id = p_vault AND m.user_id = p_user AND m.removed_at IS NULL;
  IF v_seq IS NULL OR v_role IS NULL THEN
    RAISE EXCEPTION 'cofre: not a member of this vault' USING ERRCODE = 'P0004';
  END IF;
  IF v_role NOT IN ('owner', 'manager', 'editor') THEN
    RAISE EXCEPTION 'cofre: this role cannot write' USING ERRCODE = 'P0003';
  END IF;
  v_start := v_seq;
  FOR v_item IN
    SELECT (e ->> 'id')::uuid AS id, (e ->> 'b')::bigint AS base, (e ->> 'd')::boolean AS del,
           decode(e ->> 'c', 'hex') AS ct
    FROM jsonb_array_elements(p_items) WITH ORDINALITY AS t(e, ord)
    ORDER BY ord
  LOOP
    SELECT r.version, r.seq, r.deleted, r.ct, r.updated_at INTO v_stored
    FROM vault_records r WHERE r.vault_id = p_vault AND r.id = v_item.id;
    IF ((NOT FOUND AND v_item.base = 0) OR (FOUND AND v_stored.version = v_item.base))
       AND v_item.base < 2147483647 THEN
      v_seq := v_seq + 1;
      INSERT INTO vault_records AS r (vault_id, id, version, seq, deleted, ct, updated_at, user_id,
                                      device_id)
      VALUES (p_vault, v_item.id, (v_item.base + 1)::integer, v_seq, v_item.del, v_item.ct, now(), p_user,
              p_device)
      ON CONFLICT (vault_id, id) DO UPDATE SET
        version = excluded.version, seq = excluded.seq, deleted = excluded.deleted,
        ct = excluded.ct, updated_at = excluded.updated_at, user_id = excluded.user_id,
        device_id = excluded.device_id;
      RETURN QUERY SELECT 'applied'::text, v_item.id, (v_item.base + 1)::integer, v_seq,
        NULL::boolean, NULL::bytea, NULL::timestamptz;
    ELSIF NOT FOUND THEN
      RETURN QUERY SELECT 'conflict'::text, v_item.id, 0, 0::bigint, true, NULL::bytea,
        NULL::timestamptz;
    ELSIF v_stored.version = v_item.base + 1 AND v_stored.deleted = v_item.del
          AND v_stored.ct IS NOT DISTINCT FROM v_item.ct THEN
      RETURN QUERY SELECT 'applied'::text, v_item.id, v_stored.version, v_stored.seq,
        NULL::boolean, NULL::bytea, NULL::timestamptz;
    ELSE
      RETURN QUERY SELECT 'conflict'::text, v_item.id, v_stored.version, v_stored.seq,
        v_stored.deleted, v_stored.ct, v_stored.updated_at;
    END IF;
  END LOOP;
  IF v_seq > v_start THEN
    UPDATE vaults SET seq = v_seq WHERE id = p_vault;
    PERFORM pg_notify('cofre_changes', p_vault::text || ':' || v_seq::text);
  END IF;
END
$$;
