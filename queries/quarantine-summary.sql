-- title: Quarantine summary
-- description: rejected records counted by reason and source, for the latest run (the most recent row of `runs`), a given run id, or all
-- param: run (latest, all or a run id; default latest)
SELECT reason, source, COUNT(*) AS records
FROM quarantine
WHERE :run = 'all'
   OR (:run = 'latest' AND run_id = (SELECT MAX(run_id) FROM runs))
   OR run_id = :run
GROUP BY reason, source
ORDER BY records DESC, reason, source;
