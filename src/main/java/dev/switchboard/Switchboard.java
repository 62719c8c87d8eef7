package dev.switchboard;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Starts Switchboard. Wiring lives in each area's {@code @Configuration}; nothing else belongs here. */
@SpringBootApplication
@EnableScheduling
public class Switchboard {

  public static void main(String[] args) {
    SpringApplication.run(Switchboard.class, args);
  }
}
