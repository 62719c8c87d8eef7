package dev.switchboard.platform.readiness;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The production-readiness checklist. */
@Import({StartupReadiness.class})
@Configuration(proxyBeanMethods = false)
public class ReadinessConfiguration {}
