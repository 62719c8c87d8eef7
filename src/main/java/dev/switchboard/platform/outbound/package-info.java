/**
 * Outbound HTTP: one JDK {@link java.net.http.HttpClient} with timeouts, and the one retry policy
 * of Switchboard.
 *
 * <p>{@link dev.switchboard.platform.outbound.OutboundHttp} sends a request for an integration,
 * retries connection errors, timeouts, 409, 429 and 5xx with exponential backoff and full jitter,
 * honours {@code Retry-After}, and throws a typed {@link
 * dev.switchboard.platform.outbound.OutboundException}. {@link
 * dev.switchboard.platform.outbound.Backoff} is also what the job queue uses between attempts, so
 * retry timing is decided in this package only. Every attempt is reported to the {@link
 * dev.switchboard.platform.outbound.OutboundCallListener}s, without headers, bodies or query
 * strings.
 *
 * <p>Provider adapters do not call {@code OutboundHttp} directly: they build a {@link
 * dev.switchboard.platform.outbound.ProviderCall} (base URL, credentials, timeout) and state only
 * their request and their answer mapping; the failure arrives classified as a {@link
 * dev.switchboard.platform.outbound.ProviderFailure}.
 */
package dev.switchboard.platform.outbound;
