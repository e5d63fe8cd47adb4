ALTER TABLE "devices" ADD COLUMN "removed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "removal_proof" "bytea";