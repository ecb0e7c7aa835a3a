-- Every counter the counters-keeping side holds, messages, contacts and
-- devices included, as `partnerctl orgs list -o csv --fields` prints them
-- (bench/run.sh: COUNTER_FIELDS), in the default order: a check that the
-- import applied every rule as partnerctl does.
.mode list
.separator , "\n"
.headers on
SELECT id, users, data_sources, CASE WHEN ai_trained THEN 'true' ELSE 'false' END AS ai_trained,
  integrations, sessions_total, last_active_at, messages, subscribers,
  devices_total, devices_registered, devices_onboarded, devices_provisioned
FROM orgs ORDER BY lower(name), seq;
