package dev.switchboard.analytics;

import java.util.List;

/**
 * What one ingest request did.
 *
 * @param stored messages written now
 * @param duplicates valid messages whose messageId was already stored (not written again)
 * @param bots messages dropped because a known bot sent them
 * @param rejected invalid messages, not stored
 */
public record IngestResult(int stored, int duplicates, int bots, List<Rejection> rejected) {}
