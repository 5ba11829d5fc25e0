-- How hard a stage re-sends (fleet.md, "Re-sends"): back-off cap, re-sends per device per stage, bundles per second
-- over the stage. Rollouts created before V13 get the defaults of `pnn fleet rollout start`.
ALTER TABLE rollout
    ADD COLUMN resend_max_ms bigint  NOT NULL DEFAULT 120000 CHECK (resend_max_ms >= resend_ms),
    ADD COLUMN max_resends   integer NOT NULL DEFAULT 5      CHECK (max_resends >= 0),
    ADD COLUMN send_rate     integer NOT NULL DEFAULT 200    CHECK (send_rate > 0);
