CREATE TABLE "retired_account_keys" (
	"user_id" uuid NOT NULL,
	"generation" integer NOT NULL,
	"wrapped" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "retired_account_keys_user_id_generation_pk" PRIMARY KEY("user_id","generation")
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "key_generation" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "retired_account_keys" ADD CONSTRAINT "retired_account_keys_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;