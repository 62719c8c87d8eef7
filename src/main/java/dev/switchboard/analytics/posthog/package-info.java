/**
 * Forwarding to PostHog: {@link dev.switchboard.analytics.posthog.PostHogEventDestination} sends
 * stored events to PostHog's batch capture endpoint ({@code POSTHOG_API_KEY}, {@code
 * POSTHOG_HOST}).
 */
package dev.switchboard.analytics.posthog;
