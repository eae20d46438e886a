-- title: Checkout funnel for a day (page-view based)
-- description: page views at each step home -> product -> cart -> checkout for one UTC day, and each step's views as a percentage of the previous step's. Raw events are not stored and page_metrics has no session, so this counts page views, not sessions: home = path '/', product = URL containing '/product', cart = '/cart', checkout = '/checkout' (so '/checkout/payment' counts too).
-- param: day  (YYYY-MM-DD, required)
WITH views AS (
    SELECT page_url, view_count,
           CASE WHEN instr(page_url, '://') > 0 THEN substr(page_url, instr(page_url, '://') + 3) ELSE NULL END AS host_path
    FROM page_metrics
    WHERE timestamp_hour BETWEEN :day || 'T00' AND :day || 'T23'),
paths AS (
    SELECT page_url, view_count,
           CASE WHEN host_path IS NULL THEN page_url
                WHEN instr(host_path, '/') > 0 THEN substr(host_path, instr(host_path, '/'))
                ELSE '/' END AS path
    FROM views),
clean AS (
    SELECT page_url, view_count,
           CASE WHEN instr(path, '?') > 0 THEN substr(path, 1, instr(path, '?') - 1)
                WHEN instr(path, '#') > 0 THEN substr(path, 1, instr(path, '#') - 1)
                ELSE path END AS path
    FROM paths),
steps AS (
    SELECT 1 AS step, 'home' AS name, COALESCE((SELECT SUM(view_count) FROM clean WHERE path IN ('/', '')), 0) AS page_views
    UNION ALL SELECT 2, 'product', COALESCE((SELECT SUM(view_count) FROM clean WHERE page_url LIKE '%/product%'), 0)
    UNION ALL SELECT 3, 'cart', COALESCE((SELECT SUM(view_count) FROM clean WHERE page_url LIKE '%/cart%'), 0)
    UNION ALL SELECT 4, 'checkout', COALESCE((SELECT SUM(view_count) FROM clean WHERE page_url LIKE '%/checkout%'), 0))
SELECT step, name, page_views,
       CASE WHEN LAG(page_views) OVER (ORDER BY step) > 0
            THEN ROUND(100.0 * page_views / LAG(page_views) OVER (ORDER BY step), 1) END AS pct_of_previous
FROM steps
ORDER BY step;
