DROP TABLE security_events;
DROP TABLE rate_limits;
