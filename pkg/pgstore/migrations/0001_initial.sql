-- 0001: the records partnerctl keeps (pkg/domain), as bbolt keeps them.
--
-- Conventions, from the measurements in design/postgres.md:
-- * Keys and lookup columns are COLLATE "C" (byte order): name and ref are
--   lower-cased in Go (strings.ToLower) and stored in name_lc / ref_lc, so
--   matching and order are bbolt's whatever the server's locale.
-- * Counters live in org_stats, not orgs: rewriting an orgs row also rewrites
--   its trigram index entries (4-5x slower imports).
-- * Every counter is CHECKed >= 0; audit rows can't be changed or removed.
-- * Ids (org_000001, ...) come from id_sequences inside the writer's
--   transaction, so a failed command leaves no gap, as in bbolt.
-- * Times are timestamptz (microseconds); days are UTC day numbers or dates.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The partner that owns every org (one row).
CREATE TABLE partner (
    id             text COLLATE "C" PRIMARY KEY,
    one_row        boolean NOT NULL DEFAULT true UNIQUE CHECK (one_row),
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
    kind    text NOT NULL CHECK (kind IN ('init', 'demo'))
);

-- Store-wide settings (login methods) and per-person ones (keyed by email).
CREATE TABLE settings (
    key   text COLLATE "C" PRIMARY KEY,
    value text NOT NULL
);

-- Named id sequences: last is the last number handed out (0: none yet).
-- Writers are serialized, so a writer may read a row once, count in memory
-- and write it back at the end: many UPDATEs of one row in one transaction
-- slow down quadratically (16k took 8.6 s here).
CREATE TABLE id_sequences (
    name text COLLATE "C" PRIMARY KEY,
    last bigint NOT NULL CHECK (last >= 0)
);

-- Customer orgs and the partner's admin org (admin = true, at most one).
CREATE TABLE orgs (
    id         text COLLATE "C" PRIMARY KEY,
    seq        bigint NOT NULL UNIQUE CHECK (seq > 0),
    name       text NOT NULL CHECK (name <> ''),
    name_lc    text COLLATE "C" NOT NULL,
    ref_id     text NOT NULL DEFAULT '',
    ref_lc     text COLLATE "C" NOT NULL DEFAULT '',
    admin      boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL,
    deleted_at timestamptz,
    CHECK ((ref_id = '') = (ref_lc = ''))
);
ALTER TABLE partner ADD FOREIGN KEY (admin_org_id) REFERENCES orgs (id) DEFERRABLE INITIALLY DEFERRED;

CREATE UNIQUE INDEX orgs_one_admin ON orgs ((true)) WHERE admin;
-- `orgs list`: live customer orgs by name (case-insensitive), then creation
-- order; pages continue after the last (name_lc, seq) seen, never OFFSET.
CREATE INDEX orgs_by_name ON orgs (name_lc, seq) WHERE deleted_at IS NULL AND NOT admin;
-- A ref names at most one live customer org (case-insensitively).
CREATE UNIQUE INDEX orgs_by_ref ON orgs (ref_lc) WHERE deleted_at IS NULL AND NOT admin AND ref_lc <> '';
-- `--search`: substring match on name_lc / ref_lc (LIKE '%…%', with % _ \
-- in the user's text escaped).
CREATE INDEX orgs_search ON orgs USING gin (name_lc gin_trgm_ops, ref_lc gin_trgm_ops)
    WHERE deleted_at IS NULL AND NOT admin;

-- Hot counters fed by events and memberships, one row per org (made by a
-- trigger when the org is inserted). Left room on each page so the updates
-- of every import stay HOT (no index writes).
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

-- The number of live customer orgs, kept by triggers on orgs so the first
-- page never counts rows.
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
    INSERT INTO org_stats (org_id) SELECT id FROM new_rows ON CONFLICT DO NOTHING;
    SELECT count(*) INTO delta FROM new_rows WHERE deleted_at IS NULL AND NOT admin;
    IF delta <> 0 THEN
        UPDATE org_count SET live = live + delta;
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION orgs_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    delta bigint;
BEGIN
    SELECT (SELECT count(*) FROM new_rows WHERE deleted_at IS NULL AND NOT admin)
         - (SELECT count(*) FROM old_rows WHERE deleted_at IS NULL AND NOT admin) INTO delta;
    IF delta <> 0 THEN
        UPDATE org_count SET live = live + delta;
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION orgs_after_delete() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    delta bigint;
BEGIN
    SELECT count(*) INTO delta FROM old_rows WHERE deleted_at IS NULL AND NOT admin;
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

-- Who belongs to which org, with which role.
CREATE TABLE memberships (
    org_id       text COLLATE "C" NOT NULL REFERENCES orgs (id),
    email        text COLLATE "C" NOT NULL,
    role         text NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'partner')),
    login_method text NOT NULL DEFAULT '',
    joined_at    timestamptz NOT NULL,
    PRIMARY KEY (org_id, email)
);
CREATE INDEX memberships_by_email ON memberships (email);

-- Event ids already imported: imports are idempotent on them.
CREATE TABLE claimed_event_ids (
    id text COLLATE "C" PRIMARY KEY
);

-- The latest state of each device. No foreign key: written in bulk by every
-- import, for orgs the import has just checked.
CREATE TABLE device_states (
    org_id text COLLATE "C" NOT NULL,
    device text COLLATE "C" NOT NULL,
    state  text NOT NULL CHECK (state IN ('registered', 'onboarded', 'provisioned', 'removed')),
    at     timestamptz NOT NULL,
    PRIMARY KEY (org_id, device)
);

-- Who changed what, oldest first. Only ever appended (see the trigger).
CREATE TABLE audit (
    seq      bigint PRIMARY KEY CHECK (seq > 0),
    at       timestamptz NOT NULL,
    actor    text NOT NULL,
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
    seq         bigint NOT NULL UNIQUE CHECK (seq > 0),
    org_id      text COLLATE "C" NOT NULL REFERENCES orgs (id),
    email       text COLLATE "C" NOT NULL,
    token_hash  text COLLATE "C" NOT NULL UNIQUE,
    created_by  text NOT NULL,
    reason      text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
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
    seq          bigint NOT NULL UNIQUE CHECK (seq > 0),
    org_id       text COLLATE "C" NOT NULL REFERENCES orgs (id),
    email        text COLLATE "C" NOT NULL,
    role         text NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'partner')),
    login_method text NOT NULL DEFAULT '',
    token_hash   text COLLATE "C" NOT NULL UNIQUE,
    created_by   text NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    resent_at    timestamptz,
    accepted_at  timestamptz,
    deleted_at   timestamptz
);
CREATE INDEX invites_by_org ON invites (org_id, seq);

CREATE TABLE invite_token_hashes (
    token_hash text COLLATE "C" PRIMARY KEY,
    invite_id  text COLLATE "C" NOT NULL REFERENCES invites (id)
);
CREATE INDEX invite_token_hashes_by_invite ON invite_token_hashes (invite_id);

-- Licenses: whole UTC days, inclusive. Status is computed, never stored.
CREATE TABLE licenses (
    id             text COLLATE "C" PRIMARY KEY,
    seq            bigint NOT NULL UNIQUE CHECK (seq > 0),
    number         text NOT NULL,
    number_lc      text COLLATE "C" NOT NULL UNIQUE,
    org_id         text COLLATE "C" REFERENCES orgs (id), -- NULL: unassigned
    start_day      date NOT NULL,
    end_day        date NOT NULL,
    created_at     timestamptz NOT NULL,
    deactivated_at timestamptz,
    unpaid         boolean NOT NULL DEFAULT false,
    note           text NOT NULL DEFAULT '',
    CHECK (start_day <= end_day)
);
CREATE INDEX licenses_by_org ON licenses (org_id, seq) WHERE org_id IS NOT NULL;

-- A license's history, in order (n = 1, 2, ...); entries are only appended.
CREATE TABLE license_history (
    license_id text COLLATE "C" NOT NULL REFERENCES licenses (id),
    n          integer NOT NULL CHECK (n > 0),
    at         timestamptz NOT NULL,
    actor      text NOT NULL,
    action     text NOT NULL, -- issued, assigned, renewed, deactivated
    detail     text NOT NULL DEFAULT '',
    PRIMARY KEY (license_id, n)
);
