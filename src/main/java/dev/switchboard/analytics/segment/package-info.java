/**
 * Forwarding to Segment: {@link dev.switchboard.analytics.segment.SegmentEventDestination} sends
 * stored events to Segment's HTTP Tracking API batch call ({@code SEGMENT_WRITE_KEY}, {@code
 * SEGMENT_API_URL}).
 */
package dev.switchboard.analytics.segment;
