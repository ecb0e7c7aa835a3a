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
-- client can't claim to be someone else. Row-level security on every
-- table, keyed on it, is at the end of this file (SPEC §14).

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

-- A sequence only moves forward (a number handed out is never handed out
-- again), but for a reset, which goes through partnerctl_reset().
CREATE FUNCTION id_sequences_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.last < OLD.last OR NEW.name <> OLD.name THEN
        RAISE EXCEPTION 'id sequence %: % would hand out numbers again (it is at %)', OLD.name, NEW.last, OLD.last
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER id_sequences_forward BEFORE UPDATE ON id_sequences
    FOR EACH ROW EXECUTE FUNCTION id_sequences_forward();

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
-- role by hand); a login with standing in the store reads its own row,
-- admins and owners every row.
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


-- ===== Who may see and change what (SPEC §14) =====
--
-- The same rules as the console's (pkg/console: access.go, visibility.go),
-- enforced by the server on the session's login (session_user), so a
-- member's own SQL gets no more than partnerctl would give them:
-- * every table has row-level security; the policies below admit rows by
--   the answers of the SECURITY DEFINER helpers that follow, wrapped in
--   (SELECT …) so each is computed once per statement, not once per row,
--   and lists tested as `x IN (SELECT unnest(…))`: a hashed lookup, where
--   `x = ANY (…)` compared each row with the whole list (a scan of 100k
--   orgs by a teammate scoped to 2,000: 7 s, hashed 0.3 s);
-- * a session with no standing in the store (a removed member, a login
--   mapped to no one) sees no row of any table: what partnerctl tells it
--   (the partner's and the admin org's names in its refusals, whether the
--   store is a demo, the schema's version) comes from
--   partnerctl_store_facts(), which returns only that;
-- * tokens are the credential of who redeems them: the *_by_token_hash
--   functions record what the token grants to the transaction that showed
--   it (token_grants), and the policies admit exactly those rows;
-- * nothing is removed that the console doesn't remove: only memberships,
--   settings and scopes have a DELETE policy (an org or an invitation is
--   deleted by marking it; links, requests, licenses and report states
--   keep their history), and a reset goes through partnerctl_reset();
-- * a store with no member in its admin org yet (before init or demo, after
--   a reset) is open to whoever builds it;
-- * the tables' owner (who ran init: the store's DBA) isn't held by the
--   policies, as PostgreSQL has it (no FORCE): they can turn them off anyway.

-- The session's role in the partner's admin org: NULL when its login is no
-- member there (or its time-boxed grant lapsed by the server's clock).
CREATE FUNCTION partnerctl_my_role() RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$
        SELECT m.role FROM partner p JOIN memberships m ON m.org_id = p.admin_org_id
        WHERE m.email = partnerctl_login_email() AND (m.expires_at IS NULL OR m.expires_at > now())
    $$;

-- An admin or owner of the admin org (never scoped).
CREATE FUNCTION partnerctl_is_admin() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$ SELECT coalesce(partnerctl_my_role() IN ('admin', 'owner'), false) $$;

CREATE FUNCTION partnerctl_admin_org_id() RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$ SELECT admin_org_id FROM partner $$;

-- Does the session see every org: an admin or owner, or a member with no
-- scope?
CREATE FUNCTION partnerctl_sees_every_org() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$
        SELECT CASE WHEN r IS NULL THEN false
                    WHEN r IN ('admin', 'owner') THEN true
                    ELSE NOT EXISTS (SELECT 1 FROM scopes WHERE email = partnerctl_login_email()) END
        FROM (SELECT partnerctl_my_role() AS r) me
    $$;

-- The orgs a scoped member sees: their scope and the admin org. NULL for
-- everyone else.
CREATE FUNCTION partnerctl_scope_org_ids() RETURNS text[]
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$
        SELECT s.org_ids || p.admin_org_id FROM scopes s, partner p
        WHERE s.email = partnerctl_login_email() AND partnerctl_my_role() NOT IN ('admin', 'owner')
    $$;

-- The customer orgs whose owner or admin the session's login is: their
-- audit trail is theirs to read (`audit list --org`).
CREATE FUNCTION partnerctl_managed_org_ids() RETURNS text[]
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$
        SELECT coalesce(array_agg(m.org_id), '{}') FROM memberships m JOIN orgs o ON o.id = m.org_id AND NOT o.admin
        WHERE m.email = partnerctl_login_email() AND m.role IN ('owner', 'admin')
          AND (m.expires_at IS NULL OR m.expires_at > now())
    $$;

-- The customer orgs the session's login belongs to, in any role: they
-- are theirs to see (and the console tells them what they may do there).
CREATE FUNCTION partnerctl_customer_org_ids() RETURNS text[]
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$
        SELECT coalesce(array_agg(m.org_id), '{}') FROM memberships m JOIN orgs o ON o.id = m.org_id AND NOT o.admin
        WHERE m.email = partnerctl_login_email() AND (m.expires_at IS NULL OR m.expires_at > now())
    $$;

-- No member in the admin org yet: the store is being built (init, demo,
-- after a reset) and holds nothing to hide.
CREATE FUNCTION partnerctl_bootstrapping() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$ SELECT NOT EXISTS (SELECT 1 FROM partner p JOIN memberships m ON m.org_id = p.admin_org_id) $$;

-- Has the session any standing in the store: a member of the admin org, a
-- member of a customer org (whose invitations name the partner), or its
-- builder? Without it a session sees no row of any table.
CREATE FUNCTION partnerctl_has_standing() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$
        SELECT partnerctl_my_role() IS NOT NULL OR cardinality(partnerctl_customer_org_ids()) > 0
            OR partnerctl_bootstrapping()
    $$;

-- Is the session not held by the policies: the tables' owner (or a member
-- of that role) or a superuser? The functions that serve rows the
-- policies can't (search, scopes) serve them every row too.
CREATE FUNCTION partnerctl_above_policies() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$
        SELECT pg_has_role(session_user, (SELECT tableowner FROM pg_tables
                                          WHERE schemaname = current_schema() AND tablename = 'orgs'), 'USAGE')
            OR EXISTS (SELECT 1 FROM pg_roles WHERE rolname = session_user AND (rolsuper OR rolbypassrls))
    $$;

-- What anyone who can connect is told, standing or not, and nothing more:
-- the schema's version and the store's name (read when a store opens),
-- the partner's and its admin org's names and the admin org's id (every
-- refusal names them: "… is not a member of the admin org …", "this store
-- is already initialised for partner …"), and how the store was made (init
-- or demo: what `init` and `demo` on it say). NULLs where there is none
-- yet. Every build reads its schema version here: later migrations keep
-- these columns.
CREATE FUNCTION partnerctl_store_facts()
    RETURNS TABLE (schema_version integer, store_id text, partner_name text, admin_org_id text,
                   admin_org_name text, kind text)
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$
        SELECT (SELECT coalesce(max(v.version), 0) FROM schema_version v), (SELECT i.id FROM store_identity i),
               p.name, p.admin_org_id, o.name, (SELECT m.kind FROM store_meta m)
        FROM (SELECT 1) AS one LEFT JOIN partner p ON true LEFT JOIN orgs o ON o.id = p.admin_org_id
    $$;

-- May the session set email's scope to ids? Admins and owners may set any;
-- a scoped member may add to their own only the orgs this transaction
-- wrote (those they create: the console puts them in their scope).
CREATE FUNCTION partnerctl_may_scope(p_email text, p_ids text[]) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$
        SELECT partnerctl_is_admin() OR partnerctl_bootstrapping()
            OR (p_email = partnerctl_login_email() AND partnerctl_my_role() IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM unnest(p_ids) AS k(id)
                WHERE NOT k.id = ANY (coalesce((SELECT org_ids FROM scopes WHERE email = p_email), '{}'))
                  AND NOT EXISTS (SELECT 1 FROM orgs o WHERE o.id = k.id
                                  AND o.xmin = pg_current_xact_id_if_assigned()::xid)))
    $$;

-- May the session make, change or remove an owner of p_org? An owner of
-- the admin org may (in any org: partner owners promote to owner in
-- customer orgs), as may an owner of a customer org in their own.
CREATE FUNCTION partnerctl_may_touch_owner(p_org text) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$
        SELECT coalesce(partnerctl_my_role() = 'owner', false)
            OR (p_org <> partnerctl_admin_org_id() AND EXISTS (
                SELECT 1 FROM memberships m WHERE m.org_id = p_org AND m.email = partnerctl_login_email()
                    AND m.role = 'owner' AND (m.expires_at IS NULL OR m.expires_at > now())))
    $$;

-- Did this transaction write p_org, a pending org? (A connect request is
-- made with its org.)
CREATE FUNCTION partnerctl_org_is_new_and_pending(p_org text) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$
        SELECT EXISTS (SELECT 1 FROM orgs o WHERE o.id = p_org AND o.link_status = 'pending'
                       AND o.xmin = pg_current_xact_id_if_assigned()::xid)
    $$;

-- An invitation's role, org, invitee and sender are set when it is sent:
-- resending, accepting and deleting it change its token, expiry and
-- times only.
CREATE FUNCTION invites_guard_update() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$
BEGIN
    IF NOT (partnerctl_bootstrapping() OR partnerctl_above_policies()) THEN
        RAISE EXCEPTION 'an invitation''s role, org, invitee and sender can''t be changed'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER invites_guard_update BEFORE UPDATE OF id, org_id, email, role, created_by ON invites
    FOR EACH ROW WHEN ((OLD.id, OLD.org_id, OLD.email, OLD.role, OLD.created_by)
                       IS DISTINCT FROM (NEW.id, NEW.org_id, NEW.email, NEW.role, NEW.created_by))
    EXECUTE FUNCTION invites_guard_update();

-- The scopes as the console shows them: whole to those who see every org
-- (and to the builder and the owner); to a scoped member their own whole
-- and everyone else's cut to the orgs they see themselves (a row of the
-- table can't be cut, so they read only their own there); to anyone else
-- none.
CREATE FUNCTION partnerctl_scopes() RETURNS TABLE (email text, org_ids text[])
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$
        SELECT s.email, CASE WHEN who.everything OR s.email = who.me THEN s.org_ids
                             ELSE ARRAY(SELECT k.id FROM unnest(s.org_ids) AS k(id) WHERE k.id = ANY (who.mine)) END
        FROM scopes s,
             (SELECT partnerctl_sees_every_org() OR partnerctl_bootstrapping() OR partnerctl_above_policies() AS everything,
                     partnerctl_scope_org_ids() AS mine, partnerctl_login_email() AS me) AS who
        WHERE who.everything OR who.mine IS NOT NULL
    $$;

-- What a policy can't say, as it can't compare the old row with the new:
-- deleting an org (or restoring one) is for admins and owners (SPEC §14:
-- `orgs delete`), and an org's link status is its tenant's to settle,
-- with the connect request's token (`orgs connect accept/reject`), not
-- the partner's. Members change the orgs they see in every other way.
CREATE FUNCTION orgs_guard_update() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$
BEGIN
    IF partnerctl_bootstrapping() OR partnerctl_above_policies() THEN
        RETURN NEW;
    END IF;
    IF OLD.deleted_at IS DISTINCT FROM NEW.deleted_at AND NOT partnerctl_is_admin() THEN
        RAISE EXCEPTION 'only an admin or owner of the admin org deletes or restores orgs'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF (OLD.id, OLD.seq, OLD.created_at, OLD.admin) IS DISTINCT FROM (NEW.id, NEW.seq, NEW.created_at, NEW.admin) THEN
        RAISE EXCEPTION 'an org''s id, number, creation time and kind never change'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.link_status IS DISTINCT FROM NEW.link_status AND NOT EXISTS (
            SELECT 1 FROM token_grants g WHERE g.pid = pg_backend_pid() AND g.xid = pg_current_xact_id_if_assigned()
                AND g.kind = 'connect' AND g.org_id = NEW.id) THEN
        RAISE EXCEPTION 'an org''s link status changes only with its connect request''s token'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER orgs_guard_update BEFORE UPDATE OF deleted_at, link_status, id, seq, created_at, admin ON orgs
    FOR EACH ROW WHEN (OLD.deleted_at IS DISTINCT FROM NEW.deleted_at OR OLD.link_status IS DISTINCT FROM NEW.link_status
        OR (OLD.id, OLD.seq, OLD.created_at, OLD.admin) IS DISTINCT FROM (NEW.id, NEW.seq, NEW.created_at, NEW.admin))
    EXECUTE FUNCTION orgs_guard_update();

-- What the tokens shown in a transaction let it touch (see
-- partnerctl_grant). Nobody but the functions here reads or writes it.
CREATE TABLE token_grants (
    pid    integer NOT NULL,
    xid    xid8 NOT NULL,
    kind   text COLLATE "C" NOT NULL, -- link, invite or connect
    id     text COLLATE "C" NOT NULL, -- the link's, invitation's or request's
    org_id text COLLATE "C" NOT NULL,
    email  text COLLATE "C" NOT NULL
);
CREATE INDEX token_grants_by_xact ON token_grants (pid, xid);

-- Grants the current (write) transaction what a token shown in it is for.
-- A read-only transaction gets nothing: every token flow writes. Grants of
-- transactions that ended are dropped on the way.
CREATE FUNCTION partnerctl_grant(p_kind text, p_id text, p_org text, p_email text) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    AS $$
BEGIN
    IF current_setting('transaction_read_only')::boolean THEN
        RETURN;
    END IF;
    DELETE FROM token_grants WHERE xid < pg_snapshot_xmin(pg_current_snapshot());
    INSERT INTO token_grants (pid, xid, kind, id, org_id, email)
        VALUES (pg_backend_pid(), pg_current_xact_id(), p_kind, p_id, p_org, p_email);
END $$;

-- A scoped member creating orgs (pgstore calls this before writing them):
-- an upsert's new row must pass the SELECT policy, which an org outside
-- their scope doesn't; the ids that name no org yet are granted to the
-- transaction as 'new-org'. (A policy testing each row for existence
-- instead cost a function call per row of every scan: 7 s at 100k orgs.)
CREATE FUNCTION partnerctl_claim_new_orgs(p_ids text[]) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    AS $$
BEGIN
    IF partnerctl_my_role() IS NULL THEN
        RETURN;
    END IF;
    PERFORM partnerctl_grant('new-org', k.id, k.id, '') FROM unnest(p_ids) AS k(id)
        WHERE NOT EXISTS (SELECT 1 FROM orgs o WHERE o.id = k.id);
END $$;

-- The ids this transaction's tokens grant: of kind p_kind's records, or
-- 'org': the orgs they are for (to read, and append audit entries about),
-- 'org-write': those an invitation or connect request changes (its user
-- count, its link), 'membership': org_id, newline, email of the one an
-- invitation makes.
CREATE FUNCTION partnerctl_granted(p_kind text) RETURNS text[]
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$
        SELECT coalesce(array_agg(CASE WHEN p_kind IN ('org', 'org-write') THEN org_id
                                       WHEN p_kind = 'membership' THEN org_id || E'\n' || email
                                       ELSE id END), '{}')
        FROM token_grants
        WHERE pid = pg_backend_pid() AND xid = pg_current_xact_id_if_assigned()
          AND (kind = p_kind OR (p_kind = 'org' AND kind <> 'new-org') OR (p_kind = 'org-write' AND kind IN ('invite', 'connect'))
               OR (p_kind = 'membership' AND kind = 'invite'))
    $$;

-- May the session ask the yes/no questions the policies ask (does this org
-- have an owner, does this invitation exist)? Those with standing, a
-- token's holder in its transaction, the owner; an outsider learns
-- nothing from them, not even whether an id exists.
CREATE FUNCTION partnerctl_may_probe() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$
        SELECT partnerctl_has_standing() OR partnerctl_above_policies() OR cardinality(partnerctl_granted('org')) > 0
    $$;

-- Has p_org an owner (whose grant hasn't lapsed)?
CREATE FUNCTION partnerctl_org_has_owner(p_org text) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$
        SELECT partnerctl_may_probe() AND EXISTS (SELECT 1 FROM memberships m WHERE m.org_id = p_org AND m.role = 'owner'
                       AND (m.expires_at IS NULL OR m.expires_at > now()))
    $$;

-- Is there an invitation p_id (whether the session sees it or not)? Only
-- the INSERT policy of invites asks: such a row is never inserted (its id
-- is taken), an upsert updates it under the UPDATE policy.
CREATE FUNCTION partnerctl_invite_exists(p_id text) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$ SELECT partnerctl_may_probe() AND EXISTS (SELECT 1 FROM invites WHERE id = p_id) $$;

-- A token is the credential of its redeemer, who may see nothing else: the
-- lookups by token hash are functions, which grant the transaction what the
-- token is for (its link, invitation or request, its org, and for an
-- invitation the membership it makes).
CREATE FUNCTION partnerctl_link_by_token_hash(p_hash text) RETURNS SETOF links
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    AS $$
DECLARE
    r links;
BEGIN
    FOR r IN SELECT * FROM links WHERE token_hash = p_hash LOOP
        PERFORM partnerctl_grant('link', r.id, r.org_id, r.email);
        RETURN NEXT r;
    END LOOP;
END $$;

CREATE FUNCTION partnerctl_connect_request_by_token_hash(p_hash text) RETURNS SETOF connect_requests
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    AS $$
DECLARE
    r connect_requests;
BEGIN
    FOR r IN SELECT * FROM connect_requests WHERE token_hash = p_hash LOOP
        PERFORM partnerctl_grant('connect', r.id, r.org_id, r.email);
        RETURN NEXT r;
    END LOOP;
END $$;

CREATE FUNCTION partnerctl_invite_by_token_hash(p_hash text) RETURNS SETOF invites
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    AS $$
DECLARE
    r invites;
BEGIN
    FOR r IN SELECT i.* FROM invite_token_hashes h JOIN invites i ON i.id = h.invite_id WHERE h.token_hash = p_hash LOOP
        -- Only the current token is a credential: an earlier one finds its
        -- invitation (to say it was resent) but grants nothing, so a hash
        -- row pointed at another invitation opens nothing either.
        IF r.token_hash = p_hash THEN
            PERFORM partnerctl_grant('invite', r.id, r.org_id, r.email);
        END IF;
        RETURN NEXT r;
    END LOOP;
END $$;

-- A ref is unique among every live customer org, also those out of a
-- scoped member's sight, and partnerctl refuses one in use saying only
-- "already used by another org": which of these folded refs (p_refs) do
-- live customer orgs out of the session's sight hold? Whether, never which
-- org: for members of the admin org only (who see every org get nothing).
CREATE FUNCTION partnerctl_refs_out_of_sight(p_refs text[]) RETURNS SETOF text
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$
        SELECT DISTINCT o.ref_lc FROM orgs o,
            (SELECT partnerctl_my_role() IS NOT NULL AND NOT partnerctl_sees_every_org() AS asks,
                    coalesce(partnerctl_scope_org_ids(), '{}') AS mine) AS who
        WHERE who.asks AND o.ref_lc = ANY (p_refs) AND o.ref_lc <> '' AND o.deleted_at IS NULL AND NOT o.admin
          AND NOT o.id = ANY (who.mine)
    $$;

-- Shortcodes likewise: does a live customer org out of the session's sight
-- have this one?
CREATE FUNCTION partnerctl_shortcode_out_of_sight(p_code text) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$
        SELECT EXISTS (SELECT 1 FROM orgs o WHERE o.shortcode = p_code AND p_code <> '' AND o.deleted_at IS NULL AND NOT o.admin
                         AND partnerctl_my_role() IS NOT NULL AND NOT partnerctl_sees_every_org()
                         AND NOT o.id = ANY (coalesce(partnerctl_scope_org_ids(), '{}')))
    $$;

-- The invitation tokens' hashes are read and written only here, by
-- nobody's own SQL: recording one records the invitation's current hash,
-- for those who may write the invitation (the same rule as the invites
-- policy: admins and owners, the admin org aside those who see its org, a
-- customer org's owners and admins, the holder of its token).
CREATE FUNCTION partnerctl_record_invite_token(p_invite_id text) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    AS $$
BEGIN
    INSERT INTO invite_token_hashes (token_hash, invite_id)
        SELECT i.token_hash, i.id FROM invites i
        WHERE i.id = p_invite_id
          AND (partnerctl_is_admin() OR partnerctl_bootstrapping() OR partnerctl_above_policies()
               OR (i.org_id <> partnerctl_admin_org_id()
                   AND (partnerctl_sees_every_org() OR i.org_id = ANY (partnerctl_scope_org_ids())))
               OR i.org_id = ANY (partnerctl_managed_org_ids())
               OR i.id = ANY (partnerctl_granted('invite')))
        ON CONFLICT (token_hash) DO UPDATE SET invite_id = EXCLUDED.invite_id;
END $$;

-- Does the invitation's current token find it (doctor)?
CREATE FUNCTION partnerctl_invite_token_findable(p_invite_id text) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    AS $$
        SELECT partnerctl_may_probe() AND EXISTS (SELECT 1 FROM invites i JOIN invite_token_hashes h ON h.token_hash = i.token_hash AND h.invite_id = i.id
                       WHERE i.id = p_invite_id)
    $$;

-- `--search`: the live customer orgs the session sees whose name, ref or
-- shortcode is LIKE p_pattern. Under row-level security PostgreSQL won't
-- use the trigram index for LIKE (its operator isn't leakproof, so it must
-- run after the policy): a full scan. Here, as the tables' owner, the index
-- is used, and the readers policy's test for a teammate (every org, or the
-- scope's) is applied with it; the caller's own conditions can't reach
-- inside a function, so nothing of a hidden org can leak through them. It
-- returns whole rows: the caller joins the counters to them instead of
-- looking every match up again by id (a third of a 5,000-org search).
CREATE FUNCTION partnerctl_search_orgs(p_pattern text) RETURNS SETOF orgs
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    AS $$
DECLARE
    -- Whoever isn't held by the policies (the owner, a superuser) sees
    -- every org here too.
    everything boolean := partnerctl_sees_every_org() OR partnerctl_above_policies();
    scope text[] := partnerctl_scope_org_ids();
BEGIN
    IF NOT everything AND scope IS NULL THEN
        RETURN;
    END IF;
    -- The pattern as a literal: the planner sees it and plans the index.
    RETURN QUERY EXECUTE format('SELECT * FROM orgs WHERE deleted_at IS NULL AND NOT admin
        AND (name_lc LIKE %1$L OR ref_lc LIKE %1$L OR shortcode_lc LIKE %1$L) AND ($1 OR id = ANY ($2))', p_pattern)
        USING everything, scope;
END $$;

-- The connected-org count is kept by the triggers, not by its readers.
ALTER FUNCTION orgs_after_insert() SECURITY DEFINER;
ALTER FUNCTION orgs_after_update() SECURITY DEFINER;
ALTER FUNCTION orgs_after_delete() SECURITY DEFINER;

-- SECURITY DEFINER functions run with this schema first and pg_temp last,
-- so no one can slip an object of the same name in front of them.
DO $$
DECLARE
    f text;
BEGIN
    FOREACH f IN ARRAY ARRAY['partnerctl_login_email()', 'partnerctl_is_partner_admin()',
        'partnerctl_bind_first_login(text, text)', 'invites_bind_on_accept()', 'audit_server_facts()',
        'partnerctl_link_by_token_hash(text)', 'partnerctl_invite_by_token_hash(text)',
        'partnerctl_connect_request_by_token_hash(text)', 'partnerctl_reset()',
        'partnerctl_my_role()', 'partnerctl_is_admin()', 'partnerctl_admin_org_id()', 'partnerctl_sees_every_org()',
        'partnerctl_scope_org_ids()', 'partnerctl_managed_org_ids()', 'partnerctl_bootstrapping()',
        'partnerctl_customer_org_ids()', 'partnerctl_claim_new_orgs(text[])', 'partnerctl_may_scope(text, text[])',
        'partnerctl_grant(text, text, text, text)', 'partnerctl_granted(text)', 'partnerctl_search_orgs(text)',
        'partnerctl_has_standing()', 'partnerctl_above_policies()', 'partnerctl_store_facts()', 'partnerctl_scopes()',
        'orgs_guard_update()', 'partnerctl_refs_out_of_sight(text[])', 'partnerctl_shortcode_out_of_sight(text)',
        'partnerctl_may_touch_owner(text)', 'partnerctl_org_has_owner(text)', 'partnerctl_may_probe()',
        'partnerctl_org_is_new_and_pending(text)', 'partnerctl_invite_exists(text)',
        'invites_guard_update()', 'partnerctl_record_invite_token(text)', 'partnerctl_invite_token_findable(text)',
        'orgs_after_insert()', 'orgs_after_update()', 'orgs_after_delete()']
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', f, current_schema());
    END LOOP;
END $$;

-- Only the token lookups may grant.
REVOKE EXECUTE ON FUNCTION partnerctl_grant(text, text, text, text) FROM PUBLIC;

-- Who may use the store is who may connect to the database (the DBA grants
-- CONNECT); inside it, the policies below decide. Nobody but the server
-- changes or removes audit entries, writes the logins, the count, the
-- store's name or the token grants, reads the invitation tokens' hashes
-- (only functions do), or truncates.
DO $$
BEGIN
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO PUBLIC', current_schema());
END $$;
GRANT SELECT, INSERT, UPDATE, DELETE ON partner, store_meta, settings, id_sequences, orgs,
    org_stats, memberships, scopes, report_states, claimed_event_ids, device_states, licenses TO PUBLIC;
-- A token's hash is read only by the functions that look tokens up: every
-- other column of links, invitations and connect requests is readable.
GRANT INSERT, UPDATE, DELETE ON links, invites, connect_requests TO PUBLIC;
GRANT SELECT (id, seq, org_id, email, created_by, reason, created_at, expires_at, real_expires_at, redeemed_at,
    revoked_at, revoked_by) ON links TO PUBLIC;
GRANT SELECT (id, seq, org_id, email, role, login_method, created_by, created_at, expires_at, real_expires_at,
    resent_at, accepted_at, deleted_at) ON invites TO PUBLIC;
GRANT SELECT (id, seq, org_id, email, created_by, created_at, expires_at, real_expires_at, accepted_at,
    rejected_at) ON connect_requests TO PUBLIC;
GRANT SELECT, INSERT ON audit TO PUBLIC;
GRANT SELECT ON store_identity, org_count, logins, schema_version TO PUBLIC;

DO $$
DECLARE
    t text;
BEGIN
    FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    END LOOP;
END $$;

-- schema_version and store_identity: no policy, so no row for anyone but
-- the owner; opening a store reads them through partnerctl_store_facts().

-- The partner: read by those with standing (anyone else learns its name
-- from partnerctl_store_facts()).
CREATE POLICY readers ON partner FOR SELECT USING ((SELECT partnerctl_has_standing()));
CREATE POLICY builder_creates ON partner FOR INSERT
    WITH CHECK ((SELECT partnerctl_is_admin()) OR (SELECT partnerctl_bootstrapping()));
CREATE POLICY admins_update ON partner FOR UPDATE
    USING ((SELECT partnerctl_is_admin()) OR (SELECT partnerctl_bootstrapping()));

-- (Whether the store is a demo, which `init` and `demo` on it say, is
-- also in partnerctl_store_facts().)
CREATE POLICY readers ON store_meta FOR SELECT USING ((SELECT partnerctl_has_standing()));
CREATE POLICY admins_create ON store_meta FOR INSERT
    WITH CHECK ((SELECT partnerctl_is_admin()) OR (SELECT partnerctl_bootstrapping()));
CREATE POLICY admins_update ON store_meta FOR UPDATE
    USING ((SELECT partnerctl_is_admin()) OR (SELECT partnerctl_bootstrapping()));

CREATE POLICY members_read ON settings FOR SELECT
    USING ((SELECT partnerctl_my_role()) IS NOT NULL OR (SELECT partnerctl_bootstrapping()));
CREATE POLICY admins_write ON settings FOR ALL
    USING ((SELECT partnerctl_is_admin()) OR (SELECT partnerctl_bootstrapping()));

-- (a customer's owner or admin numbers the invitations they send)
CREATE POLICY members_read ON id_sequences FOR SELECT
    USING ((SELECT partnerctl_my_role()) IS NOT NULL OR (SELECT partnerctl_bootstrapping())
        OR cardinality((SELECT partnerctl_managed_org_ids())) > 0);
CREATE POLICY members_create ON id_sequences FOR INSERT
    WITH CHECK ((SELECT partnerctl_my_role()) IS NOT NULL OR (SELECT partnerctl_bootstrapping())
        OR cardinality((SELECT partnerctl_managed_org_ids())) > 0);
CREATE POLICY members_update ON id_sequences FOR UPDATE
    USING ((SELECT partnerctl_my_role()) IS NOT NULL OR (SELECT partnerctl_bootstrapping())
        OR cardinality((SELECT partnerctl_managed_org_ids())) > 0);
-- Report states: those who see every org share the reports named as
-- typed (no '/'); a scoped member's are their own, under name/email
-- (console.reportKey).
CREATE POLICY own_keys ON report_states FOR SELECT
    USING ((SELECT partnerctl_bootstrapping())
        OR ((SELECT partnerctl_sees_every_org()) AND strpos(name, '/') = 0)
        OR ((SELECT partnerctl_scope_org_ids()) IS NOT NULL AND strpos(name, '/') > 0
            AND substr(name, strpos(name, '/') + 1) = (SELECT partnerctl_login_email())));
CREATE POLICY own_keys_create ON report_states FOR INSERT
    WITH CHECK ((SELECT partnerctl_bootstrapping())
        OR ((SELECT partnerctl_sees_every_org()) AND strpos(name, '/') = 0)
        OR ((SELECT partnerctl_scope_org_ids()) IS NOT NULL AND strpos(name, '/') > 0
            AND substr(name, strpos(name, '/') + 1) = (SELECT partnerctl_login_email())));
CREATE POLICY own_keys_update ON report_states FOR UPDATE
    USING ((SELECT partnerctl_bootstrapping())
        OR ((SELECT partnerctl_sees_every_org()) AND strpos(name, '/') = 0)
        OR ((SELECT partnerctl_scope_org_ids()) IS NOT NULL AND strpos(name, '/') > 0
            AND substr(name, strpos(name, '/') + 1) = (SELECT partnerctl_login_email())));
-- Imports claim event ids; nobody unclaims one (that would import it twice).
CREATE POLICY members_read ON claimed_event_ids FOR SELECT
    USING ((SELECT partnerctl_my_role()) IS NOT NULL OR (SELECT partnerctl_bootstrapping()));
CREATE POLICY members_claim ON claimed_event_ids FOR INSERT
    WITH CHECK ((SELECT partnerctl_my_role()) IS NOT NULL OR (SELECT partnerctl_bootstrapping()));
-- (the number of every connected org: a scoped member's console counts
-- their own)
CREATE POLICY members_read ON org_count FOR SELECT
    USING ((SELECT partnerctl_sees_every_org()) OR (SELECT partnerctl_bootstrapping()));

-- Orgs: those the session sees (every org, or its scope and the admin
-- org), its tokens' and a customer's own (a customer learns the admin
-- org's name, which refusals give, from partnerctl_store_facts()). A member creates
-- orgs and changes those they see; only admins and owners change the
-- admin org or delete (the trigger orgs_deletion_needs_admin: a policy
-- can't compare the old row with the new). A customer's owner or admin
-- changes only their org's counters (the user count, as their team
-- changes), not its record: an upsert's new row must pass the INSERT
-- check even when it updates, which is why their org is in it (it exists,
-- so it is never inserted), and an unchanged row is left alone.
CREATE POLICY readers ON orgs FOR SELECT
    USING ((SELECT partnerctl_sees_every_org()) OR id IN (SELECT unnest(partnerctl_scope_org_ids()))
        OR id IN (SELECT unnest(partnerctl_granted('org'))) OR id IN (SELECT unnest(partnerctl_managed_org_ids()))
        OR id IN (SELECT unnest(partnerctl_customer_org_ids())) OR (SELECT partnerctl_bootstrapping())
        OR id IN (SELECT unnest(partnerctl_granted('new-org'))));
CREATE POLICY members_create ON orgs FOR INSERT
    WITH CHECK ((SELECT partnerctl_is_admin()) OR (SELECT partnerctl_bootstrapping())
        OR (NOT admin AND (SELECT partnerctl_my_role()) IS NOT NULL) OR id IN (SELECT unnest(partnerctl_granted('org-write')))
        OR id IN (SELECT unnest(partnerctl_managed_org_ids())));
CREATE POLICY members_update ON orgs FOR UPDATE
    USING ((SELECT partnerctl_is_admin()) OR (SELECT partnerctl_bootstrapping())
        OR (NOT admin AND ((SELECT partnerctl_sees_every_org()) OR id IN (SELECT unnest(partnerctl_scope_org_ids()))))
        OR id IN (SELECT unnest(partnerctl_granted('org-write'))));

CREATE POLICY readers ON org_stats FOR SELECT
    USING ((SELECT partnerctl_sees_every_org())
        OR org_id IN (SELECT unnest(partnerctl_scope_org_ids())) OR org_id IN (SELECT unnest(partnerctl_granted('org')))
        OR org_id IN (SELECT unnest(partnerctl_customer_org_ids())) OR (SELECT partnerctl_bootstrapping())
        OR org_id IN (SELECT unnest(partnerctl_granted('new-org'))));
CREATE POLICY members_create ON org_stats FOR INSERT
    WITH CHECK ((SELECT partnerctl_bootstrapping()) OR ((SELECT partnerctl_my_role()) IS NOT NULL
        AND ((SELECT partnerctl_sees_every_org()) OR org_id IN (SELECT unnest(partnerctl_scope_org_ids()))
             OR org_id IN (SELECT unnest(partnerctl_granted('new-org')))))
        OR org_id IN (SELECT unnest(partnerctl_granted('org-write'))) OR org_id IN (SELECT unnest(partnerctl_managed_org_ids())));
CREATE POLICY members_update ON org_stats FOR UPDATE
    USING ((SELECT partnerctl_sees_every_org()) OR org_id IN (SELECT unnest(partnerctl_scope_org_ids()))
        OR org_id IN (SELECT unnest(partnerctl_granted('org-write'))) OR org_id IN (SELECT unnest(partnerctl_managed_org_ids()))
        OR (SELECT partnerctl_bootstrapping()));

CREATE POLICY members_read ON device_states FOR SELECT
    USING ((SELECT partnerctl_sees_every_org()) OR org_id IN (SELECT unnest(partnerctl_scope_org_ids()))
        OR (SELECT partnerctl_bootstrapping()));
CREATE POLICY members_create ON device_states FOR INSERT
    WITH CHECK ((SELECT partnerctl_sees_every_org()) OR org_id IN (SELECT unnest(partnerctl_scope_org_ids()))
        OR (SELECT partnerctl_bootstrapping()));
CREATE POLICY members_update ON device_states FOR UPDATE
    USING ((SELECT partnerctl_sees_every_org()) OR org_id IN (SELECT unnest(partnerctl_scope_org_ids()))
        OR (SELECT partnerctl_bootstrapping()));

-- Memberships: one's own (with standing in the store), those of the orgs
-- one sees and of the customer orgs one owns or administers (whose team
-- one manages, as invitations); the admin org's team is its admins' and
-- owners' to change. An invitation's token makes the one membership it is
-- for. (Members write the memberships of the customer orgs they see:
-- `events import` does, from the feed's user.joined and user.left.)
CREATE POLICY readers ON memberships FOR SELECT
    USING ((email = (SELECT partnerctl_login_email()) AND (SELECT partnerctl_has_standing()))
        OR (SELECT partnerctl_sees_every_org())
        OR org_id IN (SELECT unnest(partnerctl_scope_org_ids()))
        OR org_id IN (SELECT unnest(partnerctl_managed_org_ids()))
        OR (org_id || E'\n' || email) IN (SELECT unnest(partnerctl_granted('membership')))
        OR (SELECT partnerctl_bootstrapping()));
-- A member (not admin) gives the customer orgs they see members and
-- partners, no higher role ('member': `events import`, 'partner': `orgs
-- open`), and removes members there (`events import`). An owner is made
-- or changed only by an owner (partnerctl_may_touch_owner: admins manage
-- the team up to their own role), and one of the admin org removed only by
-- an owner. An invitation's token makes the membership it is for, whatever
-- its role: its sender was allowed to send it.
CREATE POLICY writers_create ON memberships FOR INSERT
    WITH CHECK ((org_id || E'\n' || email) IN (SELECT unnest(partnerctl_granted('membership')))
        OR (SELECT partnerctl_bootstrapping())
        OR (CASE WHEN role = 'owner' THEN partnerctl_may_touch_owner(org_id) ELSE true END
            AND ((SELECT partnerctl_is_admin())
                OR (org_id <> (SELECT partnerctl_admin_org_id()) AND role IN ('member', 'partner')
                    AND ((SELECT partnerctl_sees_every_org()) OR org_id IN (SELECT unnest(partnerctl_scope_org_ids()))))
                OR org_id IN (SELECT unnest(partnerctl_managed_org_ids())))));
CREATE POLICY writers_update ON memberships FOR UPDATE
    USING ((org_id || E'\n' || email) IN (SELECT unnest(partnerctl_granted('membership')))
        OR (SELECT partnerctl_bootstrapping())
        OR (CASE WHEN role = 'owner' THEN partnerctl_may_touch_owner(org_id) ELSE true END
            AND ((SELECT partnerctl_is_admin())
                OR (org_id <> (SELECT partnerctl_admin_org_id())
                    AND ((SELECT partnerctl_sees_every_org()) OR org_id IN (SELECT unnest(partnerctl_scope_org_ids()))))
                OR org_id IN (SELECT unnest(partnerctl_managed_org_ids())))))
    WITH CHECK ((org_id || E'\n' || email) IN (SELECT unnest(partnerctl_granted('membership')))
        OR (SELECT partnerctl_bootstrapping())
        OR (CASE WHEN role = 'owner' THEN partnerctl_may_touch_owner(org_id) ELSE true END
            AND ((SELECT partnerctl_is_admin())
                OR (org_id <> (SELECT partnerctl_admin_org_id()) AND role IN ('member', 'partner')
                    AND ((SELECT partnerctl_sees_every_org()) OR org_id IN (SELECT unnest(partnerctl_scope_org_ids()))))
                OR org_id IN (SELECT unnest(partnerctl_managed_org_ids())))));
CREATE POLICY writers_delete ON memberships FOR DELETE
    USING ((SELECT partnerctl_bootstrapping())
        OR (CASE WHEN role = 'owner' AND org_id = (SELECT partnerctl_admin_org_id())
                 THEN (SELECT partnerctl_my_role()) = 'owner' ELSE true END
            AND ((SELECT partnerctl_is_admin())
                OR (org_id <> (SELECT partnerctl_admin_org_id())
                    AND ((SELECT partnerctl_sees_every_org()) OR org_id IN (SELECT unnest(partnerctl_scope_org_ids()))))
                OR org_id IN (SELECT unnest(partnerctl_managed_org_ids())))));

-- Scopes: whole to those who see every org; a scoped member reads their
-- own (the console shows them the others' cut to the orgs they see, which
-- a row can't be: partnerctl_scopes() serves that).
CREATE POLICY readers ON scopes FOR SELECT
    USING ((SELECT partnerctl_sees_every_org()) OR (SELECT partnerctl_bootstrapping())
        OR (email = (SELECT partnerctl_login_email()) AND (SELECT partnerctl_my_role()) IS NOT NULL));
CREATE POLICY admins_create ON scopes FOR INSERT WITH CHECK (partnerctl_may_scope(email, org_ids));
CREATE POLICY admins_update ON scopes FOR UPDATE
    USING ((SELECT partnerctl_is_admin()) OR email = (SELECT partnerctl_login_email()) OR (SELECT partnerctl_bootstrapping()))
    WITH CHECK (partnerctl_may_scope(email, org_ids));
CREATE POLICY admins_delete ON scopes FOR DELETE USING ((SELECT partnerctl_is_admin()));

-- Audit: appended by members (a scoped one: about their orgs, or none),
-- by a token's holder (for the token's org) and by a customer's owners and
-- admins (for their org); read as the console shows it (a scoped member: their customer
-- orgs' entries; a customer's owner or admin: their org's).
CREATE POLICY readers ON audit FOR SELECT
    USING ((SELECT partnerctl_sees_every_org())
        OR (org_id IN (SELECT unnest(partnerctl_scope_org_ids())) AND org_id <> (SELECT partnerctl_admin_org_id()))
        OR org_id IN (SELECT unnest(partnerctl_managed_org_ids())));
CREATE POLICY appenders ON audit FOR INSERT
    WITH CHECK (((SELECT partnerctl_my_role()) IS NOT NULL
            AND (org_id = '' OR (SELECT partnerctl_sees_every_org())
                OR (org_id IN (SELECT unnest(partnerctl_scope_org_ids())) AND org_id <> (SELECT partnerctl_admin_org_id()))
                OR org_id IN (SELECT unnest(partnerctl_granted('new-org')))))
        OR (SELECT partnerctl_bootstrapping())
        OR org_id IN (SELECT unnest(partnerctl_granted('org')))
        OR org_id IN (SELECT unnest(partnerctl_managed_org_ids())));

-- Links, invitations and connect requests: the orgs one sees, and the one
-- a token shown in the transaction is for; a member makes links in their
-- own name and changes (revokes) only the links they created (an upsert's new row must pass
-- the INSERT policy too, even when it updates). Only an admin-org admin or
-- owner invites to the admin org. A connect request is settled by its
-- token alone.
CREATE POLICY readers ON links FOR SELECT
    USING ((SELECT partnerctl_sees_every_org()) OR org_id IN (SELECT unnest(partnerctl_scope_org_ids()))
        OR id IN (SELECT unnest(partnerctl_granted('link'))) OR (SELECT partnerctl_bootstrapping()));
CREATE POLICY members_create ON links FOR INSERT
    WITH CHECK ((((SELECT partnerctl_sees_every_org()) OR org_id IN (SELECT unnest(partnerctl_scope_org_ids())))
            AND (created_by = (SELECT partnerctl_login_email()) OR (SELECT partnerctl_is_admin()))
            -- a link lives 15 minutes at most (console.MaxLinkTTL), by
            -- the real clock too (a minute's leeway for the client's), and
            -- only for a connected org
            AND expires_at <= created_at + interval '15 minutes'
            AND real_expires_at IS NOT NULL AND real_expires_at <= now() + interval '16 minutes'
            AND org_id IN (SELECT id FROM orgs WHERE link_status IN ('accepted', '')))
        OR id IN (SELECT unnest(partnerctl_granted('link'))) OR (SELECT partnerctl_bootstrapping()));
CREATE POLICY members_update ON links FOR UPDATE
    USING ((SELECT partnerctl_is_admin()) OR (SELECT partnerctl_bootstrapping())
        OR (created_by = (SELECT partnerctl_login_email())
            AND ((SELECT partnerctl_sees_every_org()) OR org_id IN (SELECT unnest(partnerctl_scope_org_ids()))))
        OR id IN (SELECT unnest(partnerctl_granted('link'))));

CREATE POLICY readers ON invites FOR SELECT
    USING ((SELECT partnerctl_sees_every_org()) OR org_id IN (SELECT unnest(partnerctl_scope_org_ids()))
        OR org_id IN (SELECT unnest(partnerctl_managed_org_ids()))
        OR id IN (SELECT unnest(partnerctl_granted('invite'))) OR (SELECT partnerctl_bootstrapping()));
-- Who invites whom, as `users invite` has it: into the admin org its
-- admins and owners, up to their own role; into a customer org its owners
-- and admins, up to their rank (an owner, or an admin-org owner, invites
-- owners), and any member of the admin org who sees it its first owner
-- when it has none (`orgs create --owner`, `users invite … --role owner`).
-- An invitation that exists already passes (an upsert's new row must pass
-- this check even when it updates): changing one is the UPDATE policy's,
-- and its role, org, invitee and sender never change (orgs_guard_update's
-- twin, invites_guard_update). A member resends or deletes only the
-- invitations they sent.
CREATE POLICY writers_create ON invites FOR INSERT
    WITH CHECK ((SELECT partnerctl_bootstrapping()) OR id IN (SELECT unnest(partnerctl_granted('invite')))
        OR (org_id = (SELECT partnerctl_admin_org_id()) AND (SELECT partnerctl_is_admin())
            AND (role <> 'owner' OR (SELECT partnerctl_my_role()) = 'owner'))
        OR (org_id <> (SELECT partnerctl_admin_org_id())
            AND ((org_id IN (SELECT unnest(partnerctl_managed_org_ids()))
                  AND CASE WHEN role = 'owner' THEN partnerctl_may_touch_owner(org_id) ELSE true END)
                 OR (role = 'owner' AND (SELECT partnerctl_my_role()) IS NOT NULL
                     AND ((SELECT partnerctl_sees_every_org()) OR org_id IN (SELECT unnest(partnerctl_scope_org_ids())))
                     AND NOT partnerctl_org_has_owner(org_id))))
        OR partnerctl_invite_exists(id));
CREATE POLICY writers_update ON invites FOR UPDATE
    USING ((SELECT partnerctl_is_admin()) OR (SELECT partnerctl_bootstrapping())
        OR (org_id <> (SELECT partnerctl_admin_org_id()) AND created_by = (SELECT partnerctl_login_email())
            AND ((SELECT partnerctl_sees_every_org()) OR org_id IN (SELECT unnest(partnerctl_scope_org_ids()))))
        OR org_id IN (SELECT unnest(partnerctl_managed_org_ids()))
        OR id IN (SELECT unnest(partnerctl_granted('invite'))));
-- invite_token_hashes: no policy, no privilege: only
-- partnerctl_record_invite_token, partnerctl_invite_by_token_hash and
-- partnerctl_invite_token_findable.
REVOKE ALL ON invite_token_hashes FROM PUBLIC;

CREATE POLICY readers ON connect_requests FOR SELECT
    USING ((SELECT partnerctl_sees_every_org()) OR org_id IN (SELECT unnest(partnerctl_scope_org_ids()))
        OR id IN (SELECT unnest(partnerctl_granted('connect'))) OR (SELECT partnerctl_bootstrapping()));
-- A request is made with its pending org (`orgs connect`), by a member of
-- the admin org: asking an org that is already linked would let its
-- token settle (reject) that link.
CREATE POLICY members_create ON connect_requests FOR INSERT
    WITH CHECK ((SELECT partnerctl_bootstrapping()) OR id IN (SELECT unnest(partnerctl_granted('connect')))
        OR ((SELECT partnerctl_my_role()) IS NOT NULL AND partnerctl_org_is_new_and_pending(org_id)));
-- (only its token settles a request)
CREATE POLICY token_holder_updates ON connect_requests FOR UPDATE
    USING (id IN (SELECT unnest(partnerctl_granted('connect'))) OR (SELECT partnerctl_bootstrapping()));

-- Licenses: read with the orgs one sees (a scoped member: their customer
-- orgs' only, not the unassigned ones);
-- issued, assigned and changed by admins and owners.
CREATE POLICY readers ON licenses FOR SELECT
    USING ((SELECT partnerctl_sees_every_org()) OR (SELECT partnerctl_bootstrapping())
        OR (org_id IN (SELECT unnest(partnerctl_scope_org_ids())) AND org_id <> (SELECT partnerctl_admin_org_id())));
CREATE POLICY admins_create ON licenses FOR INSERT
    WITH CHECK ((SELECT partnerctl_is_admin()) OR (SELECT partnerctl_bootstrapping()));
CREATE POLICY admins_update ON licenses FOR UPDATE
    USING ((SELECT partnerctl_is_admin()) OR (SELECT partnerctl_bootstrapping()));

-- One's own login (with standing in the store), and everyone's for admins
-- and owners.
CREATE POLICY readers ON logins FOR SELECT
    USING ((role = session_user AND (SELECT partnerctl_has_standing())) OR (SELECT partnerctl_is_admin()));

-- token_grants: no policy, no privilege: only the functions above.
REVOKE ALL ON token_grants FROM PUBLIC;
