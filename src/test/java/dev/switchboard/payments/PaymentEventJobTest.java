package dev.switchboard.payments;

import static dev.switchboard.payments.PaymentsTestKit.CLOCK;
import static dev.switchboard.payments.PaymentsTestKit.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.payments.PaymentsTestKit.CountingTransactions;
import dev.switchboard.platform.db.GroupCommits;
import dev.switchboard.platform.jobs.Job;
import dev.switchboard.platform.jobs.JobCommits;
import dev.switchboard.platform.jobs.JobFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The job around a processor: what is marked, published, re-queued, retried; the processor is a
 * stand-in.
 */
class PaymentEventJobTest {

  final FakePaymentStore store = new FakePaymentStore();
  final CountingTransactions transactions = new CountingTransactions();
  final List<Object> published = new ArrayList<>();
  final List<String> queued = new ArrayList<>();
  int applied;

  PaymentEventJob job(Function<StoredEvent, EventOutcome> outcome) {
    EventProcessor processor =
        new EventProcessor() {
          @Override
          public EventOutcome apply(StoredEvent event) {
            applied++;
            return outcome.apply(event);
          }

          @Override
          public String provider() {
            return "stripe";
          }
        };
    return new PaymentEventJob(
        store,
        Map.of("stripe", processor),
        (provider, id, reason) ->
            queued.add(provider + ":" + id + reason.map(r -> ":" + r).orElse("")),
        new JobCommits(GroupCommits.of(transactions)),
        published::add,
        CLOCK,
        JsonMapper.builder().build());
  }

  void receive(String id) {
    store.insertEvent(
        new ReceivedEvent("stripe", id, "invoice.paid", T0, "{}"), Optional.of("cus_1"), T0);
  }

  static Job jobFor(String provider, String id) {
    return new Job(
        "job_1",
        PaymentEventJob.TYPE,
        "{\"provider\":\"" + provider + "\",\"id\":\"" + id + "\"}",
        Optional.empty(),
        1,
        12,
        T0);
  }

  /** A processor's outcome and how the job must leave the event. */
  record Case(String name, EventOutcome outcome, String eventStatus, int published) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> outcomes() {
    return Stream.of(
        new Case(
            "processed: marked and its events published",
            EventOutcome.processed(
                "usr_1",
                "activated",
                List.of(new SubscriptionStarted("usr_1", "pro", "price_pro", Optional.empty()))),
            StoredEvent.PROCESSED,
            1),
        new Case(
            "ignored: marked, nothing published",
            EventOutcome.of(StoredEvent.IGNORED, "event type not handled"),
            StoredEvent.IGNORED,
            0),
        new Case(
            "unmatched: marked to wait for its customer",
            EventOutcome.of(StoredEvent.UNMATCHED, "unknown account"),
            StoredEvent.UNMATCHED,
            0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("outcomes")
  void handleWhenProcessorAnswersThenEventMarkedInOneCommit(Case c) {
    receive("evt_1");

    job(e -> c.outcome()).handle(jobFor("stripe", "evt_1"));

    StoredEvent event = store.event("stripe", "evt_1").orElseThrow();
    assertThat(event.status()).isEqualTo(c.eventStatus());
    assertThat(event.detail()).contains(c.outcome().detail());
    assertThat(published).hasSize(c.published());
    assertThat(transactions.commits).isEqualTo(1);
  }

  @Test
  void processWhenAGroupHoldsTwoJobsOfOneEventThenAppliedOnceAsOneTransactionLaterWould() {
    receive("evt_1");
    receive("evt_2");
    PaymentEventJob job = job(e -> EventOutcome.of(StoredEvent.IGNORED, "not handled"));
    EventProcessor processor = processor(e -> EventOutcome.of(StoredEvent.IGNORED, "x"), t -> true);

    List<EventOutcome> outcomes =
        job.process(
            List.of(
                new PaymentEventJob.Pending("stripe", "evt_1", processor),
                new PaymentEventJob.Pending("stripe", "evt_1", processor),
                new PaymentEventJob.Pending("stripe", "evt_2", processor),
                new PaymentEventJob.Pending("stripe", "evt_unknown", processor)));

    assertThat(outcomes).hasSize(4);
    assertThat(outcomes.get(0)).isNotNull();
    assertThat(outcomes.get(1)).isNull();
    assertThat(outcomes.get(2)).isNotNull();
    assertThat(outcomes.get(3)).isNull();
    assertThat(store.event("stripe", "evt_1").orElseThrow().attempts()).isEqualTo(1);
    assertThat(store.event("stripe", "evt_2").orElseThrow().status())
        .isEqualTo(StoredEvent.IGNORED);
  }

  @Test
  void processWhenAnEventOfAHandledTypeFollowsThenItSeesTheOutcomesOfTheEventsBeforeIt() {
    receive("evt_1");
    store.insertEvent(
        new ReceivedEvent("stripe", "evt_2", "customer.updated", T0, "{}"), Optional.empty(), T0);
    List<String> seenByThird = new ArrayList<>();
    EventProcessor processor =
        processor(
            e -> {
              if (e.id().equals("evt_3")) {
                seenByThird.add(store.event("stripe", "evt_1").orElseThrow().status());
                seenByThird.add(store.event("stripe", "evt_2").orElseThrow().status());
                return EventOutcome.processed("usr_1", "activated", List.of());
              }
              return e.type().equals("invoice.paid")
                  ? EventOutcome.of(StoredEvent.UNMATCHED, "no account yet")
                  : EventOutcome.of(StoredEvent.IGNORED, "event type not handled");
            },
            type -> !type.equals("customer.updated"));
    store.insertEvent(
        new ReceivedEvent("stripe", "evt_3", "checkout.session.completed", T0, "{}"),
        Optional.empty(),
        T0);

    List<EventOutcome> outcomes =
        job(e -> null)
            .process(
                List.of(
                    new PaymentEventJob.Pending("stripe", "evt_1", processor),
                    new PaymentEventJob.Pending("stripe", "evt_2", processor),
                    new PaymentEventJob.Pending("stripe", "evt_3", processor)));

    assertThat(outcomes)
        .extracting(EventOutcome::status)
        .containsExactly(StoredEvent.UNMATCHED, StoredEvent.IGNORED, StoredEvent.PROCESSED);
    assertThat(seenByThird).containsExactly(StoredEvent.UNMATCHED, StoredEvent.IGNORED);
    assertThat(store.event("stripe", "evt_3").orElseThrow().status())
        .isEqualTo(StoredEvent.PROCESSED);
  }

  static EventProcessor processor(
      Function<StoredEvent, EventOutcome> outcome, java.util.function.Predicate<String> handles) {
    return new EventProcessor() {
      @Override
      public EventOutcome apply(StoredEvent event) {
        return outcome.apply(event);
      }

      @Override
      public boolean handles(String type) {
        return handles.test(type);
      }

      @Override
      public String provider() {
        return "stripe";
      }
    };
  }

  static Job jobFor(String jobId, String provider, String id) {
    return new Job(
        jobId,
        PaymentEventJob.TYPE,
        "{\"provider\":\"" + provider + "\",\"id\":\"" + id + "\"}",
        Optional.empty(),
        1,
        12,
        T0);
  }

  @Test
  void handleAllWhenEveryEventAppliesThenOneCommitForAllOfThem() {
    receive("evt_1");
    receive("evt_2");
    receive("evt_3");

    List<Exception> failures =
        job(e -> EventOutcome.of(StoredEvent.IGNORED, "not handled"))
            .handleAll(
                List.of(
                    jobFor("job_1", "stripe", "evt_1"),
                    jobFor("job_2", "stripe", "evt_2"),
                    jobFor("job_3", "stripe", "evt_3")));

    assertThat(failures).containsExactly(null, null, null);
    assertThat(applied).isEqualTo(3);
    assertThat(transactions.commits).isEqualTo(1);
    for (String id : List.of("evt_1", "evt_2", "evt_3")) {
      assertThat(store.event("stripe", id).orElseThrow().status()).isEqualTo(StoredEvent.IGNORED);
    }
  }

  @Test
  void handleAllWhenOneEventIsMalformedThenOnlyItFailsAndTheOthersApply() {
    receive("evt_1");
    receive("evt_2");
    receive("evt_3");

    List<Exception> failures =
        job(e -> {
              if (e.id().equals("evt_2")) {
                throw new MalformedEvent("missing data.object.id");
              }
              return EventOutcome.of(StoredEvent.IGNORED, "not handled");
            })
            .handleAll(
                List.of(
                    jobFor("job_1", "stripe", "evt_1"),
                    jobFor("job_2", "stripe", "evt_2"),
                    jobFor("job_3", "stripe", "evt_3"),
                    jobFor("job_4", "paypal", "evt_4")));

    assertThat(failures.get(0)).isNull();
    assertThat(failures.get(1))
        .isInstanceOfSatisfying(JobFailure.class, f -> assertThat(f.retryable()).isFalse());
    assertThat(failures.get(2)).isNull();
    assertThat(failures.get(3))
        .isInstanceOf(JobFailure.class)
        .hasMessageContaining("no processor for provider paypal");
    assertThat(store.event("stripe", "evt_1").orElseThrow().status())
        .isEqualTo(StoredEvent.IGNORED);
    assertThat(store.event("stripe", "evt_2").orElseThrow().status()).isEqualTo(StoredEvent.FAILED);
    assertThat(store.event("stripe", "evt_3").orElseThrow().attempts()).isEqualTo(1);
  }

  @Test
  void handleWhenProcessedThenEventsPublishedInsideTheTransactionBeforeItCommits() {
    receive("evt_1");
    List<Integer> commitsWhenPublished = new ArrayList<>();
    PaymentEventJob job =
        new PaymentEventJob(
            store,
            Map.of(
                "stripe",
                new EventProcessor() {
                  @Override
                  public EventOutcome apply(StoredEvent event) {
                    return EventOutcome.processed(
                        "usr_1",
                        "activated",
                        List.of(
                            new SubscriptionStarted(
                                "usr_1", "pro", "price_pro", Optional.empty())));
                  }

                  @Override
                  public String provider() {
                    return "stripe";
                  }
                }),
            (provider, id, reason) -> {},
            new JobCommits(GroupCommits.of(transactions)),
            event -> commitsWhenPublished.add(transactions.commits),
            CLOCK,
            JsonMapper.builder().build());

    job.handle(jobFor("stripe", "evt_1"));

    // What a BEFORE_COMMIT listener writes then commits with the state change, or not at all.
    assertThat(commitsWhenPublished).containsExactly(0);
    assertThat(transactions.commits).isEqualTo(1);
  }

  @Test
  void handleWhenAlreadyProcessedThenNothingAppliedTwice() {
    receive("evt_1");
    store.markEvent(
        "stripe", "evt_1", StoredEvent.PROCESSED, "activated", Optional.of("usr_1"), T0);

    job(e -> EventOutcome.processed("usr_1", "again", List.of("x")))
        .handle(jobFor("stripe", "evt_1"));

    assertThat(applied).isZero();
    assertThat(published).isEmpty();
  }

  @Test
  void handleWhenOutcomeUnblocksWaitingEventsThenEachIsQueuedAfterThisOne() {
    receive("evt_1");

    job(e ->
            EventOutcome.processed("usr_1", "activated", List.of())
                .unblocking(List.of("evt_0a", "evt_0b")))
        .handle(jobFor("stripe", "evt_1"));

    assertThat(queued).containsExactly("stripe:evt_0a:after:evt_1", "stripe:evt_0b:after:evt_1");
  }

  @Test
  void handleWhenEventMalformedThenFailedAtOnceAndNotRetried() {
    receive("evt_1");

    assertThatThrownBy(
            () ->
                job(e -> {
                      throw new MalformedEvent("missing data.object.id");
                    })
                    .handle(jobFor("stripe", "evt_1")))
        .isInstanceOfSatisfying(JobFailure.class, f -> assertThat(f.retryable()).isFalse());

    StoredEvent event = store.event("stripe", "evt_1").orElseThrow();
    assertThat(event.status()).isEqualTo(StoredEvent.FAILED);
    assertThat(event.detail()).contains("malformed: missing data.object.id");
    assertThat(transactions.rollbacks).isEqualTo(1);
  }

  @Test
  void handleWhenProcessorThrowsThenFailedRetryingAndTheErrorGoesToTheQueue() {
    receive("evt_1");

    assertThatThrownBy(
            () ->
                job(e -> {
                      throw new IllegalStateException("database hiccup");
                    })
                    .handle(jobFor("stripe", "evt_1")))
        .isInstanceOf(IllegalStateException.class);

    assertThat(store.event("stripe", "evt_1").orElseThrow().detail())
        .contains("error: IllegalStateException (retrying)");
    assertThat(published).isEmpty();
  }

  @Test
  void handleWhenNoProcessorForTheProviderThenPermanentFailure() {
    assertThatThrownBy(() -> job(e -> null).handle(jobFor("square", "evt_1")))
        .isInstanceOfSatisfying(JobFailure.class, f -> assertThat(f.retryable()).isFalse());
  }
}
