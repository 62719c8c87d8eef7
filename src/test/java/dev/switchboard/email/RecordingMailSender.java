package dev.switchboard.email;

import dev.switchboard.platform.integrations.HealthResult;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link MailSender} for tests: records every call and answers from a script per recipient
 * (accepted when the script is empty), so one application context serves many scenarios.
 */
public final class RecordingMailSender implements MailSender {

  /** One recorded call. */
  public record Call(OutgoingMail mail, Instant at) {}

  private final String id;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Map<String, Deque<SendResult>> scripts = new ConcurrentHashMap<>();
  private volatile SendResult always;

  public RecordingMailSender(String id) {
    this.id = id;
  }

  /** Answers these results, in order, to sends to {@code recipient}; then accepts. */
  public RecordingMailSender script(String recipient, SendResult... results) {
    scripts.computeIfAbsent(recipient, r -> new ArrayDeque<>()).addAll(List.of(results));
    return this;
  }

  /** Answers {@code result} to every send without a script (null: accept). */
  public void always(SendResult result) {
    this.always = result;
  }

  public List<Call> calls() {
    return List.copyOf(calls);
  }

  public List<Call> callsTo(String recipient) {
    return calls.stream().filter(c -> c.mail().to().equals(recipient)).toList();
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public SendResult send(OutgoingMail mail) {
    calls.add(new Call(mail, Instant.now()));
    Deque<SendResult> script = scripts.get(mail.to());
    SendResult next;
    synchronized (this) {
      next = script == null ? null : script.poll();
    }
    if (next != null) {
      return next;
    }
    return always != null ? always : SendResult.accepted(id + "-" + mail.messageId());
  }

  @Override
  public HealthResult health() {
    return HealthResult.up(id + " fake");
  }
}
