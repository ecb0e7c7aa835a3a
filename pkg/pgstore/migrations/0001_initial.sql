-- 0001: the records partnerctl keeps (pkg/domain), and who is who.
--
-- Conventions, from the measurements in design/postgres.md:
-- * Keys and lookup columns are COLLATE "C" (byte order): name and ref are
--   folded in Go (store.Fold) and stored in name_lc / ref_lc, so matching
--   and order are bbolt's whatever the server's locale.
-- * Counters live in org_stats, not orgs: rewriting an orgs row also rewrites
--   its trigram index entries (4-5x slower imports).
-- * Every counter is CHECKed >= 0; audit rows can't be changed or removed,
--   and their time and actor are the server's.
-- * Feed-given strings that may hold NUL (event ids, device names) are
--   bytea: text can't hold NUL, and bytea compares byte for byte.
-- * Domain values (roles, states) are not CHECKed here: the rules in Go own
--   them, and the store keeps what it is given, as bbolt does.
-- * Times are timestamptz (microseconds).
--
-- Identity (SPEC §13): a person is their PostgreSQL login role. logins maps
-- roles to partner users; only SECURITY DEFINER functions (search_path
-- pinned at the end of this file) and the schema's owner write it, so a
-- client can't claim to be someone else. Row-level security can be added on
-- top, keyed on partnerctl_login_email().

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The store's own name, kept by a reset: the key of people's sessions in
-- their local config file.
CREATE TABLE store_identity (
    one_row boolean PRIMARY KEY DEFAULT true CHECK (one_row),
    id      text COLLATE "C" NOT NULL
);
INSERT INTO store_identity (id) VALUES ('st_' || left(replace(gen_random_uuid()::text, '-', ''), 24));

-- The partner that owns every org (at most one row).
CREATE TABLE partner (
    one_row        boolean PRIMARY KEY DEFAULT true CHECK (one_row),
    id             text COLLATE "C" NOT NULL,
    name           text NOT NULL,
    support_email  text NOT NULL DEFAULT '',
    logo_url       text NOT NULL DEFAULT '',
    login_base_url text NOT NULL DEFAULT '',
    contact_name   text NOT NULL DEFAULT '',
    contact_phone  text NOT NULL DEFAULT '',
    created_at     timestamptz NOT NULL,
    admin_org_id   text COLLATE "C" NOT NULL,
    brand          jsonb NOT NULL DEFAULT '{}'
);

-- How the store was made: by init or by demo (demo never overwrites real data).
CREATE TABLE store_meta (
    one_row boolean PRIMARY KEY DEFAULT true CHECK (one_row),
    kind    text NOT NULL
);

-- Store-wide settings (login methods).
CREATE TABLE settings (
    key   text COLLATE "C" PRIMARY KEY,
    value text NOT NULL
);

-- Named id sequences: last is the last number handed out (0: none yet).
-- Writers are serialized, so a writer reads a row once, counts in memory
-- and writes it back at the end: many UPDATEs of one row in one transaction
-- slow down quadratically (16k took 8.6 s here).
CREATE TABLE id_sequences (
    name text COLLATE "C" PRIMARY KEY,
    last bigint NOT NULL CHECK (last >= 0)
);

-- Customer orgs and the partner's admin org (admin = true).
CREATE TABLE orgs (
    id         text COLLATE "C" PRIMARY KEY,
    seq        bigint NOT NULL UNIQUE,
    name       text NOT NULL,
    name_lc    text COLLATE "C" NOT NULL,
    ref_id     text NOT NULL DEFAULT '',
    ref_lc     text COLLATE "C" NOT NULL DEFAULT '',
    admin      boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL,
    deleted_at timestamptz,
    -- The tenant's link to the partner: '' (as accepted), accepted,
    -- pending or rejected. Only connected orgs (accepted) are counted and
    -- listed by default.
    link_status text COLLATE "C" NOT NULL DEFAULT '',
    -- The tenant's details (domain.Tenant) as JSON; the shortcode also in
    -- its own columns, for its unique index and the search.
    tenant       jsonb NOT NULL DEFAULT '{}',
    shortcode    text COLLATE "C" NOT NULL DEFAULT '',
    shortcode_lc text COLLATE "C" NOT NULL DEFAULT '',
    CHECK ((ref_id = '') = (ref_lc = '')),
    CHECK ((shortcode = '') = (shortcode_lc = '')),
    CHECK (link_status IN ('', 'accepted', 'pending', 'rejected'))
);

-- `orgs list`: live customer orgs by name (case-insensitive), then creation
-- order; the first page reads 25 index entries, whatever the store's size.
CREATE INDEX orgs_by_name ON orgs (name_lc, seq) WHERE deleted_at IS NULL AND NOT admin;
-- A ref names at most one live customer org (case-insensitively).
CREATE UNIQUE INDEX orgs_by_ref ON orgs (ref_lc) WHERE deleted_at IS NULL AND NOT admin AND ref_lc <> '';
-- A shortcode names at most one live customer org (byte for byte: they are
-- upper-case).
CREATE UNIQUE INDEX orgs_by_shortcode ON orgs (shortcode) WHERE deleted_at IS NULL AND NOT admin AND shortcode <> '';
-- `--search`: substring match on name_lc / ref_lc / shortcode_lc (LIKE
-- '%…%', with % _ \ in the user's text escaped).
CREATE INDEX orgs_search ON orgs USING gin (name_lc gin_trgm_ops, ref_lc gin_trgm_ops, shortcode_lc gin_trgm_ops)
    WHERE deleted_at IS NULL AND NOT admin;

-- Hot counters fed by events and memberships, one row per org, written
-- with the org by partnerctl. Room left on each page so the updates of
-- every import stay HOT (no index writes).
CREATE TABLE org_stats (
    org_id              text COLLATE "C" PRIMARY KEY REFERENCES orgs (id) ON DELETE CASCADE,
    users               bigint NOT NULL DEFAULT 0 CHECK (users >= 0),
    data_sources        bigint NOT NULL DEFAULT 0 CHECK (data_sources >= 0),
    ai_trained          boolean NOT NULL DEFAULT false,
    integrations        bigint NOT NULL DEFAULT 0 CHECK (integrations >= 0),
    sessions_total      bigint NOT NULL DEFAULT 0 CHECK (sessions_total >= 0),
    last_active_at      timestamptz,
    messages            bigint NOT NULL DEFAULT 0 CHECK (messages >= 0),
    subscribers         bigint NOT NULL DEFAULT 0 CHECK (subscribers >= 0),
    devices_total       bigint NOT NULL DEFAULT 0 CHECK (devices_total >= 0),
    devices_registered  bigint NOT NULL DEFAULT 0 CHECK (devices_registered >= 0),
    devices_onboarded   bigint NOT NULL DEFAULT 0 CHECK (devices_onboarded >= 0),
    devices_provisioned bigint NOT NULL DEFAULT 0 CHECK (devices_provisioned >= 0),
    -- Sessions per UTC day (days since the Unix epoch), ascending, in two
    -- parallel arrays: domain.Org.SessionDays.
    session_days        integer[] NOT NULL DEFAULT '{}',
    session_counts      integer[] NOT NULL DEFAULT '{}',
    CHECK (cardinality(session_days) = cardinality(session_counts)),
    CHECK (0 <= ALL (session_counts))
) WITH (fillfactor = 75);

-- The number of connected orgs (live customer orgs whose link is accepted),
-- kept by triggers on orgs so the first page never counts rows.
CREATE TABLE org_count (
    one_row boolean PRIMARY KEY DEFAULT true CHECK (one_row),
    live    bigint NOT NULL CHECK (live >= 0)
);
INSERT INTO org_count (live) VALUES (0);

-- Statement-level triggers with transition tables: one UPDATE of the count
-- per statement (none when it doesn't change), however many rows it wrote.
-- Bulk writes must be set-based (COPY, multi-row statements): one statement
-- per org in a big transaction would update this one row each time.
CREATE FUNCTION orgs_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    delta bigint;
BEGIN
    SELECT count(*) INTO delta FROM new_rows WHERE deleted_at IS NULL AND NOT admin AND link_status IN ('', 'accepted');
    IF delta <> 0 THEN
        UPDATE org_count SET live = live + delta;
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION orgs_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    delta bigint;
BEGIN
    SELECT (SELECT count(*) FROM new_rows WHERE deleted_at IS NULL AND NOT admin AND link_status IN ('', 'accepted'))
         - (SELECT count(*) FROM old_rows WHERE deleted_at IS NULL AND NOT admin AND link_status IN ('', 'accepted')) INTO delta;
    IF delta <> 0 THEN
        UPDATE org_count SET live = live + delta;
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION orgs_after_delete() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    delta bigint;
BEGIN
    SELECT count(*) INTO delta FROM old_rows WHERE deleted_at IS NULL AND NOT admin AND link_status IN ('', 'accepted');
    IF delta <> 0 THEN
        UPDATE org_count SET live = live - delta;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER orgs_count_insert AFTER INSERT ON orgs
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION orgs_after_insert();
CREATE TRIGGER orgs_count_update AFTER UPDATE ON orgs
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION orgs_after_update();
CREATE TRIGGER orgs_count_delete AFTER DELETE ON orgs
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION orgs_after_delete();

-- Who belongs to which org, with which role. No foreign keys here and
-- below: as in bbolt, doctor reports records whose org is missing.
CREATE TABLE memberships (
    org_id       text COLLATE "C" NOT NULL,
    email        text COLLATE "C" NOT NULL,
    role         text NOT NULL,
    login_method text NOT NULL DEFAULT '',
    joined_at    timestamptz NOT NULL,
    -- The end of a time-boxed grant (`orgs open --for`), NULL for none.
    expires_at   timestamptz,
    PRIMARY KEY (org_id, email)
);

-- Scoped teammates: each sees only these customer orgs (none when the
-- array is empty). No row: not scoped.
CREATE TABLE scopes (
    email   text COLLATE "C" PRIMARY KEY,
    org_ids text[] COLLATE "C" NOT NULL
);

-- What each named report saw on its last run (store.EncodeReportState).
CREATE TABLE report_states (
    name  text COLLATE "C" PRIMARY KEY,
    state bytea NOT NULL
);
CREATE INDEX memberships_by_email ON memberships (email);

-- Event ids already imported: imports are idempotent on them.
CREATE TABLE claimed_event_ids (
    id bytea PRIMARY KEY
);

-- The latest state of each device.
CREATE TABLE device_states (
    org_id text COLLATE "C" NOT NULL,
    device bytea NOT NULL,
    state  text NOT NULL,
    at     timestamptz NOT NULL,
    PRIMARY KEY (org_id, device)
);

-- Who changed what, in the order it happened. Only ever appended (see the
-- triggers): the time and the actor are the server's, whatever a client
-- sends.
CREATE TABLE audit (
    seq      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at       timestamptz NOT NULL,
    actor    text COLLATE "C" NOT NULL,
    action   text NOT NULL,
    org_id   text COLLATE "C" NOT NULL DEFAULT '',
    org_name text NOT NULL DEFAULT '',
    detail   text NOT NULL DEFAULT ''
);
CREATE INDEX audit_by_org ON audit (org_id, seq) WHERE org_id <> '';

CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit entries can only be appended, not changed or removed'
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();

-- One-time login links; only the SHA-256 (hex) of a token is kept.
CREATE TABLE links (
    id          text COLLATE "C" PRIMARY KEY,
    seq         bigint NOT NULL UNIQUE,
    org_id      text COLLATE "C" NOT NULL,
    email       text COLLATE "C" NOT NULL,
    token_hash  text COLLATE "C" NOT NULL UNIQUE,
    created_by  text NOT NULL,
    reason      text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    -- the expiry by the real clock, which PARTNERCTL_NOW can't move (NULL:
    -- none recorded)
    real_expires_at timestamptz,
    redeemed_at timestamptz,
    revoked_at  timestamptz,
    revoked_by  text NOT NULL DEFAULT ''
);
CREATE INDEX links_by_org ON links (org_id, seq);

-- Invitations. token_hash is the current token's; invite_token_hashes also
-- keeps every earlier one, so an old token still finds its invite (and
-- reads "resent").
CREATE TABLE invites (
    id           text COLLATE "C" PRIMARY KEY,
    seq          bigint NOT NULL UNIQUE,
    org_id       text COLLATE "C" NOT NULL,
    email        text COLLATE "C" NOT NULL,
    role         text NOT NULL,
    login_method text NOT NULL DEFAULT '',
    token_hash   text COLLATE "C" NOT NULL,
    created_by   text NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    real_expires_at timestamptz,
    resent_at    timestamptz,
    accepted_at  timestamptz,
    deleted_at   timestamptz
);
CREATE INDEX invites_by_org ON invites (org_id, seq);

CREATE TABLE invite_token_hashes (
    token_hash text COLLATE "C" PRIMARY KEY,
    invite_id  text COLLATE "C" NOT NULL REFERENCES invites (id) ON DELETE CASCADE
);
CREATE INDEX invite_token_hashes_by_invite ON invite_token_hashes (invite_id);

-- Requests asking an existing tenant to link to the partner (`orgs
-- connect`); only the SHA-256 (hex) of a token is kept.
CREATE TABLE connect_requests (
    id              text COLLATE "C" PRIMARY KEY,
    seq             bigint NOT NULL UNIQUE,
    org_id          text COLLATE "C" NOT NULL,
    email           text COLLATE "C" NOT NULL,
    token_hash      text COLLATE "C" NOT NULL UNIQUE,
    created_by      text NOT NULL,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    real_expires_at timestamptz,
    accepted_at     timestamptz,
    rejected_at     timestamptz
);
CREATE INDEX connect_requests_by_org ON connect_requests (org_id, seq);

-- Licenses, with their history (every change, oldest first) as JSON: it is
-- read and written with its license. Status is computed, never stored.
CREATE TABLE licenses (
    id             text COLLATE "C" PRIMARY KEY,
    seq            bigint NOT NULL UNIQUE,
    number         text NOT NULL,
    org_id         text COLLATE "C", -- NULL: unassigned
    start_at       timestamptz NOT NULL,
    end_at         timestamptz NOT NULL,
    created_at     timestamptz NOT NULL,
    deactivated_at timestamptz,
    unpaid         boolean NOT NULL DEFAULT false,
    note           text NOT NULL DEFAULT '',
    history        jsonb NOT NULL DEFAULT '[]'
);
CREATE INDEX licenses_by_org ON licenses (org_id, seq) WHERE org_id IS NOT NULL;

-- Identity: the login role each person connects with, and the partner user
-- (email) it is. Written by init (the first login), by accepting an
-- invitation (a trigger below) and by the schema's owner (a DBA mapping a
-- role by hand); members only read it.
CREATE TABLE logins (
    role     text COLLATE "C" PRIMARY KEY,
    email    text COLLATE "C" NOT NULL,
    bound_at timestamptz NOT NULL DEFAULT now(),
    bound_by text NOT NULL
);
CREATE INDEX logins_by_email ON logins (email);

-- Who am I: the email the session's login is bound to, NULL when none.
-- session_user, not current_user: SET ROLE can't change it.
CREATE FUNCTION partnerctl_login_email() RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$ SELECT email FROM logins WHERE role = session_user $$;

-- Am I a member of the partner's admin org (console access)?
CREATE FUNCTION partnerctl_is_partner_admin() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$
        SELECT EXISTS (SELECT 1 FROM partner p JOIN memberships m ON m.org_id = p.admin_org_id
                       WHERE m.email = partnerctl_login_email())
    $$;

-- init and demo: the store's first login becomes email. Refused once
-- another login is bound (a second init is refused before this anyway).
CREATE FUNCTION partnerctl_bind_first_login(p_email text, p_how text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$
DECLARE
    mine text := partnerctl_login_email();
BEGIN
    IF mine IS NOT NULL THEN
        IF mine <> p_email THEN
            RAISE EXCEPTION 'database login "%" is already %, not %', session_user, mine, p_email
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN;
    END IF;
    IF EXISTS (SELECT 1 FROM logins) THEN
        RAISE EXCEPTION 'only the first login of a store can bind itself; ask the schema owner to map "%"', session_user
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO logins (role, email, bound_by) VALUES (session_user, p_email, p_how);
END $$;

-- Accepting an invitation binds the accepting login, when it is bound to
-- no one yet, to the invited email, in the accepting transaction: the token
-- is the credential. A login that is already someone keeps being them (the
-- audit then names who really accepted).
CREATE FUNCTION invites_bind_on_accept() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$
BEGIN
    IF NEW.accepted_at IS NOT NULL AND (TG_OP = 'INSERT' OR OLD.accepted_at IS NULL) THEN
        INSERT INTO logins (role, email, bound_by) VALUES (session_user, NEW.email, 'invitation ' || NEW.id)
            ON CONFLICT (role) DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER invites_bind_on_accept AFTER INSERT OR UPDATE OF accepted_at ON invites
    FOR EACH ROW EXECUTE FUNCTION invites_bind_on_accept();

-- The audit's time is the server's clock and its actor the session's login
-- (its email, or the role's name when it is bound to none).
CREATE FUNCTION audit_server_facts() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$
BEGIN
    NEW.at := clock_timestamp();
    NEW.actor := coalesce(partnerctl_login_email(), session_user::text);
    RETURN NEW;
END $$;
CREATE TRIGGER audit_server_facts BEFORE INSERT ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_server_facts();

-- A token is the credential of its redeemer, who may see nothing else: the
-- lookups by token hash are functions, so row-level security can hide the
-- tables without hiding these.
CREATE FUNCTION partnerctl_link_by_token_hash(p_hash text) RETURNS SETOF links
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$ SELECT * FROM links WHERE token_hash = p_hash $$;

CREATE FUNCTION partnerctl_connect_request_by_token_hash(p_hash text) RETURNS SETOF connect_requests
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$ SELECT * FROM connect_requests WHERE token_hash = p_hash $$;

CREATE FUNCTION partnerctl_invite_by_token_hash(p_hash text) RETURNS SETOF invites
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$
        SELECT i.* FROM invite_token_hashes h JOIN invites i ON i.id = h.invite_id WHERE h.token_hash = p_hash
    $$;

-- Reset (demo rebuilds, init --replace-demo): every record goes, but the
-- schema's version and the store's name stay. TRUNCATE is the one way to
-- empty the append-only audit, and needs the tables' owner: a member may
-- wipe a demo store (or one without a partner yet), only the owner a real
-- one.
CREATE FUNCTION partnerctl_reset() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$
DECLARE
    owner name;
    tables text;
BEGIN
    SELECT tableowner INTO owner FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'partner';
    IF NOT pg_has_role(session_user, owner, 'USAGE') AND EXISTS (SELECT 1 FROM partner)
            AND NOT EXISTS (SELECT 1 FROM store_meta WHERE kind = 'demo') THEN
        RAISE EXCEPTION 'only the store''s owner (%) can wipe a store that is not a demo', owner
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT string_agg(format('%I', tablename), ', ') INTO tables FROM pg_tables
        WHERE schemaname = current_schema() AND tablename NOT IN ('schema_version', 'store_identity');
    EXECUTE 'TRUNCATE ' || tables || ' RESTART IDENTITY';
    INSERT INTO org_count (live) VALUES (0);
END $$;

-- SECURITY DEFINER functions run with this schema first and pg_temp last,
-- so no one can slip an object of the same name in front of them.
DO $$
DECLARE
    f text;
BEGIN
    FOREACH f IN ARRAY ARRAY['partnerctl_login_email()', 'partnerctl_is_partner_admin()',
        'partnerctl_bind_first_login(text, text)', 'invites_bind_on_accept()', 'audit_server_facts()',
        'partnerctl_link_by_token_hash(text)', 'partnerctl_invite_by_token_hash(text)',
        'partnerctl_connect_request_by_token_hash(text)', 'partnerctl_reset()']
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', f, current_schema());
    END LOOP;
END $$;

-- Who may use the store is who may connect to the database (the DBA grants
-- CONNECT); inside it, everyone gets the same rights on the records, but
-- can't change or remove audit entries, write the logins, or truncate.
DO $$
BEGIN
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO PUBLIC', current_schema());
END $$;
GRANT SELECT, INSERT, UPDATE, DELETE ON store_identity, partner, store_meta, settings, id_sequences, orgs,
    org_stats, org_count, memberships, scopes, report_states, claimed_event_ids, device_states, links, invites,
    invite_token_hashes, connect_requests, licenses TO PUBLIC;
GRANT SELECT, INSERT ON audit TO PUBLIC;
GRANT SELECT ON logins, schema_version TO PUBLIC;
