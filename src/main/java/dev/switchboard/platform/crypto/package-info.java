/**
 * Hashing and signing primitives shared by every area (SHA-256, HMAC-SHA256, constant-time
 * comparison).
 */
package dev.switchboard.platform.crypto;
