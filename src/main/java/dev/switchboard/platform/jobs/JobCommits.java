package dev.switchboard.platform.jobs;

import dev.switchboard.platform.db.GroupCommit;
import dev.switchboard.platform.db.GroupCommits;
import dev.switchboard.platform.http.ApiException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
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
 * work is written again in a transaction of its own (the jobs one thread runs together, {@link
 * Batch#runAll}, together), so a failing job gets its own error and the others succeed as they
 * would have alone. The work may therefore run twice in one attempt: it must do nothing outside the
 * transaction that a rollback would not undo (write rows, publish events to listeners that write in
 * the transaction, enqueue jobs; no provider calls).
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

  /**
   * A lane whose group is handed to {@code work} whole, so a handler can read and write the group's
   * rows in batches (one statement, on PostgreSQL one round trip, for the group instead of one per
   * job). The jobs are marked done first, in one batched statement.
   *
   * @param type the job type, the lane's metric tag
   * @param work the group's transactional work: one output per input, in order; may run again
   *     (alone, on each input) if the group fails
   */
  public <I, O> Batch<I, O> batchLane(String type, GroupWork<I, O> work) {
    return new Batch<>(commits, type, work);
  }

  /** The transactional work of a group of jobs of one type, inputs in job id order. */
  @FunctionalInterface
  public interface GroupWork<I, O> {
    List<O> write(List<I> inputs);
  }

  /** The shared transactions of one job type. */
  public static final class Lane<O> {

    private final GroupCommit<Work<Supplier<O>>, O> group;

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
      return JobCommits.run(group, new Work<>(job, JobCompletion.of(job), work));
    }

    /**
     * In the group's transaction: the jobs' completions (one batch), then each job's work. Taken in
     * job id order, so two groups, or a group and the worker's lease renewal, lock job rows in the
     * same order.
     */
    private static <O> List<O> write(List<Work<Supplier<O>>> works) {
      List<Integer> order =
          markDone(works.stream().map(Work::job).toList(), works.stream().map(Work::run).toList());
      List<O> outputs = new ArrayList<>(Collections.nCopies(works.size(), null));
      for (int i : order) {
        Work<Supplier<O>> w = works.get(i);
        outputs.set(i, JobCompletion.actingFor(w.run(), () -> w.input().get()));
      }
      return outputs;
    }
  }

  /** The shared transactions of one job type whose work takes the group whole. */
  public static final class Batch<I, O> {

    private final GroupCommit<Together<I>, List<O>> group;

    private Batch(GroupCommits commits, String type, GroupWork<I, O> work) {
      this.group = commits.lane("job " + type, works -> write(works, work));
    }

    /**
     * Runs {@code input} through the lane's work in a transaction shared with the other jobs of
     * this lane that run now, marks {@code job} done in it, and returns after the commit.
     *
     * @throws JobFailure deferred (the attempt kept) when no group could take the job in time
     */
    public O run(Job job, I input) {
      return runAll(List.of(job), List.of(input)).get(0);
    }

    /**
     * {@link #run} for several jobs that the calling thread runs together ({@link
     * JobHandler#handleAll}): they are always in one group, and fail or commit together.
     *
     * @return per job, in order, what the work returned for its input
     */
    public List<O> runAll(List<Job> jobs, List<I> inputs) {
      if (jobs.size() != inputs.size() || jobs.isEmpty()) {
        throw new IllegalArgumentException("one input per job, at least one");
      }
      return JobCommits.run(
          group,
          new Together<>(List.copyOf(jobs), jobs.stream().map(JobCompletion::of).toList(), inputs));
    }

    /** The completions (one batch), then every input in job id order to the work. */
    private static <I, O> List<List<O>> write(List<Together<I>> works, GroupWork<I, O> work) {
      List<Job> jobs = new ArrayList<>();
      List<JobCompletion.Run> runs = new ArrayList<>();
      List<I> all = new ArrayList<>();
      for (Together<I> w : works) {
        jobs.addAll(w.jobs());
        runs.addAll(w.runs());
        all.addAll(w.inputs());
      }
      List<Integer> order = markDone(jobs, runs);
      List<I> inputs = new ArrayList<>(all.size());
      for (int i : order) {
        inputs.add(all.get(i));
      }
      List<O> sorted = work.write(inputs);
      if (sorted == null || sorted.size() != all.size()) {
        throw new IllegalStateException("the group's work returned no output per input");
      }
      List<O> flat = new ArrayList<>(Collections.nCopies(all.size(), null));
      for (int k = 0; k < order.size(); k++) {
        flat.set(order.get(k), sorted.get(k));
      }
      List<List<O>> outputs = new ArrayList<>(works.size());
      int from = 0;
      for (Together<I> w : works) {
        outputs.add(new ArrayList<>(flat.subList(from, from + w.jobs().size())));
        from += w.jobs().size();
      }
      return outputs;
    }
  }

  /** The jobs a thread runs together, their runs and their inputs. */
  private record Together<I>(List<Job> jobs, List<JobCompletion.Run> runs, List<I> inputs) {}

  private static <W, O> O run(GroupCommit<W, O> group, W work) {
    try {
      return group.write(work);
    } catch (ApiException busy) {
      if ("database_busy".equals(busy.code())) {
        throw JobFailure.defer("database busy: " + busy.getMessage(), BUSY_RETRY);
      }
      throw busy;
    }
  }

  /**
   * Marks the group's jobs done in the open transaction, in job id order, as one statement batch.
   *
   * @return the indexes of {@code jobs} in job id order
   */
  private static List<Integer> markDone(List<Job> jobs, List<JobCompletion.Run> runs) {
    Integer[] order = new Integer[jobs.size()];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, Comparator.comparing(i -> jobs.get(i).id()));
    List<JobCompletion.Run> sortedRuns = new ArrayList<>(jobs.size());
    List<Job> sortedJobs = new ArrayList<>(jobs.size());
    for (int i : order) {
      sortedRuns.add(runs.get(i));
      sortedJobs.add(jobs.get(i));
    }
    JobCompletion.inTransaction(sortedRuns, sortedJobs);
    return List.of(order);
  }

  /** One job's transactional input and the run it belongs to. */
  private record Work<I>(Job job, JobCompletion.Run run, I input) {}
}
