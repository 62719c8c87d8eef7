/**
 * Product analytics: a Segment-compatible ingest ({@code /v1/*}), enrichment (clock skew, truncated
 * IP, bots, UTM), an append-only events table with hourly rollups and identity stitching, the
 * events Switchboard records itself ({@code signed_up}, {@code subscription_started}), and the
 * query API (counts, funnels, live). Events are always stored locally; forwarding to Segment and
 * PostHog reads the events table in id order.
 */
package dev.switchboard.analytics;
