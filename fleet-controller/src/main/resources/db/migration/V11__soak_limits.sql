-- What a stage's soak judges in the telemetry the ingest workers store (V20): NULL = not judged.
ALTER TABLE rollout
    ADD COLUMN soak_max_drift      double precision CHECK (soak_max_drift >= 0),
    ADD COLUMN soak_max_error_rate double precision CHECK (soak_max_error_rate >= 0 AND soak_max_error_rate <= 1),
    ADD COLUMN soak_min_accuracy   double precision CHECK (soak_min_accuracy >= 0 AND soak_min_accuracy <= 1);
