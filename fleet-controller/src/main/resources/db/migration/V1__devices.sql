-- The fleet's devices as the controller knows them: one row per device id, kept up to date from what the devices
-- publish (status, telemetry, OTA status). Rollouts (V10..) and monitoring (V20..) refer to it.
CREATE TABLE device (
    device_id      text        PRIMARY KEY CHECK (device_id ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
    fleet          text        NOT NULL,
    first_seen     timestamptz NOT NULL DEFAULT now(),
    last_seen      timestamptz,
    online         boolean     NOT NULL DEFAULT false,
    model          text,
    model_version  text
);
CREATE INDEX device_fleet ON device (fleet);
