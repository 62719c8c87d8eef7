package dev.switchboard.platform.jobs;

/**
 * One job of a {@link JobQueue#enqueueAll} batch.
 *
 * @param type the {@link JobHandler#type()} that runs it
 * @param payloadJson the job's input as JSON text; keep secrets out, it is stored as is
 * @param options dedupe key, earliest run time, attempts
 */
public record NewJob(String type, String payloadJson, JobOptions options) {

  /** A job to run now with the default attempts. */
  public static NewJob of(String type, String payloadJson) {
    return new NewJob(type, payloadJson, JobOptions.defaults());
  }
}
