package dev.switchboard.email.smtp;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Runs an action with Jakarta Mail's and Angus' loggers at their most verbose (protocol trace
 * included) and returns every log line, everything printed to stdout/stderr, and the strings the
 * action returned.
 */
final class LogCapture {

  private LogCapture() {}

  static List<String> during(Supplier<List<String>> action) {
    List<String> seen = new CopyOnWriteArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            seen.add(new SimpleFormatter().format(record));
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    List<Logger> loggers =
        List.of(Logger.getLogger("org.eclipse.angus"), Logger.getLogger("jakarta.mail"));
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    List<String> returned = new ArrayList<>();
    try {
      loggers.forEach(
          l -> {
            l.setLevel(Level.ALL);
            l.addHandler(capture);
          });
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
      returned.addAll(action.get());
    } finally {
      System.setOut(out);
      System.setErr(err);
      loggers.forEach(
          l -> {
            l.removeHandler(capture);
            l.setLevel(null);
          });
    }
    seen.addAll(returned);
    seen.add(printed.toString(StandardCharsets.UTF_8));
    return seen;
  }
}
