package dev.switchboard.storage;

/**
 * What the store knows about an object.
 *
 * @param size its length in bytes
 * @param contentType the content type it was stored with (the signed one), or empty string when
 *     unknown
 */
public record StoredObject(long size, String contentType) {}
