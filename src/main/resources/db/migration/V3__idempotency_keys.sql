-- Idempotency-Key support for public POSTs: one row per (caller, key). The primary key is what makes two
-- instances racing on the same key safe: the second INSERT finds the first row instead of running the request.
CREATE TABLE idempotency_keys (
    caller_id       VARCHAR(300)             NOT NULL,
    idempotency_key VARCHAR(255)             NOT NULL,
    request_hash    VARCHAR(64)              NOT NULL,
    state           VARCHAR(16)              NOT NULL,
    owner_token     VARCHAR(64)              NOT NULL,
    status_code     INTEGER,
    content_type    VARCHAR(255),
    body            BYTEA,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    completed_at    TIMESTAMP WITH TIME ZONE,
    CONSTRAINT idempotency_keys_pk PRIMARY KEY (caller_id, idempotency_key),
    CONSTRAINT idempotency_keys_state CHECK (state IN ('in_flight', 'completed'))
);

CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
