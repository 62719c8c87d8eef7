/**
 * Inbound provider webhooks: the one verifier port, the registry every intake verifies through, the
 * header map every webhook route passes to it, and the checks signed webhooks share ({@link
 * dev.switchboard.platform.webhooks.WebhookSignatures}).
 */
package dev.switchboard.platform.webhooks;
