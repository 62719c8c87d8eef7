/**
 * The {@code s3} and {@code r2} storage providers: one adapter over the S3 API (AWS SDK v2), with
 * the settings S3-compatible stores need (endpoint override, path-style, checksums only when
 * required).
 */
package dev.switchboard.storage.s3;
