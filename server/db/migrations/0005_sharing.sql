CREATE TABLE "identities" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"statement" "bytea" NOT NULL,
	"signature" "bytea" NOT NULL,
	"sealed_private" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vault_grants" (
	"vault_id" uuid NOT NULL,
	"generation" integer NOT NULL,
	"user_id" uuid NOT NULL,
	"role" text NOT NULL,
	"grant" "bytea" NOT NULL,
	"signature" "bytea" NOT NULL,
	"sealed_key" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"removed_at" timestamp with time zone,
	CONSTRAINT "vault_grants_vault_id_generation_user_id_pk" PRIMARY KEY("vault_id","generation","user_id")
);
--> statement-breakpoint
CREATE TABLE "vault_invitations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"vault_id" uuid NOT NULL,
	"email" text NOT NULL,
	"role" text NOT NULL,
	"invited_by" uuid NOT NULL,
	"invitation" "bytea" NOT NULL,
	"signature" "bytea" NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"accepted_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"answered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "vault_records" (
	"vault_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" integer NOT NULL,
	"seq" bigint NOT NULL,
	"deleted" boolean DEFAULT false NOT NULL,
	"ct" "bytea",
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"user_id" uuid NOT NULL,
	"device_id" uuid NOT NULL,
	CONSTRAINT "vault_records_vault_id_id_pk" PRIMARY KEY("vault_id","id")
);
--> statement-breakpoint
CREATE TABLE "vault_retired_keys" (
	"vault_id" uuid NOT NULL,
	"generation" integer NOT NULL,
	"wrapped" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "vault_retired_keys_vault_id_generation_pk" PRIMARY KEY("vault_id","generation")
);
--> statement-breakpoint
CREATE TABLE "vaults" (
	"id" uuid PRIMARY KEY NOT NULL,
	"owner_id" uuid NOT NULL,
	"generation" integer DEFAULT 1 NOT NULL,
	"seq" bigint DEFAULT 0 NOT NULL,
	"tombstone_horizon" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "identities" ADD CONSTRAINT "identities_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vault_grants" ADD CONSTRAINT "vault_grants_vault_id_vaults_id_fk" FOREIGN KEY ("vault_id") REFERENCES "public"."vaults"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vault_grants" ADD CONSTRAINT "vault_grants_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vault_invitations" ADD CONSTRAINT "vault_invitations_vault_id_vaults_id_fk" FOREIGN KEY ("vault_id") REFERENCES "public"."vaults"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vault_invitations" ADD CONSTRAINT "vault_invitations_invited_by_users_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vault_invitations" ADD CONSTRAINT "vault_invitations_accepted_by_users_id_fk" FOREIGN KEY ("accepted_by") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vault_records" ADD CONSTRAINT "vault_records_vault_id_vaults_id_fk" FOREIGN KEY ("vault_id") REFERENCES "public"."vaults"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vault_retired_keys" ADD CONSTRAINT "vault_retired_keys_vault_id_vaults_id_fk" FOREIGN KEY ("vault_id") REFERENCES "public"."vaults"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vaults" ADD CONSTRAINT "vaults_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "vault_grants_user_idx" ON "vault_grants" USING btree ("user_id","vault_id");--> statement-breakpoint
CREATE INDEX "vault_invitations_vault_idx" ON "vault_invitations" USING btree ("vault_id","status");--> statement-breakpoint
CREATE INDEX "vault_invitations_email_idx" ON "vault_invitations" USING btree ("email","status");--> statement-breakpoint
CREATE INDEX "vault_invitations_accepted_by_idx" ON "vault_invitations" USING btree ("accepted_by");--> statement-breakpoint
CREATE INDEX "vault_invitations_invited_by_idx" ON "vault_invitations" USING btree ("invited_by");--> statement-breakpoint
CREATE UNIQUE INDEX "vault_records_vault_seq_idx" ON "vault_records" USING btree ("vault_id","seq");--> statement-breakpoint
CREATE INDEX "vault_records_tombstones_idx" ON "vault_records" USING btree ("updated_at") WHERE "vault_records"."deleted";--> statement-breakpoint
CREATE INDEX "vaults_owner_idx" ON "vaults" USING btree ("owner_id");--> statement-breakpoint
-- A push of one shared vault's records: cofre_push's compare-and-swap (migration 0001: the same
-- decision table) under the vault's own row lock and seq counter, after checking in the same
-- transaction that the writer is a member whose role may write (owner, manager, editor).
-- Membership changes take the same row lock, so a removal and a push never interleave: a
-- member removed or demoted before this lock is taken writes nothing.
CREATE FUNCTION cofre_vault_push(p_vault uuid, p_user uuid, p_device uuid, p_items jsonb)
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
    SELECT (e ->> 'id')::uuid AS id, (e ->> 'b')::integer AS base, (e ->> 'd')::boolean AS del,
           decode(e ->> 'c', 'hex') AS ct
    FROM jsonb_array_elements(p_items) WITH ORDINALITY AS t(e, ord)
    ORDER BY ord
  LOOP
    SELECT r.version, r.seq, r.deleted, r.ct, r.updated_at INTO v_stored
    FROM vault_records r WHERE r.vault_id = p_vault AND r.id = v_item.id;
    IF (NOT FOUND AND v_item.base = 0) OR (FOUND AND v_stored.version = v_item.base) THEN
      v_seq := v_seq + 1;
      INSERT INTO vault_records AS r (vault_id, id, version, seq, deleted, ct, updated_at, user_id,
                                      device_id)
      VALUES (p_vault, v_item.id, v_item.base + 1, v_seq, v_item.del, v_item.ct, now(), p_user,
              p_device)
      ON CONFLICT (vault_id, id) DO UPDATE SET
        version = excluded.version, seq = excluded.seq, deleted = excluded.deleted,
        ct = excluded.ct, updated_at = excluded.updated_at, user_id = excluded.user_id,
        device_id = excluded.device_id;
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
    UPDATE vaults SET seq = v_seq WHERE id = p_vault;
    PERFORM pg_notify('cofre_changes', p_vault::text || ':' || v_seq::text);
  END IF;
END
$$;
