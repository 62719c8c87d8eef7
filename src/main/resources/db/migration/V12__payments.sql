-- Payments. Webhook events are stored keyed by the provider's event id before they are acknowledged: the primary
-- key is what makes a redelivered event a no-op, on H2 and PostgreSQL alike, with one or many instances.
CREATE TABLE payment_events (
  provider      VARCHAR(20)  NOT NULL,
  event_id      VARCHAR(255) NOT NULL,
  event_type    VARCHAR(120) NOT NULL,
  event_created TIMESTAMP WITH TIME ZONE NOT NULL,
  received_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  payload       TEXT         NOT NULL,
  status        VARCHAR(20)  NOT NULL,
  detail        VARCHAR(500),
  account_id    VARCHAR(40),
  customer_id   VARCHAR(255),
  processed_at  TIMESTAMP WITH TIME ZONE,
  attempts      INTEGER      NOT NULL DEFAULT 0,
  PRIMARY KEY (provider, event_id)
);
CREATE INDEX payment_events_received ON payment_events (received_at);
CREATE INDEX payment_events_customer ON payment_events (customer_id, status);

-- One billing state per account. last_event_at is the provider's creation time of the newest event applied, so an
-- older event delivered late never overwrites newer state.
CREATE TABLE payment_subscriptions (
  account_id           VARCHAR(40)  PRIMARY KEY,
  provider             VARCHAR(20)  NOT NULL,
  customer_id          VARCHAR(255),
  subscription_id      VARCHAR(255),
  plan                 VARCHAR(40),
  price                VARCHAR(255),
  status               VARCHAR(30)  NOT NULL,
  current_period_end   TIMESTAMP WITH TIME ZONE,
  cancel_at_period_end BOOLEAN      NOT NULL DEFAULT FALSE,
  last_event_at        TIMESTAMP WITH TIME ZONE,
  updated_at           TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX payment_subscriptions_customer ON payment_subscriptions (customer_id);
CREATE INDEX payment_subscriptions_subscription ON payment_subscriptions (subscription_id);

-- Payments received, one row per provider invoice (or one-time checkout): a redelivered invoice.paid records nothing.
CREATE TABLE payment_records (
  provider    VARCHAR(20)  NOT NULL,
  invoice_id  VARCHAR(255) NOT NULL,
  account_id  VARCHAR(40)  NOT NULL,
  amount      BIGINT,
  currency    VARCHAR(10),
  paid_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  event_id    VARCHAR(255) NOT NULL,
  PRIMARY KEY (provider, invoice_id)
);

-- Side effects that must happen once per business key (the payment-failed email once per invoice attempt).
CREATE TABLE payment_notices (
  notice_key VARCHAR(300) PRIMARY KEY,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Checkout sessions of the dev checkout page (development only).
CREATE TABLE payment_dev_sessions (
  id          VARCHAR(64)  PRIMARY KEY,
  account_id  VARCHAR(40)  NOT NULL,
  customer_id VARCHAR(255) NOT NULL,
  plan        VARCHAR(40)  NOT NULL,
  price       VARCHAR(255) NOT NULL,
  mode        VARCHAR(20)  NOT NULL,
  success_url VARCHAR(2000) NOT NULL,
  cancel_url  VARCHAR(2000) NOT NULL,
  status      VARCHAR(20)  NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
