-- Written for schemaforge's import tests (not from the public corpus): what real PostgreSQL dumps
-- have and the corpus lacks. Unquoted upper-case names and references (folded to lower case),
-- quoted names with hyphens and spaces, a 63-byte identifier, keywords as column names, an enum
-- type in another schema with a hyphen, an identity key, citext/inet/range types, a declarative
-- partition, expression/partial/INCLUDE/operator-class indexes, a deferrable foreign key that makes
-- a cycle, a self reference, a composite foreign key and a join table.
SET client_encoding = 'UTF8';
CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;
CREATE SCHEMA billing;
CREATE TYPE billing."invoice-status" AS ENUM ('draft', 'sent', 'paid', 'void');

CREATE TABLE Organizations (
    ID bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    "Display Name" varchar(200) NOT NULL,
    slug citext NOT NULL UNIQUE,
    Parent_ID bigint REFERENCES ORGANIZATIONS (id) ON DELETE SET NULL,
    billing_contact_id uuid,
    settings jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamptz DEFAULT now() NOT NULL
);

CREATE TABLE public."user-accounts" (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    org_id bigint NOT NULL,
    email citext NOT NULL,
    "select" boolean DEFAULT false NOT NULL,
    "from" integer,
    last_login inet,
    a_column_name_that_is_exactly_sixty_three_bytes_long_for_pg_xxx text,
    CONSTRAINT "user-accounts_pkey" PRIMARY KEY (id),
    CONSTRAINT user_accounts_email_key UNIQUE (org_id, email)
);
ALTER TABLE ONLY Organizations
    ADD CONSTRAINT organizations_billing_contact_fkey FOREIGN KEY (Billing_Contact_ID) REFERENCES public."user-accounts"(id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE ONLY public."user-accounts"
    ADD CONSTRAINT "user-accounts_org_fkey" FOREIGN KEY (org_id) REFERENCES Organizations(Id) ON DELETE CASCADE;

CREATE TABLE billing.invoices (
    org_id bigint NOT NULL,
    number integer NOT NULL,
    status billing."invoice-status" DEFAULT 'draft'::billing."invoice-status" NOT NULL,
    amount numeric(12,2) NOT NULL CHECK (amount >= 0),
    issued_on date DEFAULT CURRENT_DATE NOT NULL,
    period tstzrange,
    PRIMARY KEY (org_id, number)
);

CREATE TABLE billing.invoice_lines (
    id bigserial PRIMARY KEY,
    org_id bigint NOT NULL,
    invoice_number integer NOT NULL,
    description text NOT NULL,
    quantity integer DEFAULT 1 NOT NULL,
    FOREIGN KEY (org_id, invoice_number) REFERENCES billing.invoices (org_id, number) ON DELETE CASCADE
);

CREATE TABLE events (
    id bigint NOT NULL,
    occurred_at timestamptz NOT NULL,
    payload jsonb,
    PRIMARY KEY (id, occurred_at)
) PARTITION BY RANGE (occurred_at);
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');

CREATE TABLE org_members (
    organization_id bigint NOT NULL REFERENCES Organizations(ID) ON DELETE CASCADE,
    user_id uuid NOT NULL REFERENCES "user-accounts"(id) ON DELETE CASCADE,
    joined_at timestamptz DEFAULT now(),
    PRIMARY KEY (organization_id, user_id)
);

CREATE INDEX organizations_lower_name_idx ON Organizations USING btree (lower("Display Name"::text));
CREATE UNIQUE INDEX invoices_open_idx ON billing.invoices (org_id) WHERE amount > 0;
CREATE INDEX user_accounts_email_inc ON public."user-accounts" (email) INCLUDE (org_id);
CREATE INDEX events_payload_gin ON ONLY events USING gin (payload);
CREATE INDEX Organizations_Settings_Idx ON Organizations USING gin (settings jsonb_path_ops);
COMMENT ON TABLE Organizations IS 'Tenants; ''quoted'' and "double"';
COMMENT ON COLUMN public."user-accounts"."select" IS 'A keyword as a name';
