-- Devices of a stage sent the bundle and still without a verdict, at most (fleet.md, "Re-sends"; --max-in-flight).
-- Rollouts created before V14 get the default of `pnn fleet rollout start`.
ALTER TABLE rollout
    ADD COLUMN max_in_flight integer NOT NULL DEFAULT 500 CHECK (max_in_flight > 0);
