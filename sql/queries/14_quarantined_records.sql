-- Records that could not be loaded, with the reason, newest first.
SELECT quarantined_at, input, position, reason, left(raw, 200) AS raw_start
FROM quarantine
ORDER BY quarantined_at DESC, input, position;
