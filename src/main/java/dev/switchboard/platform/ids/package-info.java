/** Random ids and secrets from a lock-free, per-thread DRBG. */
package dev.switchboard.platform.ids;
