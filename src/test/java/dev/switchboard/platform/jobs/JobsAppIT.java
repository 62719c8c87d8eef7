package dev.switchboard.platform.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.integrations.HealthStatus;
import dev.switchboard.platform.integrations.Integration;
import dev.switchboard.testing.HttpTestClient;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The queue as the application wires it: a handler bean is found, runs, is counted, and the map
 * shows the box.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "SWITCHBOARD_DATA_DIR=target/it-data/jobs-app",
      "SEGMENT_WRITE_KEY=" + JobsAppIT.SECRET
    })
@org.junit.jupiter.api.extension.ExtendWith(
    org.springframework.boot.test.system.OutputCaptureExtension.class)
class JobsAppIT {

  static final String SECRET = "segment-write-key-for-jobs-app-it-0123";

  static final BlockingQueue<Job> HANDLED = new LinkedBlockingQueue<>();

  @TestConfiguration
  static class Handlers {
    @Bean
    JobHandler appTestHandler() {
      return new JobHandler() {
        @Override
        public String type() {
          return "test.app";
        }

        @Override
        public void handle(Job job) {
          HANDLED.add(job);
        }
      };
    }

    @Bean
    JobHandler leakingTestHandler() {
      return new JobHandler() {
        @Override
        public String type() {
          return "test.leak";
        }

        @Override
        public void handle(Job job) {
          throw JobFailure.permanent("provider refused key " + SECRET);
        }
      };
    }
  }

  @Autowired org.springframework.jdbc.core.simple.JdbcClient jdbc;

  @Test
  void failureWhenMessageQuotesAConfiguredSecretThenStoredAndLoggedMasked(
      org.springframework.boot.test.system.CapturedOutput output) throws Exception {
    String id = queue.enqueue("test.leak", "{}");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    String status = "";
    while (!status.equals("dead") && System.nanoTime() < deadline) {
      Thread.sleep(50);
      status =
          jdbc.sql("SELECT status FROM jobs WHERE id = ?").param(id).query(String.class).single();
    }
    assertThat(status).isEqualTo("dead");
    String lastError =
        jdbc.sql("SELECT last_error FROM jobs WHERE id = ?").param(id).query(String.class).single();
    assertThat(lastError).isEqualTo("provider refused key ****");
    assertThat(output.getAll()).contains("provider refused key ****").doesNotContain(SECRET);
  }

  @Autowired JobQueue queue;

  @Autowired JobWorker worker;

  @Autowired List<Integration> integrations;

  @Autowired PlatformTransactionManager transactions;

  @LocalServerPort int port;

  @Test
  void enqueueWhenHandlerBeanRegisteredThenWorkerRunsItAndCountsIt() throws Exception {
    String id = queue.enqueue("test.app", "{\"hello\":\"world\"}");

    Job job = HANDLED.poll(10, TimeUnit.SECONDS);
    while (job != null && !job.id().equals(id)) {
      // A job left by an earlier run against the same data dir.
      job = HANDLED.poll(10, TimeUnit.SECONDS);
    }

    assertThat(job).isNotNull();
    assertThat(job.id()).isEqualTo(id);
    assertThat(job.payload()).isEqualTo("{\"hello\":\"world\"}");
    assertThat(worker.types()).contains("test.app");
    String metrics = waitForMetric();
    assertThat(metrics)
        .containsPattern("switchboard_jobs_total\\{outcome=\"done\",type=\"test.app\"\\} [1-9]");
  }

  @Test
  void enqueueWhenApplicationTransactionRollsBackThenNothingRuns() throws Exception {
    HANDLED.clear();
    new TransactionTemplate(transactions)
        .executeWithoutResult(
            status -> {
              queue.enqueue("test.app", "{\"rolled\":\"back\"}");
              status.setRollbackOnly();
            });
    String committed =
        new TransactionTemplate(transactions)
            .execute(status -> queue.enqueue("test.app", "{\"committed\":true}"));

    Job job = HANDLED.poll(10, TimeUnit.SECONDS);

    assertThat(job).isNotNull();
    assertThat(job.id()).isEqualTo(committed);
    assertThat(HANDLED.poll(300, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void integrationMapWhenH2ThenJobsBoxInDevModeAndHealthy() throws Exception {
    Integration jobs =
        integrations.stream().filter(i -> i.id().equals("jobs")).findFirst().orElseThrow();

    assertThat(jobs.area()).isEqualTo("platform");
    assertThat(jobs.provider()).isEqualTo("h2");
    assertThat(jobs.mode()).isEqualTo(Integration.Mode.EMBEDDED);
    assertThat(jobs.configured()).isFalse();
    assertThat(jobs.healthCheck().check().status()).isIn(HealthStatus.UP, HealthStatus.DEGRADED);
    assertThat(jobs.healthCheck().check().detail()).contains("ready", "dead");
  }

  private String waitForMetric() throws InterruptedException {
    HttpTestClient http = new HttpTestClient(port);
    String body = "";
    for (int i = 0; i < 50 && !body.contains("type=\"test.app\""); i++) {
      body = http.get("/actuator/prometheus").body();
      Thread.sleep(100);
    }
    return body;
  }
}
