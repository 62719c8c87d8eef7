package dev.switchboard.email;

import dev.switchboard.platform.db.GroupCommit;
import dev.switchboard.platform.db.GroupCommits;
import dev.switchboard.platform.http.ApiException;
import dev.switchboard.platform.jobs.JobOptions;
import dev.switchboard.platform.jobs.JobQueue;
import dev.switchboard.platform.jobs.NewJob;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends templated email: validates everything first, renders, then stores each message and its send
 * job in one transaction, so a message exists if and only if it will be sent. The HTTP routes and
 * other areas (auth, payments, alerts) call this. Concurrent single sends share one commit ({@link
 * GroupCommit}); a send inside the caller's transaction joins it, as before.
 */
public final class EmailService {

  public static final int MAX_RECIPIENTS = 10_000;

  private final EmailTemplates templates;
  private final EmailStore store;
  private final JobQueue jobs;
  private final TransactionTemplate transactions;
  private final GroupCommit<NewMessage, String> singles;
  private final Clock clock;
  private final String primaryProvider;

  public EmailService(
      EmailTemplates templates,
      EmailStore store,
      JobQueue jobs,
      TransactionTemplate transactions,
      GroupCommits commits,
      Clock clock,
      String primaryProvider) {
    this.templates = templates;
    this.store = store;
    this.jobs = jobs;
    this.transactions = transactions;
    this.singles =
        commits.lane(
            "email",
            messages -> {
              insert(messages, clock.instant());
              return messages.stream().map(NewMessage::id).toList();
            });
    this.clock = clock;
    this.primaryProvider = primaryProvider;
  }

  /**
   * Queues one templated message.
   *
   * @param template the template id ({@code welcome}, {@code password-reset}, {@code
   *     payment-failed} or the operator's)
   * @param to one recipient address
   * @param variables the template's variables; required ones must be strings (numbers are accepted)
   * @param locale a language tag such as {@code fr-CA}; empty for the default
   * @return the message id, {@code msg_…}
   * @throws ApiException 400 {@code validation_failed}, {@code unknown_template}, {@code
   *     invalid_recipient}, {@code missing_template_variable}, {@code invalid_template_variable} or
   *     {@code template_variables_too_large}; nothing is stored then
   */
  public String send(
      String template, String to, Map<String, ?> variables, Optional<String> locale) {
    EmailTemplate resolved = resolve(template, locale);
    String recipient = EmailAddresses.recipient(to, "to");
    Map<String, ?> vars = variables == null ? Map.of() : variables;
    resolved.check(vars, "variables");
    NewMessage message =
        new NewMessage(
            EmailIds.message(),
            Optional.empty(),
            resolved.id(),
            locale,
            recipient,
            resolved.render(vars));
    return singles.write(message);
  }

  /**
   * Queues one message per recipient, all or nothing: every recipient is checked before anything is
   * stored.
   *
   * @throws ApiException 400 {@code validation_failed} (field {@code recipients}) when empty,
   *     {@code too_many_recipients} over {@value #MAX_RECIPIENTS}, or the errors of {@link #send}
   *     with the field naming the recipient ({@code recipients[17].to}); nothing is stored then
   */
  public BulkAccepted bulk(
      String template, List<BulkRecipient> recipients, Optional<String> locale) {
    EmailTemplate resolved = resolve(template, locale);
    if (recipients == null || recipients.isEmpty()) {
      throw ApiException.invalidField("recipients", "recipients must list at least one recipient");
    }
    if (recipients.size() > MAX_RECIPIENTS) {
      throw new ApiException(
          400,
          "too_many_recipients",
          "A bulk send takes at most "
              + MAX_RECIPIENTS
              + " recipients; got "
              + recipients.size()
              + ". Split it into several.",
          false,
          "recipients",
          Map.of());
    }
    for (int i = 0; i < recipients.size(); i++) {
      BulkRecipient r = recipients.get(i);
      if (r == null) {
        throw ApiException.invalidField(
            "recipients[" + i + "]", "recipients[" + i + "] must be an object");
      }
      EmailAddresses.recipient(r.to(), "recipients[" + i + "].to");
      resolved.check(
          r.variables() == null ? Map.of() : r.variables(), "recipients[" + i + "].variables");
    }
    String batchId = EmailIds.batch();
    List<NewMessage> messages = new ArrayList<>(recipients.size());
    for (BulkRecipient r : recipients) {
      Map<String, ?> vars = r.variables() == null ? Map.of() : r.variables();
      messages.add(
          new NewMessage(
              EmailIds.message(),
              Optional.of(batchId),
              resolved.id(),
              locale,
              r.to().strip(),
              resolved.render(vars)));
    }
    store(batchId, resolved.id(), messages);
    return new BulkAccepted(batchId, messages.size());
  }

  /**
   * A message with its history.
   *
   * @throws ApiException 404 {@code not_found}
   */
  /** Every template a send may name, with the variables it requires (default locale). */
  public List<EmailTemplate> templates() {
    return templates.names().stream()
        .map(name -> templates.template(name, Optional.empty()))
        .toList();
  }

  public MessageDetails message(String id) {
    StoredMessage message = store.find(id).orElseThrow(() -> ApiException.notFound("Message"));
    return new MessageDetails(message, store.history(id), showsContent(message));
  }

  /**
   * A bulk batch's progress.
   *
   * @throws ApiException 404 {@code not_found}
   */
  public BatchProgress batch(String id) {
    return store.batch(id).orElseThrow(() -> ApiException.notFound("Batch"));
  }

  /** The newest messages, newest first (dashboard). */
  public List<StoredMessage> recentMessages(int limit) {
    return store.recent(limit);
  }

  /** The newest batches with progress, newest first (dashboard). */
  public List<BatchProgress> recentBatches(int limit) {
    return store.recentBatches(limit);
  }

  /** Whether this message's rendered content may be shown: mail kept in the dev outbox only. */
  public boolean showsContent(StoredMessage message) {
    return message.provider().map("outbox"::equals).orElse("outbox".equals(primaryProvider));
  }

  private EmailTemplate resolve(String template, Optional<String> locale) {
    if (template == null || template.isBlank()) {
      throw ApiException.invalidField("template", "template is required, e.g. \"welcome\"");
    }
    return templates.template(template, locale);
  }

  private void store(String batchId, String template, List<NewMessage> messages) {
    transactions.executeWithoutResult(
        status -> {
          Instant now = clock.instant();
          store.insertBatch(batchId, template, messages.size(), now);
          insert(messages, now);
        });
  }

  /** The messages and their send jobs, in the caller's transaction. */
  private void insert(List<NewMessage> messages, Instant now) {
    store.insertMessages(messages, now);
    // One batched insert rather than a round trip per recipient: a 1,000-recipient send (or a group
    // of single sends) is one statement batch.
    jobs.enqueueAll(
        messages.stream()
            .map(
                message ->
                    new NewJob(
                        EmailSendJob.TYPE,
                        "{\"messageId\":\"" + message.id() + "\"}",
                        JobOptions.defaults()
                            .dedupeKey(message.id())
                            .maxAttempts(EmailSendJob.MAX_JOB_ATTEMPTS)))
            .toList());
  }
}
