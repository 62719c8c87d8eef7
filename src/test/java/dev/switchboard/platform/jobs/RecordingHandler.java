package dev.switchboard.platform.jobs;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A handler that records every job it is given and then does what the test told it to. */
final class RecordingHandler implements JobHandler {

  /** What the handler does with a job after recording it. */
  @FunctionalInterface
  interface Behaviour {
    void apply(Job job) throws Exception;
  }

  private final String type;
  private volatile Behaviour behaviour = job -> {};
  final List<Job> seen = new CopyOnWriteArrayList<>();

  RecordingHandler(String type) {
    this.type = type;
  }

  RecordingHandler behave(Behaviour newBehaviour) {
    this.behaviour = newBehaviour;
    return this;
  }

  @Override
  public String type() {
    return type;
  }

  @Override
  public void handle(Job job) throws Exception {
    seen.add(job);
    behaviour.apply(job);
  }
}
