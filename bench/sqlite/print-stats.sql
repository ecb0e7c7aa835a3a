-- `orgs stats -o csv`, byte for byte: connected orgs, orgs per status (in
-- partnerctl's order), orgs created per month over the last 12 months
-- (oldest first, months without any included) and sessions in the last 30
-- days, then the tenants not connected. One pass over org_status, grouped by creation month; the months are
-- then summed.
.mode list
.separator , "\n"
.headers off
.print metric,key,value
WITH
by_month AS MATERIALIZED (
  SELECT substr(created_at, 1, 7) AS month, count(*) AS orgs,
    sum(status = 'new') AS new, sum(status = 'setup_incomplete') AS setup_incomplete,
    sum(status = 'inactive') AS inactive, sum(status = 'healthy') AS healthy,
    sum(sessions_30d) AS sessions_30d
  FROM org_status GROUP BY 1
),
total AS (
  SELECT sum(orgs) AS connected, sum(new) AS new, sum(setup_incomplete) AS setup_incomplete,
    sum(inactive) AS inactive, sum(healthy) AS healthy, sum(sessions_30d) AS sessions_30d
  FROM by_month
),
months(i, month) AS (
  SELECT 0, strftime('%Y-%m', (SELECT now FROM clock), 'start of month', '-11 months')
  UNION ALL
  SELECT i + 1, strftime('%Y-%m', (SELECT now FROM clock), 'start of month', printf('%d months', i - 10))
  FROM months WHERE i < 11
)
SELECT 'connected', '', coalesce(connected, 0) FROM total
UNION ALL SELECT 'status', 'new', coalesce(new, 0) FROM total
UNION ALL SELECT 'status', 'setup_incomplete', coalesce(setup_incomplete, 0) FROM total
UNION ALL SELECT 'status', 'inactive', coalesce(inactive, 0) FROM total
UNION ALL SELECT 'status', 'healthy', coalesce(healthy, 0) FROM total
UNION ALL SELECT * FROM (
  SELECT 'onboarded', m.month, coalesce(b.orgs, 0) FROM months m LEFT JOIN by_month b ON b.month = m.month ORDER BY m.i
)
UNION ALL SELECT 'sessions_30d', '', coalesce(sessions_30d, 0) FROM total
-- Tenants waiting for or refused a link: the bench's orgs are all imported,
-- so all connected, and neither SQLite model keeps a link status.
UNION ALL SELECT 'not_connected', 'pending', 0
UNION ALL SELECT 'not_connected', 'rejected', 0;
