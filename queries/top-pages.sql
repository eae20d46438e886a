-- title: Top pages for a day
-- description: page views per page for one UTC day, most viewed first
-- param: day  (YYYY-MM-DD, required)
-- param: limit (integer, default 20)
SELECT page_url, SUM(view_count) AS views
FROM page_metrics
WHERE timestamp_hour BETWEEN :day || 'T00' AND :day || 'T23'
GROUP BY page_url
ORDER BY views DESC, page_url
LIMIT :limit;
