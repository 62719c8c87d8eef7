package dev.switchboard.storage;

/**
 * Published (as a Spring application event) once an upload has been verified and is {@code ready};
 * not published again when the client completes twice.
 *
 * @param fileId the file's id ({@code file_…})
 * @param owner the account or API key id that uploaded it
 * @param contentType the verified content type
 * @param size its length in bytes
 */
public record FileUploaded(String fileId, String owner, String contentType, long size) {}
