/**
 * Inbound provider webhooks: the one verifier port, the registry every intake verifies through, and
 * the header map every webhook route passes to it.
 */
package dev.switchboard.platform.webhooks;
