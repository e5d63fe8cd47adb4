-- A push in one round trip: the compare-and-swap of every item, the seq counter and the NOTIFY,
-- inside the database (server/services/sync.ts calls it; DESIGN §4 states the rules).
--
-- | stored                         | item                                   | decision            |
-- | ------------------------------ | -------------------------------------- | ------------------- |
-- | none                           | baseVersion 0                          | write version 1     |
-- | none                           | baseVersion > 0                        | conflict (missing)  |
-- | version == baseVersion         | any                                    | write base + 1      |
-- | version == baseVersion + 1,    | same deleted flag and same ct bytes    | same (a retry: the  |
-- |   written by this content      |                                        | stored copy counts) |
-- | anything else                  |                                        | conflict (stored)   |
--
-- Items arrive as jsonb [{"id", "b": baseVersion, "d": deleted, "c": ct as hex or null}]; one
-- row comes back per item, in order: ('applied', id, version, seq) or ('conflict', the stored
-- record, or version 0 / seq 0 / deleted / null when there is none).
--
-- Concurrency: the user's row lock is taken first, so seq order is commit order. Each later
-- statement of this VOLATILE function runs with a fresh snapshot (READ COMMITTED), so it sees
-- what the previous holder of the lock committed; a read joined into the locking statement
-- would not (Postgres re-checks only the locked row), which is how a lost update happens.
CREATE FUNCTION cofre_push(p_user uuid, p_device uuid, p_items jsonb)
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
    SELECT (e ->> 'id')::uuid AS id, (e ->> 'b')::integer AS base, (e ->> 'd')::boolean AS del,
           decode(e ->> 'c', 'hex') AS ct
    FROM jsonb_array_elements(p_items) WITH ORDINALITY AS t(e, ord)
    ORDER BY ord
  LOOP
    SELECT r.version, r.seq, r.deleted, r.ct, r.updated_at INTO v_stored
    FROM records r WHERE r.user_id = p_user AND r.id = v_item.id;
    IF (NOT FOUND AND v_item.base = 0) OR (FOUND AND v_stored.version = v_item.base) THEN
      v_seq := v_seq + 1;
      INSERT INTO records AS r (user_id, id, version, seq, deleted, ct, updated_at, device_id)
      VALUES (p_user, v_item.id, v_item.base + 1, v_seq, v_item.del, v_item.ct, now(), p_device)
      ON CONFLICT (user_id, id) DO UPDATE SET
        version = excluded.version, seq = excluded.seq, deleted = excluded.deleted,
        ct = excluded.ct, updated_at = excluded.updated_at, device_id = excluded.device_id;
      RETURN QUERY SELECT 'applied'::text, v_item.id, v_item.base + 1, v_seq,
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
