package dev.switchboard.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsoTimestampsTest {

  @Test
  void formatWhenAnyInstantThenExactlyInstantToString() {
    SplittableRandom random = new SplittableRandom(11);
    List<Instant> fixed =
        List.of(
            Instant.EPOCH,
            Instant.parse("2026-12-04T23:00:00Z"),
            Instant.parse("2024-02-29T12:34:56.789Z"),
            Instant.parse("2000-03-01T00:00:00.000001Z"),
            Instant.parse("9999-12-31T23:59:59.999999999Z"),
            Instant.parse("1969-12-31T23:59:59.5Z"),
            Instant.parse("+10000-01-01T00:00:00Z"),
            Instant.MIN,
            Instant.MAX);
    for (Instant i : fixed) {
      assertThat(IsoTimestamps.format(i)).isEqualTo(i.toString());
    }
    for (int n = 0; n < 200_000; n++) {
      long seconds = random.nextLong(-10_000_000_000L, 260_000_000_000L);
      int nano =
          switch (n % 4) {
            case 0 -> 0;
            case 1 -> random.nextInt(1000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1000;
            default -> random.nextInt(1_000_000_000);
          };
      Instant i = Instant.ofEpochSecond(seconds, nano);
      assertThat(IsoTimestamps.format(i)).isEqualTo(i.toString());
    }
  }

  @Test
  void parseWhenCommonShapesThenSameInstantAsOffsetDateTime() {
    SplittableRandom random = new SplittableRandom(12);
    for (int n = 0; n < 100_000; n++) {
      Instant i =
          Instant.ofEpochSecond(
              random.nextLong(0, 253_402_300_799L), random.nextInt(1_000_000_000));
      String utc = i.toString();
      assertThat(IsoTimestamps.parse(utc)).isEqualTo(OffsetDateTime.parse(utc).toInstant());
      String offset =
          OffsetDateTime.ofInstant(
                  i, java.time.ZoneOffset.ofTotalSeconds(60 * random.nextInt(-17 * 60, 17 * 60)))
              .toString();
      assertThat(IsoTimestamps.parse(offset)).isEqualTo(OffsetDateTime.parse(offset).toInstant());
    }
    for (String s :
        List.of(
            "2026-12-04T23:00:00.000Z",
            "2026-12-04T23:00:00Z",
            "2024-02-29T23:59:59.1+05:30",
            "2026-12-04T23:00:00.123456789-08:00",
            "0000-01-01T00:00:00Z",
            "2026-12-04T23:00:00+18:00",
            "2026-12-04t23:00:00z",
            "2026-12-04T23:00Z",
            "2026-12-04T23:00:00.Z",
            "+12026-12-04T23:00:00Z")) {
      assertThat(IsoTimestamps.parse(s)).as(s).isEqualTo(OffsetDateTime.parse(s).toInstant());
    }
  }

  @Test
  void parseWhenInvalidThenRefusedAsOffsetDateTimeRefusesIt() {
    for (String s :
        List.of(
            "2026-02-29T00:00:00Z",
            "2026-04-31T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-12-04T24:00:00Z",
            "2026-12-04T23:60:00Z",
            "2026-12-04T23:00:60Z",
            "2026-12-04T23:00:00.1234567890Z",
            "2026-12-04T23:00:00+19:00",
            "2026-12-04T23:00:00",
            "2026-12-04 23:00:00Z",
            "2026-1x-04T23:00:00Z",
            "2026-12-04T23:00:00Zjunk",
            "yesterday")) {
      assertThatThrownBy(() -> IsoTimestamps.parse(s))
          .as(s)
          .isInstanceOf(DateTimeParseException.class);
      assertThatThrownBy(() -> OffsetDateTime.parse(s))
          .as(s)
          .isInstanceOf(DateTimeParseException.class);
    }
  }
}
