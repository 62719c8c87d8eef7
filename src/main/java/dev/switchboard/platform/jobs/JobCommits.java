package dev.switchboard.platform.jobs;

import dev.switchboard.platform.db.GroupCommit;
import dev.switchboard.platform.db.GroupCommits;
import dev.switchboard.platform.http.ApiException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Group commit for job handlers whose work is one transaction on the application database (applying
 * a stored webhook event): the transactions of jobs of one lane that run at the same time are
 * written as one, each job marked done in it ({@link JobCompletion}), so N concurrent jobs wait for
 * one commit (on PostgreSQL one WAL flush, 2.5-4 ms on the build machine) instead of N. The job
 * threads wait for the shared commit without holding a connection; one of them writes the group
 * ({@link GroupCommit}, as webhook intake groups its requests).
 *
 * <p>Nothing is weaker than with a transaction per job: a job is done only once the commit that
 * holds its work and its completion returned, and a job whose group was not committed runs again
 * (at least once, as before). When the group's transaction fails, it is rolled back and each job's
 * work is written again in a transaction of its own, so a failing job gets its own error and the
 * others succeed as they would have alone. The work may therefore run twice in one attempt: it must
 * do nothing outside the transaction that a rollback would not undo (write rows, publish events to
 * listeners that write in the transaction, enqueue jobs; no provider calls).
 */
public final class JobCommits {

  /** How long a job that could not be taken into a group waits before it runs again. */
  static final Duration BUSY_RETRY = Duration.ofSeconds(1);

  private final GroupCommits commits;

  public JobCommits(GroupCommits commits) {
    this.commits = Objects.requireNonNull(commits, "commits");
  }

  /**
   * A lane for one job type's transactions.
   *
   * @param type the job type, the lane's metric tag ({@code switchboard_db_group_size{lane="job
   *     payments.event"}})
   */
  public <O> Lane<O> lane(String type) {
    return new Lane<>(commits, type);
  }

  /** The shared transactions of one job type. */
  public static final class Lane<O> {

    private final GroupCommit<Work<O>, O> group;

    private Lane(GroupCommits commits, String type) {
      this.group = commits.lane("job " + type, Lane::write);
    }

    /**
     * Runs {@code work} in a transaction shared with the other jobs of this lane that run now,
     * marks {@code job} done in it, and returns after the commit.
     *
     * @param job the job the calling thread is running
     * @param work the job's transactional work; may run again (alone) if another job of its group
     *     fails
     * @return what {@code work} returned
     * @throws JobFailure deferred (the attempt kept) when no group could take the job in time
     */
    public O run(Job job, Supplier<O> work) {
      try {
        return group.write(new Work<>(job, JobCompletion.current(), work));
      } catch (ApiException busy) {
        if ("database_busy".equals(busy.code())) {
          throw JobFailure.defer("database busy: " + busy.getMessage(), BUSY_RETRY);
        }
        throw busy;
      }
    }

    /**
     * In the group's transaction: each job's completion, then its work. Taken in job id order, so
     * two groups, or a group and the worker's lease renewal, lock job rows in the same order.
     */
    private static <O> List<O> write(List<Work<O>> works) {
      Integer[] order = new Integer[works.size()];
      Arrays.setAll(order, i -> i);
      Arrays.sort(order, Comparator.comparing(i -> works.get(i).job().id()));
      List<O> outputs = new ArrayList<>(works.size());
      for (int i = 0; i < works.size(); i++) {
        outputs.add(null);
      }
      for (int i : order) {
        Work<O> w = works.get(i);
        outputs.set(
            i,
            JobCompletion.actingFor(
                w.run(),
                () -> {
                  JobCompletion.inTransaction(w.job());
                  return w.work().get();
                }));
      }
      return outputs;
    }
  }

  /** One job's transactional work and the run it belongs to. */
  private record Work<O>(Job job, JobCompletion.Run run, Supplier<O> work) {}
}
